"""The dashboards: national (with filters), regional (the same, one region) and a cluster's indicators."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from poles.reports import stats
from poles.reports.figures import display as page_format
from poles.territories.models import Region
from poles.web import dashboards as dash
from poles.web import francemap
from poles.web.chartdata import rendered
from poles.web.pagecache import public_page


@public_page
def national(request: HttpRequest) -> HttpResponse:
    """Figures of the clusters selected by year, region, ecosystem and phase; map; ranking."""
    return _dashboard(request, "")


@public_page
def regional(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard of one region's clusters."""
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(_("No region with this code."))
    return _dashboard(request, region.code, region.name)


def _dashboard(request: HttpRequest, region: str, region_name: str = "") -> HttpResponse:
    filters = dash.read_filters(request, region)
    ids = dash.selected_ids(request, filters)
    agg = dash.aggregate(request, filters, ids)
    units = dash.units()
    query = filters.query()
    regions = dash.region_values(request, filters)
    names = dict(filters.choices["region"])
    base = reverse("dashboard")
    values = {code: m for code, (_n, m) in regions.items()}
    try:
        svg = mark_safe(francemap.render_svg(  # noqa: S308 — built from escaped parts
            values, {code: reverse("dashboard_region", args=[code]) for code in names},
            {code: _("%(region)s: %(value)s") % {"region": names.get(code, code), "value": page_format(m, "count")}
             for code, m in values.items()}))
    except francemap.MapUnavailable:
        svg = ""
    highest = max((v for v in values.values() if v is not None), default=0)
    return render(request, "web/dashboards/index.html", {
        "filters": filters, "region_name": region_name, "aggregate": agg,
        "key_rows": [(label, page_format(value, units[code])) for code, label, value in agg.rows],
        "charts": [rendered(dash.members_chart(request), **query), rendered(dash.categories_chart(request), **query)]
        if agg.published else [],
        "map_svg": svg if not region else "", "legend": francemap.legend(highest, lambda v: page_format(v, "count")),
        "region_rows": sorted(((names.get(c, c), c, n, m) for c, (n, m) in regions.items()), key=lambda r: r[0]),
        "ranking": dash.ranking(request, filters), "minimum": stats.MINIMUM_CLUSTERS, "base": base,
    })


@public_page
def cluster(request: HttpRequest, slug: str) -> HttpResponse:
    """A cluster's indicators beside the median of its peers, with its rank; confidential ones to its readers."""
    target = dash.dashboard_cluster(request, slug)
    request.GET = request.GET.copy()
    request.GET["cluster"] = target.slug
    year = dash.cluster_year(request)
    rows = dash.cluster_indicators(request, target, year)
    query = {"cluster": target.slug, "year": year}
    return render(request, "web/dashboards/cluster.html", {
        "cluster": target, "year": year, "years": dash.F.years_with_members(),
        "rows": [{"row": r, "value": page_format(r.value, r.unit), "median": page_format(r.median, r.unit),
                  "percentile": page_format(r.percentile, "share") if r.percentile is not None else "—"}
                 for r in rows],
        "confidential": dash.reads_confidential(request, target),
        "charts": [rendered(dash.cluster_trend_chart(request), **query),
                   rendered(dash.cluster_peers_chart(request), **query)],
    })
