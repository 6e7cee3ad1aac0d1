"""Calls for projects: public."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api.common import get_visible
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money
from poles.api.serialize import serialize
from poles.projects.filters import filter_calls
from poles.projects.models import Call

router = Router(tags=["calls"])


class CallOut(Schema):
    id: int
    code: str
    funder: str
    programme: str
    title: str
    description: str
    opens: dt.date | None
    closes: dt.date | None
    budget: Money | None
    url: str
    source: str
    is_generated: bool


SCHEMAS = {Level.PUBLIC: CallOut}
CallPage = page_schema("CallPage", CallOut)
ORDERINGS = {"opens": "opens", "closes": "closes", "title": "title", "code": "code",
             "funder": "funder", "budget": "budget", "id": "pk"}


class CallQuery(ListQuery):
    funder: str | None = Field(None, max_length=12)
    open: bool | None = Field(None, description="Open today (true) or not (false).")
    year: int | None = Field(None, ge=1900, le=2100, description="Opening year.")
    q: str | None = Field(None, max_length=200)


def row(c: Call, lv: Level) -> dict:
    return serialize(c, Level.PUBLIC)


def _list(request, query, as_csv=False):
    return listing(request, Call, query, row=row, schemas=SCHEMAS, filter_fn=filter_calls,
                   orderings=ORDERINGS, default=["-opens", "title"], csv_name="calls", as_csv=as_csv)


@router.get("", response=CallPage, summary="List calls for projects")
def list_calls(request, query: Query[CallQuery]):
    return _list(request, query)


@router.get("/export.csv", summary="Export calls as CSV",
            openapi_extra=CSV_OPENAPI)
def export_calls(request, query: Query[CallQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{int:call_id}", response=CallOut, summary="One call for projects")
def get_call(request, call_id: int):
    return row(get_visible(request, Call, call_id), Level.PUBLIC)
