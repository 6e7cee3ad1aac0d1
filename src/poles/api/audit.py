"""The audit trail: admins read every entry, cluster managers their clusters' entries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api.caller import who
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.problems import Problem
from poles.core.filtering import FilterError, choice, integer, text
from poles.core.models import AuditEntry

router = Router(tags=["audit"])


class AuditOut(Schema):
    id: int
    at: dt.datetime
    user: int | None
    username: str | None
    channel: str
    action: str
    model: str
    object_pk: str
    object_repr: str
    changes: dict
    cluster: int | None


AuditPage = page_schema("AuditPage", AuditOut)
ORDERINGS = {"at": "at", "model": "model", "action": "action", "id": "pk"}


class AuditQuery(ListQuery):
    cluster: int | None = None
    model: str | None = Field(None, max_length=60, description="e.g. registry.Membership")
    object_pk: str | None = Field(None, max_length=64)
    action: str | None = Field(None, max_length=10)
    channel: str | None = Field(None, max_length=20)
    user: int | None = None
    since: dt.date | None = None
    q: str | None = Field(None, max_length=100)


def filter_audit(qs, params: dict):
    """Entries by cluster, model, object, action, channel, user, date, text of the object."""
    if (cluster := integer(params, "cluster")) is not None:
        qs = qs.filter(cluster_id=cluster)
    if model := text(params, "model"):
        qs = qs.filter(model__iexact=model)
    if object_pk := text(params, "object_pk"):
        qs = qs.filter(object_pk=object_pk)
    if action := choice(params, "action", AuditEntry.Action.values):
        qs = qs.filter(action=action)
    if channel := text(params, "channel"):
        qs = qs.filter(channel=channel)
    if (user := integer(params, "user")) is not None:
        qs = qs.filter(user_id=user)
    if since := params.get("since"):
        qs = qs.filter(at__date__gte=since)
    if q := text(params, "q"):
        qs = qs.filter(Q(object_repr__icontains=q) | Q(model__icontains=q))
    return qs


def row(e: AuditEntry, lv: Level = Level.CONFIDENTIAL) -> dict:
    return {"id": e.pk, "at": e.at, "user": e.user_id,
            "username": e.user.get_username() if e.user_id else None, "channel": e.channel,
            "action": e.action, "model": e.model, "object_pk": e.object_pk,
            "object_repr": e.object_repr, "changes": e.changes, "cluster": e.cluster_id}


def _list(request, query, as_csv=False):
    if who(request) is None:
        raise Problem(401, gettext("Log in, or send an API token, to read the audit trail."))
    try:
        return listing(request, AuditEntry, query, row=row, schemas={Level.PUBLIC: AuditOut,
                       Level.CONFIDENTIAL: AuditOut}, filter_fn=filter_audit, orderings=ORDERINGS,
                       default=["-at"], prepare=lambda qs, top: qs.select_related("user"),
                       csv_name="audit", as_csv=as_csv)
    except FilterError as error:
        raise Problem(422, str(error)) from error


@router.get("", response=AuditPage, summary="Audit trail")
def list_audit(request, query: Query[AuditQuery]):
    """Who changed what, when and through which channel; admins see all, managers their clusters'."""
    return _list(request, query)


@router.get("/export.csv", summary="Export the audit trail as CSV",
            openapi_extra=CSV_OPENAPI)
def export_audit(request, query: Query[AuditQuery]):
    return _list(request, query, as_csv=True)
