"""Decisions: the programme officer runs the exact selection of a call, reads it, and confirms it.

`POST /selections` ranks the reviewed files and selects exactly under the envelope and the caps
(`calls.deciding.propose`), writing one selection and a decision per file with its reasons;
`POST /selections/{id}/confirm` runs each decision through the transition service (selected,
waitlisted, rejected; audited and notified). Programme officers only (`can_manage_calls`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from poles.api.applications import ReasonOut, row_id
from poles.api.caller import who
from poles.api.money import Money, money
from poles.api.problems import Problem
from poles.calls import deciding, permissions
from poles.calls.models import CallSetup, Selection
from poles.calls.reasons import CallDataError
from poles.calls.selection import SelectionError
from poles.calls.transitions import Refused

router = Router(tags=["decisions"])


class DecisionOut(Schema):
    application: int
    acronym: str
    outcome: str
    rank: int
    position: int
    score: str
    aid: Money
    reasons: list[ReasonOut]


class SelectionOut(Schema):
    id: int
    call: int
    envelope: Money
    objective: str
    caps: list[dict]
    total_score: str
    total_aid: Money
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    decisions: list[DecisionOut]


def selection_row(selection: Selection) -> dict:
    return {
        "id": selection.pk, "call": selection.setup_id, "envelope": money(selection.envelope),
        "objective": selection.objective, "caps": selection.caps or [], "total_score": str(selection.total_score),
        "total_aid": money(selection.total_aid), "created_at": selection.created_at,
        "confirmed_at": selection.confirmed_at,
        "decisions": [{
            "application": d.application_id, "acronym": d.application.acronym, "outcome": d.outcome,
            "rank": d.rank, "position": d.position, "score": str(d.score), "aid": money(d.aid), "reasons": d.reasons,
        } for d in selection.decisions.select_related("application").order_by("position")],
    }


def _officer(request):
    user = who(request)
    permissions.check(permissions.can_manage_calls(user))
    return user


class SelectionIn(Schema):
    call: int
    envelope: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2,
                                     description="Another envelope than the call's (a what-if that is kept).")
    objective: CallSetup.Objective | None = None
    caps: list[dict] | None = Field(None, description="[{dimension, key, max_files | max_amount}]; the call's by default.")


@router.post("", response={201: SelectionOut}, summary="Rank and select a call's reviewed files exactly")
def run_selection(request, payload: SelectionIn):
    user = _officer(request)
    setup = CallSetup.objects.filter(pk=row_id(payload.call, "call")).first()
    if setup is None:
        raise Problem(422, _("call: no call set up for selection has id %(id)s") % {"id": payload.call})
    try:
        selection = deciding.propose(user, setup, envelope=payload.envelope, objective=payload.objective,
                                     caps=payload.caps, channel="api")
    except CallDataError as error:
        raise Problem(422, error.reason.text(get_language() or "fr")) from error
    except SelectionError as error:
        raise Problem(422, str(error)) from error
    return Status(201, selection_row(selection))


class SolveOut(Schema):
    envelope: Money
    selected: list[int] = Field(..., description="The files selected, by id.")
    total_score: str
    total_aid: Money


class WhatIfQuery(Schema):
    call: int
    envelope: Decimal = Field(..., ge=0, max_digits=16, decimal_places=2, description="Another envelope, EUR.")


class WhatIfOut(Schema):
    call: int
    current: SolveOut = Field(..., description="The selection under the call's envelope.")
    other: SolveOut = Field(..., description="The selection under the other envelope.")
    entering: list[int] = Field(..., description="Files selected with the other envelope only.")
    leaving: list[int] = Field(..., description="Files selected with the call's envelope only.")


def _solve(result) -> dict:
    return {"envelope": money(result.envelope), "selected": sorted(result.selected),
            "total_score": str(result.total_score), "total_aid": money(result.total_cost)}


@router.get("/what-if", response=WhatIfOut, summary="The selection re-solved for another envelope (nothing written)")
def what_if(request, query: Query[WhatIfQuery]):
    """The same candidates, objective and caps as the call's; the files entering and leaving the selection."""
    user = _officer(request)
    call, envelope = query.call, query.envelope
    setup = CallSetup.objects.filter(pk=row_id(call, "call")).first()
    if setup is None:
        raise Problem(422, _("call: no call set up for selection has id %(id)s") % {"id": call})
    try:
        result = deciding.what_if_envelope(user, setup, envelope)
    except CallDataError as error:
        raise Problem(422, error.reason.text(get_language() or "fr")) from error
    except SelectionError as error:
        raise Problem(422, str(error)) from error
    return {"call": setup.pk, "current": _solve(result.current), "other": _solve(result.other),
            "entering": sorted(result.entering), "leaving": sorted(result.leaving)}


def _selection(request, selection_id: int) -> Selection:
    _officer(request)
    selection = Selection.objects.filter(pk=row_id(selection_id, "selection_id")).first()
    if selection is None:
        raise Http404(_("Selection %(id)s does not exist.") % {"id": selection_id})
    return selection


@router.get("/{int:selection_id}", response=SelectionOut, summary="One selection and every file's decision")
def get_selection(request, selection_id: int):
    return selection_row(_selection(request, selection_id))


@router.post("/{int:selection_id}/confirm", response=SelectionOut,
             summary="Confirm a selection: files move to selected, waitlisted or rejected")
def confirm_selection(request, selection_id: int):
    """409 when already confirmed or when a file's transition is refused (nothing is moved then)."""
    selection = _selection(request, selection_id)
    if selection.confirmed_at is not None:
        raise Problem(409, _("This selection is already confirmed."))
    try:
        deciding.confirm(who(request), selection, channel="api")
    except Refused as refusal:
        raise Problem(409, refusal.text(get_language() or "fr"),
                      reasons=[r.as_dict() for r in refusal.reasons]) from refusal
    return selection_row(selection)
