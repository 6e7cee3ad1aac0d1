"""The audit trail: who created, changed or deleted what, when, and through which channel."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Model

from poles.core.models import AuditEntry

CHANNELS = ("page", "api", "import", "admin", "cli")
Changes = dict[str, list[Any]]


def jsonable(value: Any) -> Any:
    """A value the JSON field stores without loss of meaning (decimals and dates as strings)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def snapshot(obj: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of an instance (foreign keys as ids), to diff later."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: jsonable(getattr(obj, name)) for name in names}


def diff(before: dict[str, Any], after: dict[str, Any]) -> Changes:
    """{field: [old, new]} for the fields whose value differs between two snapshots."""
    keys = [k for k in after if k not in ("updated_at", "created_at")]
    keys += [k for k in before if k not in after and k not in ("updated_at", "created_at")]
    return {
        k: [before.get(k), after.get(k)] for k in keys if before.get(k) != after.get(k)
    }


def diff_instances(old: Model | None, new: Model | None) -> Changes:
    """The changes between two instances of a model (either may be None for create/delete)."""
    return diff(snapshot(old) if old is not None else {}, snapshot(new) if new is not None else {})


def cluster_of(obj: Model) -> int | None:
    """The cluster an entry is filed under when the caller names none: the object's own cluster.

    Objects linked to clusters only through other rows (organisations, projects) are filed by the
    access layer, which knows those links (`poles.access.permissions.filed_under`).
    """
    if obj._meta.label == "registry.Cluster":
        return obj.pk
    return getattr(obj, "cluster_id", None) or None


def record(
    user,
    action: str,
    obj: Model,
    changes: Changes | None = None,
    channel: str = "page",
    *,
    cluster_id: int | None = None,
    unfiled: bool = False,
) -> AuditEntry:
    """Write one audit entry; `changes` as {field: [old, new]} (see `diff`).

    `unfiled` keeps the entry out of every cluster's log (an evaluation or a decision not yet
    published is the programme's, not the cluster's, even when the object names the cluster).
    """
    if action not in AuditEntry.Action.values:
        raise ValueError(f"unknown audit action {action!r}; expected one of {AuditEntry.Action.values}")
    if channel not in CHANNELS:
        raise ValueError(f"unknown audit channel {channel!r}; expected one of {CHANNELS}")
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        channel=channel,
        action=action,
        model=obj._meta.label,
        object_pk=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=jsonable(changes or {}),
        cluster_id=None if unfiled else cluster_id if cluster_id is not None else cluster_of(obj),
    )
