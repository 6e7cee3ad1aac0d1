"""Fast inserts of many rows: one prepared INSERT run with executemany.

Django's `bulk_create` compiles SQL for every value of every batch; for imports of hundreds of
thousands of rows that compilation costs more than the database work. This writes the same
values — each prepared by its field exactly as the ORM would, defaults and auto_now included —
through one statement. No signals, no returned keys: callers look keys up by natural key.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

BATCH = 5000
PASS_THROUGH = (models.CharField, models.TextField, models.BooleanField, models.IntegerField)
"""Fields whose database value is the Python value itself on every backend (str, int, bool)."""


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _preparer(field: models.Field, connection: Any) -> Any:
    """How one field turns a Python value into its database value, resolved once per insert."""
    target = field.target_field if field.is_relation else field
    if isinstance(target, PASS_THROUGH):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _value(field: models.Field, row: dict[str, Any], now: Any) -> Any:
    if field.attname in row:
        return row[field.attname]
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]]) -> int:
    """Insert `rows` ({attname: value}) into `model`'s table; returns the number inserted."""
    if not rows:
        return 0
    connection = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and f.attname not in rows[0])]
    preparers = [_preparer(f, connection) for f in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 — names from model metadata, quoted; values are parameters
        quote(model._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        for batch in chunks(rows, BATCH):
            params: Iterable[list[Any]] = (
                [value if prepare is None else prepare(value)
                 for value, prepare in zip((_value(f, row, now) for f in fields), preparers, strict=True)]
                for row in batch
            )
            cursor.executemany(sql, list(params))
    return len(rows)
