"""Fundings of projects: amounts at the confidential level."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api.common import get_visible, level
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money
from poles.api.serialize import serialize
from poles.projects.filters import filter_fundings
from poles.projects.models import Funding

router = Router(tags=["fundings"])


class FundingPublic(Schema):
    id: int
    project: int
    funder: str
    funder_detail: str
    instrument: str
    date: dt.date | None
    year: int | None


class FundingMembers(FundingPublic):
    source: str


class FundingConfidential(FundingMembers):
    amount: Money | None


SCHEMAS = {Level.PUBLIC: FundingPublic, Level.MEMBERS: FundingMembers,
           Level.CONFIDENTIAL: FundingConfidential}
FundingOut = FundingConfidential | FundingMembers | FundingPublic
FundingPage = page_schema("FundingPage", FundingOut)
ORDERINGS = {"project": "project_id", "funder": "funder", "date": "date", "year": "year",
             "amount": "amount", "id": "pk"}


class FundingQuery(ListQuery):
    project: int | None = None
    funder: str | None = Field(None, max_length=12)
    instrument: str | None = Field(None, max_length=8)
    year: int | None = Field(None, ge=1900, le=2100)
    cluster: str | None = Field(None, max_length=80)


def row(f: Funding, lv: Level) -> dict:
    return serialize(f, lv)


def _list(request, query, as_csv=False):
    return listing(request, Funding, query, row=row, schemas=SCHEMAS, filter_fn=filter_fundings,
                   orderings=ORDERINGS, default=["project_id", "date"], csv_name="fundings",
                   as_csv=as_csv)


@router.get("", response=FundingPage, summary="List fundings")
def list_fundings(request, query: Query[FundingQuery]):
    return _list(request, query)


@router.get("/export.csv", summary="Export fundings as CSV",
            openapi_extra=CSV_OPENAPI)
def export_fundings(request, query: Query[FundingQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{int:funding_id}", response=FundingOut, summary="One funding")
def get_funding(request, funding_id: int):
    f = get_visible(request, Funding, funding_id)
    return row(f, level(request, f))
