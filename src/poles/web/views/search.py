"""The site search (`/search/?q=`) and the public page of an organisation."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from poles.access.fieldlevels import Level
from poles.access.permissions import visible
from poles.projects.models import Participation, Project
from poles.registry.models import Cluster, Membership, Organisation
from poles.search.results import KINDS, search
from poles.web.fields import readable
from poles.web.pagecache import public_page

PREVIEW = {"cluster": 6, "organisation": 10, "project": 6}
"""How many hits of each kind the overview shows before "see all"."""
PAGE_SIZE = 20
MAX_QUERY = 200


SHOWN = {
    "cluster": ("name", "slug", "themes_fr", "themes_en"),
    "organisation": ("name", "kind", "city", "siren", "naf"),
    "project": ("acronym", "title"),
}
"""The public fields a hit shows (a test keeps them public); only these are read from the database."""


def _querysets() -> dict[str, object]:
    return {
        "cluster": Cluster.objects.only(*SHOWN["cluster"]).prefetch_related("regions"),
        "organisation": Organisation.objects.select_related("naf").only(
            *SHOWN["organisation"], "naf__code", "naf__label"),
        "project": Project.objects.only(*SHOWN["project"]),
    }


def _present(kind: str, objects: list) -> list[dict]:
    """What a hit shows: a few public fields."""
    rows = []
    for o in objects:
        row = {"pk": o.pk, **{name: getattr(o, name) for name in SHOWN[kind]}}
        if kind == "organisation":
            row["kind_display"] = o.get_kind_display()
        elif kind == "cluster":
            row["regions"] = [r.name for r in o.regions.all()]
            row["themes"] = o.themes  # the reader's language, else the other
        rows.append(row)
    return rows


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    """Clusters, organisations and projects matching `q`, grouped; `kind` pages through one group."""
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    kind = request.GET.get("kind") or ""
    if kind not in KINDS:
        kind = ""
    querysets = _querysets()
    groups, page = [], None
    if query:
        for name in ((kind,) if kind else KINDS):
            hits = search(request.user, query, name, querysets[name])
            if kind:
                page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
                items = _present(name, list(page.object_list))
            else:
                items = _present(name, hits[:PREVIEW[name]])
            groups.append({"kind": name, "total": hits.total, "items": items,
                           "more": not kind and hits.total > PREVIEW[name]})
    return render(request, "web/search.html", {
        "query": query, "kind": kind, "groups": groups, "page": page,
        "total": sum(g["total"] for g in groups),
    })


@public_page
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's public fields, with the memberships and projects the reader may see."""
    organisation = visible(request.user, Organisation).filter(pk=pk).select_related("naf").first()
    if organisation is None:
        raise Http404(_("No organisation with this number."))
    memberships = (
        visible(request.user, Membership.objects.filter(organisation=organisation))
        .select_related("cluster").order_by("cluster__name", "-year")
    )
    clusters: dict[int, dict] = {}
    for m in memberships:
        entry = clusters.setdefault(m.cluster_id, {"cluster": m.cluster, "years": []})
        entry["years"].append(m.year)
    participations = (
        visible(request.user, Participation.objects.filter(organisation=organisation))
        .select_related("project").order_by("-project__start_date", "project__acronym")
    )
    return render(request, "web/organisation.html", {
        "organisation": readable(organisation, Level.PUBLIC, {"naf": organisation.naf}),
        "clusters": list(clusters.values()),
        "participations": [
            {"project": readable(p.project, Level.PUBLIC), "role_display": p.get_role_display()}
            for p in participations
        ],
    })
