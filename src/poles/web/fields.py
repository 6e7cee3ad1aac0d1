"""Projecting objects to the fields an audience may read, before any template sees them."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from poles.access.fieldlevels import Level, fields_at


def readable(obj: Model, level: Level, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The object's fields readable at `level` as a dict (display values for choices added)."""
    row: dict[str, Any] = {"pk": obj.pk}
    for name in fields_at(type(obj), level):
        field = obj._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            continue
        if field.is_relation:
            row[field.attname] = getattr(obj, field.attname)
            if field.is_cached(obj):
                row[name] = getattr(obj, name)
        else:
            row[name] = getattr(obj, name)
        if getattr(field, "choices", None):
            row[f"{name}_display"] = getattr(obj, f"get_{name}_display")()
    row.update(extra or {})
    return row


def readable_rows(objs, level: Level, extra=None) -> list[dict[str, Any]]:
    """`readable` over a list of objects of one model at one level."""
    return [readable(o, level, extra(o) if extra else None) for o in objs]
