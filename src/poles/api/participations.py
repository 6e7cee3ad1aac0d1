"""Participations of organisations in projects: budgets and aid at the confidential level."""

from __future__ import annotations

from django.db.models import F
from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api.common import get_visible, level
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money
from poles.api.serialize import serialize
from poles.projects.filters import filter_participations
from poles.projects.models import Participation

router = Router(tags=["participations"])


class ParticipationPublic(Schema):
    id: int
    project: int
    organisation: int
    role: str
    organisation_name: str


class ParticipationMembers(ParticipationPublic):
    activity_type: str
    source: str


class ParticipationConfidential(ParticipationMembers):
    budget: Money | None
    aid: Money | None


SCHEMAS = {Level.PUBLIC: ParticipationPublic, Level.MEMBERS: ParticipationMembers,
           Level.CONFIDENTIAL: ParticipationConfidential}
ParticipationOut = ParticipationConfidential | ParticipationMembers | ParticipationPublic
ParticipationPage = page_schema("ParticipationPage", ParticipationOut)
ORDERINGS = {"project": "project_id", "organisation": "organisation__name", "role": "role",
             "budget": "budget", "aid": "aid", "id": "pk"}


class ParticipationQuery(ListQuery):
    project: int | None = None
    organisation: int | None = None
    role: str | None = Field(None, max_length=14)
    cluster: str | None = Field(None, max_length=80)


def row(p: Participation, lv: Level) -> dict:
    return serialize(p, lv, extra={"organisation_name": lambda p: p.organisation_name})


def _base():
    return Participation.objects.annotate(organisation_name=F("organisation__name"))


def _list(request, query, as_csv=False):
    return listing(request, Participation, query, row=row, schemas=SCHEMAS,
                   filter_fn=filter_participations, orderings=ORDERINGS, default=["project_id", "pk"],
                   csv_name="participations", as_csv=as_csv,
                   prepare=lambda qs, top: qs.annotate(organisation_name=F("organisation__name")))


@router.get("", response=ParticipationPage, summary="List participations")
def list_participations(request, query: Query[ParticipationQuery]):
    return _list(request, query)


@router.get("/export.csv", summary="Export participations as CSV",
            openapi_extra=CSV_OPENAPI)
def export_participations(request, query: Query[ParticipationQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{int:participation_id}", response=ParticipationOut, summary="One participation")
def get_participation(request, participation_id: int):
    p = get_visible(request, _base(), participation_id)
    return row(p, level(request, p))
