"""Bulk upsert on natural keys with honest counts: created, updated, unchanged.

Rows are compared with what the database holds, so a re-run writes nothing. No IntegrityError
catching: keys are matched before writing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import models

from poles.core.audit import jsonable
from poles.core.bulk import chunks, insert_rows

BATCH = 2000
CHUNK = 500

Key = tuple[Any, ...]


def existing_rows(model: type[models.Model], key: Sequence[str], fields: Sequence[str],
                  keys: Sequence[Key]) -> dict[Key, dict[str, Any]]:
    """The rows of `model` whose key is among `keys`, as {key: {pk, fields…}}."""
    columns = ["pk", *key, *[f for f in fields if f not in key]]
    found: dict[Key, dict[str, Any]] = {}
    if len(key) == 1:
        values = [k[0] for k in keys]
        for chunk in chunks(values, CHUNK):
            for row in model.objects.filter(**{f"{key[0]}__in": chunk}).values(*columns):
                found[(row[key[0]],)] = row
    else:
        first = sorted({k[0] for k in keys}, key=str)
        wanted = set(keys)
        for chunk in chunks(first, CHUNK):
            for row in model.objects.filter(**{f"{key[0]}__in": chunk}).values(*columns):
                row_key = tuple(row[name] for name in key)
                if row_key in wanted:
                    found[row_key] = row
    return found


def sync(
    model: type[models.Model],
    rows: Sequence[dict[str, Any]],
    *,
    key: Sequence[str],
    update_fields: Sequence[str],
    report: Any,
    table: str,
    progress: Callable[[int, int], None] | None = None,
) -> dict[Key, int]:
    """Create missing rows and update changed `update_fields`; returns {key: pk} for all rows.

    `progress(done, total)` follows the rows: unchanged ones at once, then each batch written.

    Every row carries every one of `update_fields`. Fields present in a row but not in
    `update_fields` are set on creation only (e.g. a placeholder name that a richer source may
    later replace).
    """
    total = len(rows)
    step = progress or (lambda done, total: None)
    step(0, total)
    keys = [tuple(row[name] for name in key) for row in rows]
    current = existing_rows(model, key, update_fields, keys)
    to_create: list[dict[str, Any]] = []
    to_update: list[models.Model] = []
    for row_key, row in zip(keys, rows, strict=True):
        stored = current.get(row_key)
        if stored is None:
            to_create.append(row)
            continue
        changed = [f for f in update_fields if stored[f] != row[f]]
        if changed:
            instance = model(pk=stored["pk"], **{f: row[f] for f in update_fields})
            to_update.append(instance)
            report.updated[table] += 1
            report.journal.append(("update", model, stored["pk"], _label(row, row_key),
                                   {f: [jsonable(stored[f]), jsonable(row[f])] for f in changed}))
        else:
            report.unchanged[table] += 1
    done = total - len(to_create) - len(to_update)
    step(done, total)
    for batch in chunks(to_create, BATCH):
        insert_rows(model, batch)
        done += len(batch)
        step(done, total)
    if to_create:
        report.created[table] += len(to_create)
    fields_to_update = [f for f in update_fields if f not in key]
    for batch in chunks(to_update, BATCH):
        model.objects.bulk_update(batch, fields_to_update, batch_size=BATCH)
        done += len(batch)
        step(done, total)
    if not to_create:
        return {k: current[k]["pk"] for k in keys}
    resolved = existing_rows(model, key, [], keys)
    for row_key, row in zip(keys, rows, strict=True):
        if row_key not in current:
            report.journal.append(("create", model, resolved[row_key]["pk"], _label(row, row_key), {}))
    return {k: resolved[k]["pk"] for k in keys}


def _label(row: dict[str, Any], key: Key) -> str:
    """A short human label of a row for the audit trail."""
    for field in ("name", "acronym", "key"):
        if row.get(field):
            return str(row[field])[:200]
    return " · ".join(str(part) for part in key)[:200]
