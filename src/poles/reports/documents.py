"""The annual report of a cluster and the national synthesis: what they say, then as PDF and XLSX.

A `Dataset` reads the register once for a year at a date (every cluster, every year of the
series); `cluster_report` and `national_report` turn it into a `Document` (key figures, charts,
tables), and `to_pdf` / `to_xlsx` write it. Charts are the pages' chart component
(`poles.web.charts`), drawn as vector SVG inside the PDF; the spreadsheet carries each chart's data.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from poles.core.tables import Sheet, xlsx_workbook
from poles.projects.models import Funder
from poles.registry.models import Cluster
from poles.reports import figures as F
from poles.reports import stats
from poles.reports.pdf import html_to_pdf
from poles.web import charts, francemap
from poles.web.chartdata import page_format
from poles.web.charts import Chart, Series
from poles.web.figures import CATEGORY_LABELS, CATEGORY_ORDER

FIRST_YEAR = 2019


def budget_label(source: str) -> str:
    """The translated name of a budget source."""
    return {
        "budget_membership_fees": _("Membership fees"), "budget_services": _("Services sold"),
        "budget_state": _("State"), "budget_regions": _("Regions"),
        "budget_other_public": _("Other public funding"), "budget_eu": _("European Union"),
    }[source]


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
    """The register read once for a year at a date: every cluster's figures for the series' years."""

    year: int
    as_of: dt.date
    clusters: list[ClusterInfo]
    by_year: dict[int, dict[int, F.Figures]]
    funders: list[tuple[str, int, Decimal]]

    @classmethod
    def load(cls, year: int, as_of: dt.date | None = None) -> Dataset:
        """Read the register for `year` at `as_of` (default: the year's last day)."""
        as_of = as_of or F.end_of(year)
        clusters = [
            ClusterInfo(c.pk, c.slug, c.name, c.short_name,
                        tuple((r.code, r.name) for r in sorted(c.regions.all(), key=lambda r: r.name)), c.status)
            for c in Cluster.objects.prefetch_related("regions").order_by("name")
        ]
        years = list(range(min(FIRST_YEAR, year), year + 1))
        by_year = F.series(years, as_of)
        active = [c.id for c in clusters if c.status == Cluster.Status.ACTIVE]
        return cls(year, as_of, clusters, by_year, F.funding_by_funder(year, min(as_of, F.end_of(year)), active))

    @property
    def active(self) -> list[ClusterInfo]:
        return [c for c in self.clusters if c.status == Cluster.Status.ACTIVE]

    def of(self, cluster_id: int, year: int | None = None) -> F.Figures:
        return self.by_year[year or self.year][cluster_id]

    def peers(self, indicator: str, year: int | None = None) -> list[Decimal | int | None]:
        """The indicator's values over the active clusters (the peers of every cluster)."""
        return [self.of(c.id, year).value(indicator) for c in self.active]


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
    as_of: dt.date
    fingerprint: str
    key_figures: list[KeyFigure]
    charts: list[Chart]
    tables: list[tuple[str, list[str], list[list[object]]]] = field(default_factory=list)
    maps: list[tuple[str, SafeString, list[tuple[str, str]]]] = field(default_factory=list)

    @property
    def file_stem(self) -> str:
        return f"{self.year}-{self.slug}"


def _fmt(value: object, unit: charts.Unit) -> str:
    return page_format(value, unit)


def _years(data: Dataset) -> list[int]:
    return sorted(data.by_year)


def cluster_report(data: Dataset, cluster: ClusterInfo) -> Document:
    """The annual report of one cluster: its figures, its peers' median and its rank, its charts."""
    year = data.year
    mine = data.of(cluster.id)
    labels = F.indicator_labels()
    key_figures = []
    for code in F.INDICATORS:
        label, unit = labels[code]
        value = mine.value(code)
        peers = data.peers(code)
        r = stats.peer_rank(value, peers)
        key_figures.append(KeyFigure(
            code, label, _fmt(value, unit), _fmt(stats.peer_median(peers), unit),
            f"{r} / {sum(1 for v in peers if v is not None)}" if r is not None else "", value))
    name = cluster.short_name or cluster.name
    years = _years(data)
    members = Chart(
        key="report-members", kind="line", title=_("Members of %(name)s per year") % {"name": name},
        description=_("Member organisations each year from %(first)s to %(last)s.") % {"first": years[0], "last": year},
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(_("Members"), tuple(data.of(cluster.id, y).members for y in years)),),
    )
    counts = mine.categories
    total = sum(counts.values())
    codes = [c for c in CATEGORY_ORDER if counts.get(c)]
    mix = Chart(
        key="report-categories", kind="bar", title=_("Members by category, %(year)s") % {"year": year},
        description=_("%(n)s member organisations by category.") % {"n": _fmt(total, "count")},
        category_label=_("Category"), categories=tuple(str(CATEGORY_LABELS[c]).capitalize() for c in codes),
        series=(Series(_("Members"), tuple(counts[c] for c in codes)),),
        extra=(Series(_("Share"), tuple(stats.share(counts[c], total) for c in codes), "share"),),
    )
    budget = Chart(
        key="report-budget", kind="bar", title=_("Budget by source, %(year)s") % {"year": year},
        description=_("The cluster's budget by source of income, in euros."),
        category_label=_("Source"), categories=tuple(budget_label(s) for s in F.BUDGET_SOURCES),
        series=(Series(_("Amount"), tuple(mine.budget.get(s) for s in F.BUDGET_SOURCES), "eur"),),
        note="" if mine.budget else _("No budget recorded for this year."),
    )
    projects = Chart(
        key="report-projects", kind="column", title=_("Projects started and funding obtained per year"),
        description=_("Projects of the cluster by the year they started."),
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(_("Projects started"), tuple(data.of(cluster.id, y).projects_all for y in years)),),
        extra=(Series(_("Public funding obtained by projects"),
                      tuple(data.of(cluster.id, y).funding for y in years), "eur"),),
    )
    shares = ("sme_share", "private_share")
    compare = Chart(
        key="report-peers", kind="bar", title=_("%(name)s and the median of its peers") % {"name": name},
        description=_("Shares of the cluster beside the median of the %(n)d active clusters.") % {"n": len(data.active)},
        category_label=_("Indicator"), categories=tuple(labels[c][0] for c in shares),
        series=(Series(name, tuple(mine.value(c) for c in shares), "share"),
                Series(_("Median of peers"), tuple(stats.peer_median(data.peers(c)) for c in shares), "share")),
    )
    regions = ", ".join(n for _code, n in cluster.regions)
    print_figures = {"cluster": cluster.slug, "years": {y: data.of(cluster.id, y).as_dict() for y in years},
                     "as_of": data.as_of.isoformat()}
    return Document(
        kind="cluster", slug=cluster.slug,
        title=_("Annual report %(year)s — %(name)s") % {"year": year, "name": cluster.name},
        subtitle=regions, year=year, as_of=data.as_of, fingerprint=stats.fingerprint(print_figures),
        key_figures=key_figures, charts=[members, mix, budget, projects, compare],
    )


def _sum(values: list) -> Decimal | int:
    return sum((v for v in values if v is not None), 0)


def national_report(data: Dataset) -> Document:
    """The national synthesis: the programme's figures, their mix, the map by region, each cluster's public figures."""
    year = data.year
    active = data.active
    labels = F.indicator_labels()
    years = _years(data)

    def nation(y: int) -> list[F.Figures]:
        return [data.of(c.id, y) for c in active]

    now = nation(year)
    members = _sum([f.members for f in now])
    smes = _sum([f.sme_members for f in now])
    budget_total = _sum([f.budget_total for f in now])
    private = _sum([sum((f.budget.get(s, Decimal(0)) for s in F.PRIVATE_SOURCES), Decimal(0)) for f in now])
    key = [
        KeyFigure("clusters", _("Active clusters"), _fmt(len(active), "count"), raw=len(active)),
        KeyFigure("members", labels["members"][0], _fmt(members, "count"),
                  _fmt(stats.peer_median([f.members for f in now]), "count"), raw=members),
        KeyFigure("sme_share", labels["sme_share"][0], _fmt(stats.share(smes, members), "share"),
                  _fmt(stats.peer_median([f.sme_share for f in now]), "share")),
        KeyFigure("staff_fte", labels["staff_fte"][0], _fmt(_sum([f.staff_fte for f in now]), "count"),
                  _fmt(stats.peer_median([f.staff_fte for f in now]), "count")),
        KeyFigure("projects_all", labels["projects_all"][0], _fmt(_sum([f.projects_all for f in now]), "count"),
                  _fmt(stats.peer_median([f.projects_all for f in now]), "count")),
        KeyFigure("funding", labels["funding"][0], _fmt(_sum([f.funding for f in now]), "eur"),
                  _fmt(stats.peer_median([f.funding for f in now]), "eur")),
        KeyFigure("budget_total", labels["budget_total"][0], _fmt(budget_total, "eur"),
                  _fmt(stats.peer_median([f.budget_total for f in now]), "eur")),
        KeyFigure("private_share", labels["private_share"][0], _fmt(stats.share(private, budget_total), "share"),
                  _fmt(stats.peer_median([f.private_share for f in now]), "share")),
    ]
    trend = Chart(
        key="report-national-members", kind="line", title=_("Member organisations per year"),
        description=_("Memberships of the active clusters each year (an organisation member of two clusters counts twice)."),
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(_("Members"), tuple(_sum([f.members for f in nation(y)]) for y in years)),),
    )
    counts: Counter[str] = Counter()
    for f in now:
        counts.update(f.categories)
    codes = [c for c in CATEGORY_ORDER if counts.get(c)]
    total = sum(counts.values())
    mix = Chart(
        key="report-national-categories", kind="bar", title=_("Members by category, %(year)s") % {"year": year},
        description=_("%(n)s memberships by category.") % {"n": _fmt(total, "count")},
        category_label=_("Category"), categories=tuple(str(CATEGORY_LABELS[c]).capitalize() for c in codes),
        series=(Series(_("Members"), tuple(counts[c] for c in codes)),),
        extra=(Series(_("Share"), tuple(stats.share(counts[c], total) for c in codes), "share"),),
    )
    funder_names = dict(Funder.choices)
    funders = Chart(
        key="report-national-funders", kind="bar", title=_("Public funding of projects by funder, %(year)s") % {"year": year},
        description=_("Funding obtained in the year by the clusters' projects, in millions of euros."),
        category_label=_("Funder"), categories=tuple(str(funder_names.get(f, f)) for f, _n, _t in data.funders),
        series=(Series(_("Amount"), tuple(t for _f, _n, t in data.funders), "meur"),),
        extra=(Series(_("Projects"), tuple(n for _f, n, _t in data.funders)),),
    )
    budget = Chart(
        key="report-national-budget", kind="bar", title=_("Budget of the clusters by source, %(year)s") % {"year": year},
        description=_("Sum of the active clusters' budgets by source of income, in millions of euros."),
        category_label=_("Source"), categories=tuple(budget_label(s) for s in F.BUDGET_SOURCES),
        series=(Series(_("Amount"), tuple(_sum([f.budget.get(s) for f in now]) for s in F.BUDGET_SOURCES), "meur"),),
    )
    regions = region_table(data)
    table_headers = [_("Cluster"), labels["members"][0], labels["sme_share"][0], labels["staff_fte"][0],
                     labels["projects"][0]]
    rows: list[list[object]] = [
        [c.name, _fmt(data.of(c.id).members, "count"), _fmt(data.of(c.id).sme_share, "share"),
         _fmt(data.of(c.id).staff_fte, "count"), _fmt(data.of(c.id).projects, "count")] for c in active
    ]
    maps = []
    values = {code: r[2] for code, r in regions.items()}
    try:
        svg = mark_safe(francemap.render_svg(values, {}, {code: f"{r[0]}: {r[2]}" for code, r in regions.items()}))  # noqa: S308 — built from escaped parts
        highest = max(values.values(), default=0)
        maps.append((_("Members by region, %(year)s") % {"year": year}, svg,
                     francemap.legend(highest, lambda v: _fmt(v, "count"))))
    except francemap.MapUnavailable:
        pass
    region_rows: list[list[object]] = [[name, _fmt(n, "count"), _fmt(m, "count")]
                                       for _code, (name, n, m) in sorted(regions.items(), key=lambda kv: kv[1][0])]
    return Document(
        kind="national", slug="national",
        title=_("National synthesis %(year)s") % {"year": year}, subtitle=_("Competitiveness clusters"),
        year=year, as_of=data.as_of,
        fingerprint=stats.fingerprint({"as_of": data.as_of.isoformat(), "years": {
            y: [f.as_dict() for f in nation(y)] for y in years}}),
        key_figures=key, charts=[trend, mix, funders, budget],
        tables=[(_("Clusters by region"), [_("Region"), _("Clusters"), labels["members"][0]], region_rows),
                (_("Public figures of each cluster, %(year)s") % {"year": year}, table_headers, rows)],
        maps=maps,
    )


def region_table(data: Dataset) -> dict[str, tuple[str, int, int]]:
    """(region name, clusters, members) by region code for the active clusters (a cluster in two regions counts in both)."""
    out: dict[str, tuple[str, int, int]] = {}
    for c in data.active:
        for code, name in c.regions:
            _name, n, m = out.get(code, (name, 0, 0))
            out[code] = (name, n + 1, m + data.of(c.id).members)
    return out


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
        [_("Year"), doc.year], [_("Register read at"), doc.as_of.isoformat()], [_("Fingerprint"), doc.fingerprint]])
    figures = Sheet(_("Key figures"), [_("Indicator"), _("Value"), _("Median of peers"), _("Rank")],
                    [[k.label, k.value, k.median, k.rank] for k in doc.key_figures], widths=(44, 20, 20, 10))
    sheets = [about, figures]
    for i, chart in enumerate(doc.charts, start=1):
        headers, rows = charts.csv_rows(chart)
        sheets.append(Sheet(f"{i}. {chart.title}", headers, rows))
    for title, headers, rows in doc.tables:
        sheets.append(Sheet(title, headers, rows))
    return xlsx_workbook(sheets)
