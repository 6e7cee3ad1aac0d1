"""Reviewer assignment for the programme officers: who reviews which file, by hand or automatically.

Through the services of the assignments page (`calls.reviewing`): `assign_manually` refuses a
conflicted or excluded reviewer with the reason (409), `assign_automatically` completes every open
file of a call to its reviews per file with balanced loads and reports the shortages;
`exclusions` says who may not review which file and why. Each assignment is audited and the
reviewers notified. Programme officers only (`can_manage_calls`): a reviewer's own files are at
`/reviews/assignments`; nobody else learns who reviews a file.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from poles.api.applications import ReasonOut, refusals, row_id
from poles.api.caller import who
from poles.api.problems import Problem
from poles.calls import permissions, reviewing
from poles.calls.models import Application, Assignment, CallSetup

router = Router(tags=["reviewer assignment"])


class OfficerAssignmentOut(Schema):
    id: int
    application: int
    acronym: str
    reviewer: int
    reviewer_name: str
    how: str = Field(..., description="auto or manual.")
    assigned_at: dt.datetime
    review_status: str | None


class PairOut(Schema):
    application: int
    reviewer: int


class LoadOut(Schema):
    reviewer: int
    load: int


class ShortageOut(Schema):
    application: int
    reason: ReasonOut


class PlanOut(Schema):
    added: list[PairOut]
    loads: list[LoadOut] = Field(..., description="Open reviews per reviewer of the pool after the assignment.")
    spread: int = Field(..., description="Highest minus lowest load.")
    shortages: list[ShortageOut] = Field(..., description="Files short of reviewers, and why.")


class ExclusionOut(Schema):
    application: int
    reviewer: int
    reason: str


def _officer(request):
    user = who(request)
    permissions.check(permissions.can_manage_calls(user))
    return user


def _setup(call: int) -> CallSetup:
    setup = CallSetup.objects.filter(pk=row_id(call, "call")).first()
    if setup is None:
        raise Problem(422, _("call: no call set up for selection has id %(id)s") % {"id": call})
    return setup


def assignment_row(a: Assignment) -> dict:
    reviewer = a.reviewer
    return {"id": a.pk, "application": a.application_id, "acronym": a.application.acronym, "reviewer": reviewer.pk,
            "reviewer_name": reviewer.get_full_name() or reviewer.email or reviewer.username, "how": a.how,
            "assigned_at": a.assigned_at, "review_status": getattr(getattr(a, "review", None), "status", None)}


@router.get("", response=list[OfficerAssignmentOut], summary="Who reviews which file of a call")
def list_call_assignments(request, call: int):
    _officer(request)
    qs = (Assignment.objects.filter(application__setup=_setup(call))
          .select_related("application", "reviewer", "review").order_by("application__acronym", "pk"))
    return [assignment_row(a) for a in qs]


class ManualIn(Schema):
    application: int
    reviewer: int = Field(..., description="A user holding an active reviewer grant.")


@router.post("", response={201: OfficerAssignmentOut}, summary="Assign one reviewer to a file by hand")
def assign_manually(request, payload: ManualIn):
    """409 with the reason when the reviewer is conflicted or excluded, or not a reviewer."""
    user = _officer(request)
    app = Application.objects.filter(pk=row_id(payload.application, "application")).first()
    if app is None:
        raise Problem(422, _("application: no file has id %(id)s") % {"id": payload.application})
    reviewer = get_user_model().objects.filter(pk=row_id(payload.reviewer, "reviewer")).first()
    if reviewer is None:
        raise Problem(422, _("reviewer: no user has id %(id)s") % {"id": payload.reviewer})
    with refusals():
        row = reviewing.assign_manually(user, app, reviewer, channel="api")
    return Status(201, assignment_row(Assignment.objects.select_related("application", "reviewer").get(pk=row.pk)))


class AutomaticIn(Schema):
    call: int


@router.post("/automatic", response=PlanOut, summary="Complete every open file of a call to its reviewers, balanced")
def assign_automatically(request, payload: AutomaticIn):
    """Existing assignments stay; conflicted reviewers are never chosen (see `/assignments/exclusions`)."""
    user = _officer(request)
    setup = _setup(payload.call)
    with refusals():
        plan = reviewing.assign_automatically(user, setup, channel="api")
    return {"added": [{"application": f, "reviewer": r} for f, r in sorted(plan.added)],
            "loads": [{"reviewer": r, "load": n} for r, n in sorted(plan.loads.items())], "spread": plan.spread,
            "shortages": [{"application": f, "reason": reason.as_dict()} for f, reason in sorted(plan.shortages.items())]}


@router.get("/exclusions", response=list[ExclusionOut], summary="Who may not review which open file of a call, and why")
def list_exclusions(request, call: int):
    _officer(request)
    language = get_language() or "fr"
    return [{"application": f, "reviewer": r, "reason": reason.text(language)}
            for f, rows in sorted(reviewing.exclusions(_setup(call)).items()) for r, reason in rows]
