"""The steering dashboards: national or regional figures with filters, and a cluster's own indicators.

What each reader sees goes through the permission layer: the clusters are `visible(user, Cluster)`;
the public reads public indicators only, and aggregates only over at least
`stats.MINIMUM_CLUSTERS` clusters; a cluster's confidential indicators (funding, budget, private
share) are shown beside its peers' median to whoever reads its confidential fields (its team, the
officers in scope). Figures come from `poles.reports.figures` (one figure, one function); the
charts are the pages' chart component, and their builders are registered for /charts/<key>/.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from poles.access.fieldlevels import Level
from poles.access.permissions import level_for, visible
from poles.access.roles import scope_of
from poles.indicators import engine
from poles.indicators.confidentiality import may_read
from poles.nomenclatures.models import Ecosystem
from poles.registry.models import Cluster, Phase
from poles.reports import figures as F
from poles.reports import stats
from poles.web.charts import Chart, Series
from poles.web.directory import summaries
from poles.web.figures import CATEGORY_LABELS


@dataclass
class Filters:
    """The dashboard's filters, read from the query string and checked against known values."""

    year: int
    years: list[int]
    region: str = ""
    ecosystem: str = ""
    phase: str = ""
    choices: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for chart download links)."""
        q = {"year": str(self.year), "region": self.region, "ecosystem": self.ecosystem, "phase": self.phase}
        return {k: v for k, v in q.items() if v}


def read_filters(request: HttpRequest, region: str = "") -> Filters:
    """The filters of the request; unknown values fall back to none (the latest year for the year).

    Read once per request (the page and its charts share them)."""
    cached = getattr(request, "_poles_dashboard_filters", None)
    if cached is not None and (not region or cached.region == region):
        return cached
    filters = _read_filters(request, region)
    request._poles_dashboard_filters = filters  # type: ignore[attr-defined]
    return filters


def _read_filters(request: HttpRequest, region: str) -> Filters:
    years = F.years_with_members() or [F.end_of(2000).year]
    year = _picked_year(request, years)
    from poles.territories.models import Region

    regions = [(r.code, r.name) for r in Region.objects.order_by("name")]
    french = (get_language() or "fr").startswith("fr")
    ecosystems = sorted(((e.code, e.name_fr if french else e.name_en) for e in Ecosystem.objects.all()),
                        key=lambda pair: pair[1])
    phases = [(p.code, str(p)) for p in Phase.objects.order_by("number")]
    picked = {}
    for name, options in (("region", regions), ("ecosystem", ecosystems), ("phase", phases)):
        value = region if name == "region" and region else request.GET.get(name, "")
        picked[name] = value if value in {code for code, _n in options} else ""
    return Filters(year, years, picked["region"], picked["ecosystem"], picked["phase"],
                   {"region": regions, "ecosystem": ecosystems, "phase": phases})


def sees_confidential_aggregates(request: HttpRequest) -> bool:
    """Programme officers (national, or regional for their region's clusters) read confidential aggregates."""
    scope = scope_of(request.user)
    return scope.sees_all or bool(scope.region_codes)


def selected_ids(request: HttpRequest, filters: Filters) -> list[int]:
    """The active clusters the reader may see that match the filters (once per request)."""
    memo = getattr(request, "_poles_dashboard_ids", None)
    if memo is not None and memo[0] is filters:
        return memo[1]
    ids = _selected_ids(request, filters)
    request._poles_dashboard_ids = (filters, ids)  # type: ignore[attr-defined]
    return ids


def _selected_ids(request: HttpRequest, filters: Filters) -> list[int]:
    rows = [s for s in summaries() if s.status == Cluster.Status.ACTIVE]
    allowed = set(visible(request.user, Cluster).values_list("pk", flat=True))
    rows = [s for s in rows if s.id in allowed]
    if filters.region:
        rows = [s for s in rows if filters.region in s.region_codes]
    if filters.ecosystem:
        rows = [s for s in rows if filters.ecosystem in s.ecosystem_codes]
    if filters.phase:
        certified = F.phase_clusters(filters.phase)
        rows = [s for s in rows if s.id in certified]
    return [s.id for s in rows]


@dataclass
class Aggregate:
    """The dashboard's key figures over the selected clusters (values withheld under 3 clusters)."""

    clusters: int
    published: bool
    rows: list[tuple[str, str, object]]


def aggregate(request: HttpRequest, filters: Filters, ids: list[int]) -> Aggregate:
    """The engine's values over the selected clusters, none under 3 clusters; each confidential value only
    when the engine's secrecy rule lets the reader read it (`confidentiality.may_read`)."""
    published = stats.publishable(len(ids))
    rows: list[tuple[str, str, object]] = [("clusters", _("Clusters"), len(ids))]
    if published:
        totals = F.cached_totals([filters.year], ids)[filters.year]
        each = F.cached_year_figures(filters.year)
        reader = engine.reader_of(request.user if request.user.is_authenticated else None)
        for code in F.SHOWN:
            contributors = sum(1 for i in ids if i in each and each[i].value(code) is not None)
            if may_read(reader, confidential=code in F.CONFIDENTIAL_INDICATORS, scope_cluster_ids=ids,
                        contributors=contributors):
                rows.append((code, F.label(code), totals.value(code)))
    return Aggregate(len(ids), published, rows)


def units() -> dict[str, str]:
    return {code: F.unit(code) for code in F.SHOWN} | {"clusters": "count"}


def members_chart(request: HttpRequest) -> Chart:
    """Members of the selected clusters per year (withheld under 3 clusters)."""
    filters = read_filters(request, request.GET.get("region", ""))
    ids = selected_ids(request, filters)
    years = [y for y in filters.years if y <= filters.year]
    published = stats.publishable(len(ids))
    totals = F.cached_totals(years, ids, F.MEMBERS) if published and years else {}
    values = [totals[y].members if published else None for y in years]
    return Chart(
        key="dashboard-members", kind="line", title=_("Member organisations per year"),
        description=_("Organisations members of at least one of the %(n)d clusters selected, each year.") % {"n": len(ids)},
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(_("Members"), tuple(values)),),
        note="" if published else _("Fewer than %(n)d clusters: figures not published.") % {"n": stats.MINIMUM_CLUSTERS},
    )


def categories_chart(request: HttpRequest) -> Chart:
    """Members of the selected clusters by category in the year (withheld under 3 clusters)."""
    filters = read_filters(request, request.GET.get("region", ""))
    ids = selected_ids(request, filters)
    counts: Counter[str] = Counter()
    if stats.publishable(len(ids)):
        counts = F.cached_totals([filters.year], ids, F.MEMBERS)[filters.year].categories
    codes = [c for c in F.CATEGORIES if counts.get(c)]
    total = sum(counts.values())
    return Chart(
        key="dashboard-categories", kind="bar", title=_("Members by category, %(year)s") % {"year": filters.year},
        description=_("Organisations members of the clusters selected, by category."),
        category_label=_("Category"), categories=tuple(str(CATEGORY_LABELS.get(c, c)).capitalize() for c in codes),
        series=(Series(_("Members"), tuple(counts[c] for c in codes)),),
        extra=(Series(_("Share"), tuple(stats.share(counts[c], total) for c in codes), "share"),),
    )


def region_values(request: HttpRequest, filters: Filters) -> dict[str, tuple[int, int | None]]:
    """(clusters, members or None when withheld) by region code for the selected clusters."""
    ids = set(selected_ids(request, filters))
    by_region: dict[str, list[int]] = {}
    for s in summaries():
        if s.id in ids:
            for code in s.region_codes:
                by_region.setdefault(code, []).append(s.id)
    return {code: (len(members), F.cached_totals([filters.year], members, F.MEMBERS)[filters.year].members
                   if stats.publishable(len(members)) else None)
            for code, members in by_region.items()}


def ranking(request: HttpRequest, filters: Filters) -> list[tuple[int, str, str, int]]:
    """(rank, name, slug, members) of the selected clusters by members (a public indicator)."""
    ids = set(selected_ids(request, filters))
    data = F.cached_year_figures(filters.year)
    rows = [(s.name, s.slug, data[s.id].members) for s in summaries() if s.id in ids and s.id in data]
    values = [m for _n, _s, m in rows]
    return sorted(((stats.rank(m, values) or 0, n, s, m) for n, s, m in rows), key=lambda r: (r[0], r[1]))


# --- a cluster's own indicators ------------------------------------------------------------------

def dashboard_cluster(request: HttpRequest, slug: str | None) -> Cluster:
    """The cluster of an indicators page: any cluster the reader may see, else 404."""
    cluster = visible(request.user, Cluster).filter(slug=slug or "").first()
    if cluster is None:
        raise Http404(_("No cluster with this address."))
    return cluster


def reads_confidential(request: HttpRequest, cluster: Cluster) -> bool:
    return level_for(request.user, cluster) >= Level.CONFIDENTIAL


@dataclass
class IndicatorRow:
    """One indicator of a cluster beside its peers: value, median, rank, percentile rank."""

    code: str
    label: str
    unit: str
    value: object
    median: Decimal | None
    rank: int | None
    peers: int
    percentile: Decimal | None


def cluster_indicators(request: HttpRequest, cluster: Cluster, year: int) -> list[IndicatorRow]:
    """The cluster's indicators for the year among the active clusters; confidential ones only to its readers."""
    data = F.cached_year_figures(year)
    active = [s.id for s in summaries() if s.status == Cluster.Status.ACTIVE and s.id in data]
    codes = F.INDICATORS if reads_confidential(request, cluster) else F.PUBLIC_INDICATORS
    mine = data.get(cluster.pk) or F.Figures(cluster.pk, year)
    rows = []
    for code in codes:
        peers = [data[i].value(code) for i in active]
        value = mine.value(code)
        rows.append(IndicatorRow(code, F.label(code), F.unit(code), value, stats.peer_median(peers),
                                 stats.peer_rank(value, peers), sum(1 for v in peers if v is not None),
                                 stats.percentile_rank(value, peers) if stats.peer_median(peers) is not None else None))
    return rows


def _picked_year(request: HttpRequest, years: list[int]) -> int:
    """The `year` asked for when the register has members that year, else the latest such year."""
    try:
        year = int(request.GET.get("year", years[-1]))
    except ValueError:
        return years[-1]
    return year if year in years else years[-1]


def cluster_year(request: HttpRequest) -> int:
    return _picked_year(request, F.years_with_members() or [2000])


def cluster_trend_chart(request: HttpRequest) -> Chart:
    """A cluster's members per year beside the median of the active clusters."""
    cluster = dashboard_cluster(request, request.GET.get("cluster"))
    year = cluster_year(request)
    years = [y for y in (F.years_with_members() or []) if y <= year]
    mine, median = [], []
    active = _active_ids()
    for y in years:
        data = F.cached_year_figures(y)
        mine.append(data[cluster.pk].members if cluster.pk in data else None)
        median.append(stats.peer_median([f.members for i, f in data.items() if i in active]))
    name = cluster.short_name or cluster.name
    return Chart(
        key="dashboard-cluster-members", kind="line", title=_("Members of %(name)s and the median of its peers") % {"name": name},
        description=_("Member organisations of the cluster each year, beside the median of the active clusters."),
        category_label=_("Year"), categories=tuple(str(y) for y in years),
        series=(Series(name, tuple(mine)), Series(_("Median of peers"), tuple(median))),
    )


def _active_ids() -> set[int]:
    return {s.id for s in summaries() if s.status == Cluster.Status.ACTIVE}


def cluster_peers_chart(request: HttpRequest) -> Chart:
    """A cluster's shares beside its peers' median (the private share only to the cluster's readers)."""
    cluster = dashboard_cluster(request, request.GET.get("cluster"))
    rows = [r for r in cluster_indicators(request, cluster, cluster_year(request)) if r.unit == "share"]
    name = cluster.short_name or cluster.name
    return Chart(
        key="dashboard-cluster-peers", kind="bar", title=_("%(name)s and the median of its peers") % {"name": name},
        description=_("Shares of the cluster beside the median of the active clusters."),
        category_label=_("Indicator"), categories=tuple(r.label for r in rows),
        series=(Series(name, tuple(r.value for r in rows), "share"),
                Series(_("Median of peers"), tuple(r.median for r in rows), "share")),
    )


BUILDERS = {
    "dashboard-members": members_chart,
    "dashboard-categories": categories_chart,
    "dashboard-cluster-members": cluster_trend_chart,
    "dashboard-cluster-peers": cluster_peers_chart,
}
