"""Projects: list, export, detail at the reader's level (unpublished ones only for the entitled); update."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from poles.access import writes
from poles.access.permissions import Level
from poles.api.caller import who
from poles.api.common import get_visible, level
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money
from poles.api.serialize import serialize
from poles.projects.filters import filter_projects
from poles.projects.models import Project, ProjectCluster

router = Router(tags=["projects"])


class ProjectClusterOut(Schema):
    cluster: int
    role: str
    year: int | None


class ProjectPublic(Schema):
    id: int
    key: str
    acronym: str
    title: str
    summary: str
    kind: str
    status: str
    start_date: dt.date | None
    end_date: dt.date | None
    call: int | None
    programme: str
    clusters: list[ProjectClusterOut]
    is_generated: bool


class ProjectMembers(ProjectPublic):
    researchers: int | None
    products_to_market: int | None
    patents: int | None
    jobs_created: int | None
    is_public: bool
    source: str


class ProjectConfidential(ProjectMembers):
    total_cost: Money | None
    rd_expenditure: Money | None


SCHEMAS = {Level.PUBLIC: ProjectPublic, Level.MEMBERS: ProjectMembers,
           Level.CONFIDENTIAL: ProjectConfidential}
ProjectOut = ProjectConfidential | ProjectMembers | ProjectPublic
ProjectPage = page_schema("ProjectPage", ProjectOut)
ORDERINGS = {"acronym": "acronym", "title": "title", "start_date": "start_date",
             "end_date": "end_date", "status": "status", "total_cost": "total_cost", "id": "pk"}


class ProjectQuery(ListQuery):
    cluster: str | None = Field(None, max_length=80, description="Cluster id or slug.")
    region: str | None = Field(None, max_length=100, description="Region of a linked cluster.")
    theme: str | None = Field(None, max_length=100)
    ecosystem: str | None = Field(None, max_length=40)
    status: str | None = Field(None, max_length=10)
    kind: str | None = Field(None, max_length=12)
    funder: str | None = Field(None, max_length=12)
    year: int | None = Field(None, ge=1900, le=2100, description="Start year.")
    organisation: int | None = Field(None, description="A partner organisation's id.")
    q: str | None = Field(None, max_length=200)


def row(p: Project, lv: Level) -> dict:
    return serialize(p, lv, special={
        "clusters": lambda p: [
            {"cluster": link.cluster_id, "role": link.role, "year": link.year}
            for link in p.cluster_links.all()
        ],
    })


def prepare(qs, top: Level):
    return qs.prefetch_related(Prefetch("cluster_links", queryset=ProjectCluster.objects.order_by("pk")))


def _list(request, query, as_csv=False):
    return listing(request, Project, query, row=row, schemas=SCHEMAS, filter_fn=filter_projects,
                   orderings=ORDERINGS, default=["-start_date", "acronym"], prepare=prepare,
                   csv_name="projects", as_csv=as_csv)


@router.get("", response=ProjectPage, summary="List projects")
def list_projects(request, query: Query[ProjectQuery]):
    return _list(request, query)


@router.get("/export.csv", summary="Export projects as CSV",
            openapi_extra=CSV_OPENAPI)
def export_projects(request, query: Query[ProjectQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{int:project_id}", response=ProjectOut, summary="One project")
def get_project(request, project_id: int):
    project = get_visible(request, prepare(Project.objects.all(), Level.CONFIDENTIAL), project_id)
    return row(project, level(request, project))


class ProjectPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=500)
    summary: str | None = Field(None, max_length=20000)
    kind: Project.Kind | None = None
    status: Project.Status | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    programme: str | None = Field(None, max_length=200)
    total_cost: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    rd_expenditure: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    researchers: int | None = Field(None, ge=0, le=1_000_000)
    products_to_market: int | None = Field(None, ge=0, le=1_000_000)
    patents: int | None = Field(None, ge=0, le=1_000_000)
    jobs_created: int | None = Field(None, ge=0, le=1_000_000)
    is_public: bool | None = None


@router.patch("/{int:project_id}", response=ProjectOut, summary="Update a project")
def update_project(request, project_id: int, payload: ProjectPatch):
    """Change a project of a cluster one manages; audit entry written."""
    project = get_visible(request, Project, project_id)
    data = payload.model_dump(exclude_unset=True)
    for name in ("title", "kind", "status", "is_public"):
        if name in data and data[name] is None:
            data.pop(name)
    for name in ("summary", "programme"):
        if name in data and data[name] is None:
            data[name] = ""
    if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
        from poles.api.problems import Problem

        raise Problem(422, gettext("end_date: must not come before start_date"))
    writes.update_project(who(request), project, data, channel="api")
    project = prepare(Project.objects.all(), Level.CONFIDENTIAL).get(pk=project.pk)
    return row(project, level(request, project))
