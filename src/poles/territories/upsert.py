"""Bulk upserts of reference tables on their natural keys: create the new, update the changed only."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import models

ProgressCallback = Callable[[str, int, int], None]
"""Called as progress(step, done, total) while a loader works."""

BATCH_SIZE = 2000
T = TypeVar("T")


@dataclass(frozen=True)
class LoadCounts:
    """What one load did to one table."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        """Whether the load wrote anything to the table."""
        return bool(self.created or self.updated or self.deleted)


def no_progress(step: str, done: int, total: int) -> None:
    """The default progress callback: report nothing."""


def _batches(items: Sequence[T], size: int = BATCH_SIZE) -> Iterable[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def upsert_by_pk(
    model: type[models.Model],
    objects: Sequence[models.Model],
    fields: Sequence[str],
    *,
    step: str,
    progress: ProgressCallback = no_progress,
) -> LoadCounts:
    """Insert objects whose primary key is new, update those whose `fields` differ, leave the rest."""
    pk = model._meta.pk.attname
    attnames = [model._meta.get_field(name).attname for name in fields]
    existing = {row[0]: row[1:] for row in model.objects.values_list(pk, *attnames)}
    new, changed = [], []
    for obj in objects:
        values = tuple(getattr(obj, name) for name in attnames)
        if obj.pk not in existing:
            new.append(obj)
        elif existing[obj.pk] != values:
            changed.append(obj)
    total, done = len(new) + len(changed), 0
    progress(step, 0, total)
    for batch in _batches(new):
        model.objects.bulk_create(batch)
        done += len(batch)
        progress(step, done, total)
    for batch in _batches(changed, 500):
        model.objects.bulk_update(batch, list(fields))
        done += len(batch)
        progress(step, done, total)
    return LoadCounts(
        created=len(new), updated=len(changed), unchanged=len(objects) - len(new) - len(changed)
    )


def sync_pairs(
    model: type[models.Model],
    left: str,
    right: str,
    pairs: set[tuple[str, str]],
    *,
    step: str,
    progress: ProgressCallback = no_progress,
) -> LoadCounts:
    """Make a link table hold exactly `pairs` of (left, right) ids: add the missing, drop the stale."""
    existing = {(a, b): pk for pk, a, b in model.objects.values_list("pk", left, right)}
    missing = sorted(pairs - existing.keys())
    stale = [pk for pair, pk in existing.items() if pair not in pairs]
    total, done = len(missing) + len(stale), 0
    progress(step, 0, total)
    for batch in _batches(missing):
        model.objects.bulk_create([model(**{left: a, right: b}) for a, b in batch])
        done += len(batch)
        progress(step, done, total)
    for batch in _batches(stale, 500):
        model.objects.filter(pk__in=batch).delete()
        done += len(batch)
        progress(step, done, total)
    return LoadCounts(
        created=len(missing), deleted=len(stale), unchanged=len(existing) - len(stale)
    )
