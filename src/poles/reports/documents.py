"""The annual report of a cluster and the national synthesis: what they say, then as PDF and XLSX.

A `Dataset` reads the indicator engine once for a year (every cluster, every year of the series,
and the programme's totals); `cluster_report` and `national_report` turn it into a `Document`
(key figures with the peers' median and the rank, charts, tables), and `to_pdf` / `to_xlsx` write
it. Charts are the pages' chart component (`poles.web.charts`), drawn as vector SVG inside the PDF;
the spreadsheet carries each chart's data. A report gives the figures **as of a date** (today by
default): each cluster-year from its yearly report validated by then, else from the register as it
stood (`poles.indicators.asof`); it states that date, each cluster's source, the day it was made
and a fingerprint of its figures: the same date gives the same figures and fingerprint.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from poles.core.tables import Sheet, xlsx_workbook
from poles.indicators import asof as A
from poles.indicators import definitions as d
from poles.indicators import engine
from poles.registry.models import Cluster
from poles.registry.programme import PARIS
from poles.reports import figures as F
from poles.reports import stats
from poles.reports.pdf import html_to_pdf
from poles.web import charts, francemap
from poles.web.chartdata import page_format
from poles.web.charts import Chart, Series
from poles.web.figures import CATEGORY_LABELS

FIRST_YEAR = 2019


def budget_label(source: str) -> str:
    """The name of a budget source in the current language (the engine's definitions)."""
    fr, en = next((fr, en) for name, fr, en, _p in d.BUDGET_PARTS if name == source)
    return (en if F.language() == "en" else fr).capitalize()


def funder_label(code: str) -> str:
    fr, en = next((fr, en) for c, fr, en in d.FUNDERS if c == code)
    return en if F.language() == "en" else fr


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code)).capitalize()


def today() -> dt.date:
    """Today in Paris: the date a report says the register was read."""
    return dt.datetime.now(PARIS).date()


def day(value: dt.date) -> str:
    """A date as the reports write it: 31/12/2024 in French, 2024-12-31 in English."""
    return value.isoformat() if F.language() == "en" else value.strftime("%d/%m/%Y")


def source_text(source: A.SourceOf) -> str:
    """Where a cluster-year's figures come from: « rapport annuel validé le … » or « registre au … »."""
    if source.frozen:
        return _("annual report validated on %(date)s") % {"date": day(source.on)}
    return _("register as of %(date)s") % {"date": day(source.on)}


@dataclass(frozen=True)
class ClusterInfo:
    """What a report says of a cluster besides its figures."""

    id: int
    slug: str
    name: str
    short_name: str
    regions: tuple[tuple[str, str], ...]
    status: str


@dataclass
class Dataset:
    """The engine read once for a year: every cluster's values that year, the series of the clusters reported on,
    and (when the national synthesis asks) the programme's totals."""

    year: int
    read_on: dt.date
    clusters: list[ClusterInfo]
    by_year: dict[int, dict[int, F.Figures]]
    as_of: dt.date = field(default_factory=today)
    sources: dict[tuple[int, int], A.SourceOf] = field(default_factory=dict)
    """The source of each (cluster, year) read: its frozen yearly report or the register as of `as_of`."""
    _nation: dict[int, F.Figures] | None = None

    @classmethod
    def load(cls, year: int, history_of: list[int] | None = None, as_of: dt.date | None = None) -> Dataset:
        """Read the figures of `year` (every cluster) and of the years back to 2019 (the clusters of
        `history_of`, every cluster when None) as of `as_of` (today when None): the clusters then in the
        register, each cluster-year from its report validated by then, else from the register as it stood."""
        as_of = as_of or today()
        rows = Cluster.objects.filter(Q(created_at__isnull=True) | Q(created_at__lt=A.cutoff(as_of)))
        clusters = [
            ClusterInfo(c.pk, c.slug, c.name, c.short_name,
                        tuple((r.code, r.name) for r in sorted(c.regions.all(), key=lambda r: r.name)), c.status)
            for c in rows.prefetch_related("regions").order_by("name")
        ]
        ids = [c.id for c in clusters]
        years = list(range(min(FIRST_YEAR, year), year + 1))
        if history_of is None:
            by_year = F.series(years, ids, as_of=as_of)
        else:
            by_year = F.series(years[:-1], history_of, as_of=as_of) if len(years) > 1 else {}
            by_year[year] = F.series([year], ids, as_of=as_of)[year]
        sources = engine.sources(years, ids, as_of)
        return cls(year, today(), clusters, by_year, as_of, sources)

    def source(self, cluster_id: int, year: int | None = None) -> A.SourceOf:
        """Where a cluster's figures of a year come from (the register as of the date when unknown)."""
        return self.sources.get((cluster_id, year or self.year)) or A.SourceOf(d.Source.REGISTER, self.as_of)

    @property
    def nation(self) -> dict[int, F.Figures]:
        """The values over the active clusters per year (an organisation counts once), read when first asked."""
        if self._nation is None:
            self._nation = F.totals(self.years, [c.id for c in self.active], as_of=self.as_of)
        return self._nation

    @property
    def active(self) -> list[ClusterInfo]:
        return [c for c in self.clusters if c.status == Cluster.Status.ACTIVE]

    @property
    def years(self) -> list[int]:
        return sorted(self.by_year)

    def of(self, cluster_id: int, year: int | None = None) -> F.Figures:
        return self.by_year[year or self.year].get(cluster_id) or F.Figures(cluster_id, year or self.year)

    def peers(self, code: str, year: int | None = None) -> list[F.Value]:
        """The indicator's values over the active clusters (the peers of every cluster)."""
        return [self.of(c.id, year).value(code) for c in self.active]


@dataclass
class KeyFigure:
    """One line of a report's key figures: the value, the peers' median and the rank."""

    code: str
    label: str
    value: str
    median: str = ""
    rank: str = ""
    raw: object = None


@dataclass
class Document:
    """A report ready to be written: title, date, key figures, charts (with SVG), tables."""

    kind: str
    slug: str
    title: str
    subtitle: str
    year: int
    read_on: dt.date
    fingerprint: str
    key_figures: list[KeyFigure]
    charts: list[Chart]
    tables: list[tuple[str, list[str], list[list[object]]]] = field(default_factory=list)
    maps: list[tuple[str, SafeString, list[tuple[str, str]]]] = field(default_factory=list)
    as_of: dt.date | None = None
    source: str = ""
    """Where the figures come from, in a sentence (each cluster's source is in `sources`)."""
    sources: list[list[object]] = field(default_factory=list)
    """[cluster or year, source] lines: which figures come from a validated report, which from the register."""

    @property
    def file_stem(self) -> str:
        return f"{self.year}-{self.slug}"


def _budget_chart(key: str, year: int, figures: F.Figures, unit: charts.Unit) -> Chart:
    known = any(v is not None for v in figures.budget.values())
    return Chart(
        key=key, kind="bar", title=_("Budget by source, %(year)s") % {"year": year},
        description=_("Budget by source of income."),
        category_label=_("Source"), categories=tuple(budget_label(s) for s in F.BUDGET_SOURCES),
        series=(Series(_("Amount"), tuple(figures.budget[s] for s in F.BUDGET_SOURCES), unit),),
        note="" if known else _("No budget recorded for this year."),
    )


def _categories_chart(key: str, year: int, figures: F.Figures) -> Chart:
    counts = figures.categories
    codes = [c for c in F.CATEGORIES if counts.get(c)]
    total = sum(counts.values())
    return Chart(
        key=key, kind="bar", title=_("Members by category, %(year)s") % {"year": year},
        description=_("%(n)s member organisations by category.") % {"n": F.display(total, "count")},
        category_label=_("Category"), categories=tuple(category_label(c) for c in codes),
        series=(Series(_("Members"), tuple(counts[c] for c in codes)),),
        extra=(Series(_("Share"), tuple(stats.share(counts[c], total) for c in codes), "share"),),
    )


def cluster_report(data: Dataset, cluster: ClusterInfo) -> Document:
    """The annual report of one cluster: its values, its peers' median and its rank, its charts."""
    year, years = data.year, data.years
    mine = data.of(cluster.id)
    key_figures = []
    for code in F.SHOWN:
        unit, value, peers = F.unit(code), mine.value(code), data.peers(code)
        r = stats.peer_rank(value, peers)
        key_figures.append(KeyFigure(
            code, F.label(code), F.display(value, unit), F.display(stats.peer_median(peers), unit),
            f"{r} / {sum(1 for v in peers if v is not None)}" if r is not None else "", value))
    name = cluster.short_name or cluster.name
    members = Chart(
        key="report-members", kind="line", title=_("Members of %(name)s per year") % {"name": name},
        description=_("Member organisations each year from %(first)s to %(last)s.") % {"first": years[0], "last": year},
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(_("Members"), tuple(data.of(cluster.id, y).members for y in years)),),
    )
    projects = Chart(
        key="report-projects", kind="column", title=_("Projects started and their funding per year"),
        description=_("Projects of the cluster by the year they started, with the funding they obtained."),
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(F.label("projects"), tuple(data.of(cluster.id, y).value("projects") for y in years)),),
        extra=(Series(F.label("funding_total"), tuple(data.of(cluster.id, y).value("funding_total") for y in years),
                      "eur"),),
    )
    shares = ("share_sme", "private_share")
    compare = Chart(
        key="report-peers", kind="bar", title=_("%(name)s and the median of its peers") % {"name": name},
        description=_("Shares of the cluster beside the median of the %(n)d active clusters.") % {"n": len(data.active)},
        category_label=_("Indicator"), categories=tuple(F.label(c) for c in shares),
        series=(Series(name, tuple(mine.value(c) for c in shares), "share"),
                Series(_("Median of peers"), tuple(stats.peer_median(data.peers(c)) for c in shares), "share")),
    )
    mine_sources = {y: data.source(cluster.id, y) for y in years}
    figures = {"cluster": cluster.slug, "years": {y: data.of(cluster.id, y).as_dict() for y in years},
               "peers": {c: [str(v) for v in data.peers(c)] for c in F.SHOWN},
               "sources": {y: [s.source.value, s.on.isoformat()] for y, s in mine_sources.items()}}
    return Document(
        kind="cluster", slug=cluster.slug,
        title=_("Annual report %(year)s — %(name)s") % {"year": year, "name": cluster.name},
        subtitle=", ".join(n for _code, n in cluster.regions), year=year, read_on=data.read_on,
        fingerprint=stats.fingerprint(figures), key_figures=key_figures,
        charts=[members, _categories_chart("report-categories", year, mine),
                _budget_chart("report-budget", year, mine, "eur"), projects, compare],
        as_of=data.as_of, source=source_text(mine_sources[year]),
        sources=[[str(y), source_text(s)] for y, s in sorted(mine_sources.items(), reverse=True)],
    )


def national_report(data: Dataset) -> Document:
    """The national synthesis: the programme's totals, their mix, the map by region, each cluster's public values."""
    year, years, active = data.year, data.years, data.active
    now = data.nation[year]
    key = [KeyFigure("clusters", _("Active clusters"), F.display(len(active), "count"), raw=len(active))]
    for code in F.SHOWN:
        unit = F.unit(code)
        key.append(KeyFigure(code, F.label(code), F.display(now.value(code), unit),
                             F.display(stats.peer_median(data.peers(code)), unit), raw=now.value(code)))
    trend = Chart(
        key="report-national-members", kind="line", title=_("Member organisations per year"),
        description=_("Organisations members of at least one active cluster, each year."),
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(_("Members"), tuple(data.nation[y].members for y in years)),),
    )
    funders = [(f, v) for f, v in sorted(now.funders.items(), key=lambda kv: -(kv[1] or 0)) if v]
    funding = Chart(
        key="report-national-funders", kind="bar",
        title=_("Funding of projects by funder, %(year)s") % {"year": year},
        description=_("Funding of the projects started in the year, in millions of euros."),
        category_label=_("Funder"), categories=tuple(funder_label(f) for f, _v in funders),
        series=(Series(_("Amount"), tuple(v for _f, v in funders), "meur"),),
    )
    regions = region_table(data)
    maps = []
    values = {code: members for code, (_name, _n, members) in regions.items()}
    try:
        svg = mark_safe(francemap.render_svg(  # noqa: S308 — built from escaped parts
            values, {}, {code: f"{name}: {F.display(m, 'count')}" for code, (name, _n, m) in regions.items()}))
        maps.append((_("Members by region, %(year)s") % {"year": year}, svg,
                     francemap.legend(max(values.values(), default=0), lambda v: F.display(v, "count"))))
    except francemap.MapUnavailable:
        pass
    public = F.PUBLIC_INDICATORS
    rows: list[list[object]] = [
        [c.name, *(F.display(data.of(c.id).value(code), F.unit(code)) for code in public)] for c in active]
    region_rows: list[list[object]] = [[name, F.display(n, "count"), F.display(m, "count")]
                                       for name, n, m in sorted(regions.values())]
    frozen = sum(1 for c in active if data.source(c.id).frozen)
    figures = {"years": {y: data.nation[y].as_dict() for y in years},
               "clusters": {c.slug: data.of(c.id).as_dict() for c in active},
               "sources": {c.slug: [data.source(c.id).source.value, data.source(c.id).on.isoformat()] for c in active}}
    return Document(
        kind="national", slug="national",
        title=_("National synthesis %(year)s") % {"year": year}, subtitle=_("Competitiveness clusters"),
        year=year, read_on=data.read_on, fingerprint=stats.fingerprint(figures), key_figures=key,
        charts=[trend, _categories_chart("report-national-categories", year, now), funding,
                _budget_chart("report-national-budget", year, now, "meur")],
        tables=[(_("Clusters by region"), [_("Region"), _("Clusters"), F.label("members")], region_rows),
                (_("Public figures of each cluster, %(year)s") % {"year": year},
                 [_("Cluster"), *(F.label(code) for code in public)], rows)],
        maps=maps, as_of=data.as_of,
        source=_("%(frozen)s of %(total)s clusters from their validated annual report, the others from the "
                 "register as of %(date)s.") % {"frozen": frozen, "total": len(active), "date": day(data.as_of)},
        sources=[[c.name, source_text(data.source(c.id))] for c in active],
    )


def region_table(data: Dataset) -> dict[str, tuple[str, int, int]]:
    """(region name, active clusters, members) by region code; members counted once per region (the engine)."""
    ids: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for c in data.active:
        for code, name in c.regions:
            ids.setdefault(code, []).append(c.id)
            names[code] = name
    return {code: (names[code], len(members),
                   F.totals([data.year], members, F.MEMBERS, as_of=data.as_of)[data.year].members)
            for code, members in ids.items()}


def rendered_charts(doc: Document) -> list[dict[str, object]]:
    """Each chart's SVG and data table, as the report template draws them."""
    out = []
    for chart in doc.charts:
        headers, rows = charts.table_rows(chart, page_format)
        out.append({"chart": chart, "svg": mark_safe(charts.render_svg(chart, page_format)),  # noqa: S308 — every text escaped
                    "headers": headers, "rows": rows})
    return out


def to_html(doc: Document) -> str:
    """The report as a standalone HTML page (what the PDF engine lays out)."""
    return render_to_string("reports/report.html", {"doc": doc, "charts": rendered_charts(doc)})


def to_pdf(doc: Document) -> bytes:
    """The report as PDF, its charts as vector graphics."""
    return html_to_pdf(to_html(doc))


def to_xlsx(doc: Document) -> bytes:
    """The report as a workbook: its key figures, then one sheet per chart's data and per table."""
    about = Sheet(_("About"), [_("Report"), doc.title], [
        [_("Year"), doc.year], [_("Figures as of"), doc.as_of.isoformat() if doc.as_of else ""],
        [_("Source"), doc.source], [_("Register read on"), doc.read_on.isoformat()],
        [_("Fingerprint"), doc.fingerprint]])
    figures = Sheet(_("Key figures"), [_("Indicator"), _("Value"), _("Median of peers"), _("Rank")],
                    [[k.label, k.value, k.median, k.rank] for k in doc.key_figures], widths=(44, 20, 20, 10))
    sheets = [about, figures]
    for i, chart in enumerate(doc.charts, start=1):
        headers, rows = charts.csv_rows(chart)
        sheets.append(Sheet(f"{i}. {chart.title}", headers, rows))
    for title, headers, rows in doc.tables:
        sheets.append(Sheet(title, headers, rows))
    if doc.sources:
        sheets.append(Sheet(_("Sources"), [_("Cluster") if doc.kind == "national" else _("Year"), _("Source")],
                            doc.sources))
    return xlsx_workbook(sheets)
