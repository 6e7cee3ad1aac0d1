"""Full-text search: clusters, organisations and projects matching a query, public fields, best first."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api import clusters, organisations, projects
from poles.api.caller import who
from poles.projects.models import Project
from poles.registry.models import Cluster, Organisation
from poles.search.results import search as find

router = Router(tags=["search"])
Kind = Literal["cluster", "organisation", "project"]


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="Words; each matches the beginning of a "
                   "word, accents and capitals aside (`aero` finds Aerospace Valley).")
    kind: Kind | None = Field(None, description="One kind only (default: all three).")
    page: int = Field(1, ge=1, le=10_000, description="Page number, from 1 (within each kind).")
    page_size: int = Field(20, ge=1, le=100, description="Hits per kind and page (≤ 100).")


class ClusterHits(Schema):
    count: int
    results: list[clusters.ClusterPublic]


class OrganisationHits(Schema):
    count: int
    results: list[organisations.OrganisationPublic]


class ProjectHits(Schema):
    count: int
    results: list[projects.ProjectPublic]


class SearchOut(Schema):
    query: str
    cluster: ClusterHits | None = None
    organisation: OrganisationHits | None = None
    project: ProjectHits | None = None


MODULES = {"cluster": (Cluster, clusters), "organisation": (Organisation, organisations),
           "project": (Project, projects)}


@router.get("", response=SearchOut, summary="Search the register")
def search(request, query: Query[SearchQuery]):
    """The visible rows of each kind matching `q`, ranked (name hits first), at the public field level
    whoever calls: the same engine and permission layer as the site's search page."""
    user = who(request)
    out: dict = {"query": query.q}
    start = (query.page - 1) * query.page_size
    for kind in ((query.kind,) if query.kind else MODULES):
        model, module = MODULES[kind]
        hits = find(user, query.q, kind, module.prepare(model.objects.all(), Level.PUBLIC))
        out[kind] = {"count": hits.total,
                     "results": [module.row(o, Level.PUBLIC) for o in hits[start:start + query.page_size]]}
    return out
