"""Consents: representative grants waiting for a current representative's or a programme officer's yes."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.utils.translation import gettext as _
from ninja import Router, Schema

from poles.access.invitations import awaiting_for, decide
from poles.access.models import Grant
from poles.api.caller import who
from poles.api.problems import Problem

router = Router(tags=["consents"])


class ConsentOut(Schema):
    id: int
    email: str
    role: str
    cluster: int
    organisation: int | None
    organisation_name: str | None
    invited_by: str | None
    created_at: dt.datetime
    status: str


class DecisionIn(Schema):
    decision: Literal["approve", "refuse"]


def row(g: Grant) -> dict:
    return {"id": g.pk, "email": g.user.email, "role": g.role, "cluster": g.cluster_id,
            "organisation": g.organisation_id,
            "organisation_name": g.organisation.name if g.organisation else None,
            "invited_by": g.created_by.email if g.created_by else None,
            "created_at": g.created_at, "status": g.status}


def _caller(request):
    user = who(request)
    if user is None:
        raise Problem(401, _("Log in, or send an API token, to see the consents asked of you."))
    return user


@router.get("", response=list[ConsentOut], summary="Grants waiting for my consent")
def list_consents(request):
    """Representative grants you may consent to: your organisation's, or all for programme officers."""
    return [row(g) for g in awaiting_for(_caller(request)).order_by("created_at")]


@router.post("/{int:grant_id}", response=ConsentOut, summary="Consent to or refuse a grant")
def decide_consent(request, grant_id: int, payload: DecisionIn):
    """`approve` makes the grant count (the invitee is e-mailed); `refuse` closes it."""
    user = _caller(request)
    grant = awaiting_for(user).filter(pk=grant_id).first()
    if grant is None:
        raise Problem(404, _("No grant %(id)s waits for your consent.") % {"id": grant_id})
    return row(decide(user, grant, approve=payload.decision == "approve", channel="api"))
