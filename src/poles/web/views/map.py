"""The map of France: clusters by region as a server-built SVG choropleth, with its table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from poles.access.permissions import visible
from poles.registry.models import Cluster
from poles.territories.models import Region
from poles.web import francemap
from poles.web.directory import summaries
from poles.web.pagecache import public_page


def region_counts(allowed: set[int]) -> dict[str, int]:
    """Active clusters per region code (a cluster in two regions counts in both)."""
    counts: dict[str, int] = {}
    for s in summaries():
        if s.id in allowed and s.status == Cluster.Status.ACTIVE:
            for code in s.region_codes:
                counts[code] = counts.get(code, 0) + 1
    return counts


@public_page
def cluster_map(request: HttpRequest) -> HttpResponse:
    """The choropleth and the same figures as a table (its text alternative)."""
    allowed = set(visible(request.user, Cluster).values_list("pk", flat=True))
    counts = region_counts(allowed)
    regions = list(Region.objects.order_by("name"))
    directory = reverse("directory")
    links = {r.code: f"{directory}?{urlencode({'region': r.code})}" for r in regions}
    titles = {
        r.code: ngettext("%(region)s: %(n)d cluster", "%(region)s: %(n)d clusters", counts.get(r.code, 0))
        % {"region": r.name, "n": counts.get(r.code, 0)}
        for r in regions
    }
    try:
        svg = mark_safe(francemap.render_svg(counts, links, titles))  # noqa: S308 — built from escaped parts
        missing = ""
    except francemap.MapUnavailable as error:
        svg, missing = "", str(error)
    rows = [
        {"region": r, "count": counts.get(r.code, 0), "link": links[r.code]}
        for r in regions if counts.get(r.code, 0) or not r.overseas
    ]
    return render(request, "web/map.html", {
        "svg": svg,
        "missing": missing,
        "rows": rows,
        "legend": francemap.legend(max(counts.values(), default=0)),
        "map_title": _("Number of clusters by region"),
    })
