"""Rows to API documents: only the fields of the reader's level, read from the field table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import models

from poles.access.fieldlevels import Level, fields_at
from poles.api.money import money

Special = dict[str, Callable[[Any], Any]]


def _value(obj: models.Model, name: str) -> Any:
    if name == "id":
        return obj.pk
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        return getattr(obj, field.attname)
    value = getattr(obj, name)
    if isinstance(field, models.DecimalField):
        if value is None:
            return None
        return money(value) if field.decimal_places == 2 else str(Decimal(value).normalize())
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return value


def serialize(obj: models.Model, level: Level, special: Special | None = None,
              extra: Special | None = None) -> dict:
    """The fields of `obj` readable at `level` (see fieldlevels), then the public extras."""
    special = special or {}
    data = {
        name: special[name](obj) if name in special else _value(obj, name)
        for name in fields_at(type(obj), level)
    }
    for name, get in (extra or {}).items():
        data[name] = get(obj)
    return data


def attnames(model: type[models.Model], level: Level, skip: tuple[str, ...] = ()) -> list[str]:
    """Database columns behind the fields of a level, for `QuerySet.only`."""
    names = []
    for name in fields_at(model, level):
        if name == "id" or name in skip:
            continue
        field = model._meta.get_field(name)
        if field.concrete and not field.many_to_many:
            names.append(field.name)
    return names
