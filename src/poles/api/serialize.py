"""Rows to API documents: only the fields of the reader's level, read from the field table."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models

from poles.access.fieldlevels import Level, fields_at
from poles.api.money import money

Special = dict[str, Callable[[Any], Any]]


Getter = Callable[[models.Model], Any]


def _getter(model: type[models.Model], name: str) -> Getter:
    """How to read one field of `model` as the API writes it, decided once per model and field."""
    if name == "id":
        return lambda obj: obj.pk
    field = model._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        attname = field.attname
        return lambda obj: getattr(obj, attname)
    if isinstance(field, models.DecimalField):
        if field.decimal_places == 2:
            return lambda obj: None if (v := getattr(obj, name)) is None else money(v)
        return lambda obj: None if (v := getattr(obj, name)) is None else str(Decimal(v).normalize())
    if isinstance(field, models.DateTimeField):
        return lambda obj: None if (v := getattr(obj, name)) is None else v.isoformat()
    return lambda obj: getattr(obj, name)


@cache
def _plan(model: type[models.Model], level: Level) -> tuple[tuple[str, Getter], ...]:
    """The (name, getter) pairs of the fields a reader at `level` gets, in the table's order."""
    return tuple((name, _getter(model, name)) for name in fields_at(model, level))


def serialize(obj: models.Model, level: Level, special: Special | None = None,
              extra: Special | None = None) -> dict:
    """The fields of `obj` readable at `level` (see fieldlevels), then the public extras."""
    if special:
        data = {name: special[name](obj) if name in special else get(obj)
                for name, get in _plan(type(obj), level)}
    else:
        data = {name: get(obj) for name, get in _plan(type(obj), level)}
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
