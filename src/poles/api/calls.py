"""Calls for projects: the register's calls (public), and the calls set up for applications with their rules."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api.caller import who
from poles.api.common import get_visible
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money, money
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


# --- calls with their workflow part (poles.calls) -----------------------------------------------

class RoundOut(Schema):
    number: int
    opens_at: dt.datetime
    closes_at: dt.datetime


class PublishedCallOut(Schema):
    """A call as applicants read it: rounds, rules, rates, form and grid; the officers' settings only for them."""

    id: int
    code: str
    funder: str
    programme: str
    title: str
    status: str
    envelope: Money
    rounds: list[RoundOut]
    open_now: bool = Field(..., description="A round is open at the server's time.")
    closes_at: dt.datetime | None = Field(None, description="The end of the open round (or of the next one).")
    eligibility: list[dict]
    rates: dict
    form: list[dict]
    grid: list[dict]
    reviews_per_file: int
    caps: list[dict] | None = Field(None, description="Selection caps (programme officers only).")
    objective: str | None = Field(None, description="Selection objective (programme officers only).")
    waitlist_size: int | None = Field(None, description="Programme officers only.")
    exclude_cluster_reviewers: bool | None = Field(None, description="Programme officers only.")


def _setups(request):
    from poles.calls import permissions
    from poles.calls.models import CallSetup

    user = who(request)
    officer = permissions.can_manage_calls(user)[0]
    qs = CallSetup.objects.select_related("call").prefetch_related("rounds").order_by("call__code")
    return (qs if officer else qs.filter(status=CallSetup.Status.PUBLISHED)), officer


def setup_row(setup, officer: bool) -> dict:
    from poles.calls.rounds import round_at
    from poles.calls.transitions import server_time

    now = server_time()
    windows = setup.windows()
    current = round_at(windows, now)
    ahead = sorted((w for w in windows if w.closes >= now), key=lambda w: w.closes)
    call = setup.call
    return {
        "id": call.pk, "code": call.code, "funder": call.funder, "programme": call.programme, "title": call.title,
        "status": setup.status, "envelope": money(setup.envelope),
        "rounds": [{"number": w.number, "opens_at": w.opens, "closes_at": w.closes} for w in windows],
        "open_now": current is not None,
        "closes_at": current.closes if current else (ahead[0].closes if ahead else None),
        "eligibility": setup.eligibility or [], "rates": setup.rates or {}, "form": setup.form or [],
        "grid": setup.grid or [], "reviews_per_file": setup.reviews_per_file,
        "caps": setup.caps if officer else None, "objective": setup.objective if officer else None,
        "waitlist_size": setup.waitlist_size if officer else None,
        "exclude_cluster_reviewers": setup.exclude_cluster_reviewers if officer else None,
    }


@router.get("/published", response=list[PublishedCallOut], summary="Calls published for applications")
def list_published_calls(request):
    """Published calls with their rounds and rules (programme officers also see draft and closed ones)."""
    qs, officer = _setups(request)
    return [setup_row(s, officer) for s in qs[:500]]


@router.get("/{int:call_id}/setup", response=PublishedCallOut, summary="One call's rounds, rules, form and grid")
def get_call_setup(request, call_id: int):
    from poles.api.applications import row_id

    qs, officer = _setups(request)
    setup = qs.filter(pk=row_id(call_id, "call_id")).first()
    if setup is None:
        raise Http404(_("Call %(id)s has no published setup visible to you.") % {"id": call_id})
    return setup_row(setup, officer)
