"""Search for a reader: the rows the permission layer lets them see, ranked, page by page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Model, QuerySet

from poles.access.permissions import visible
from poles.projects.models import Project
from poles.registry.models import Cluster, Organisation
from poles.search import engine

MODELS: dict[str, type[Model]] = {"cluster": Cluster, "organisation": Organisation, "project": Project}
KINDS = tuple(MODELS)


class Hits(Sequence):
    """The objects of one kind matching a query that `user` may see, best first.

    Lazy and sliceable, so Django's Paginator counts once and fetches one page: the count and
    each page are single SQL statements restricted to the visible rows.
    """

    def __init__(self, user, kind: str, query: str, queryset: QuerySet | None = None):
        self.kind, self.query = kind, query
        model = MODELS[kind]
        self.within = visible(user, queryset if queryset is not None else model)

        self.engine = engine.Search(kind, query, within=self.within)

    @property
    def total(self) -> int:
        return self.engine.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, step = index.indices(self.total)
            if step != 1:
                raise ValueError("search hits are sliced without a step")
            return self._fetch(start, max(stop - start, 0))
        if index < 0:
            index += self.total
        found = self._fetch(index, 1)
        if not found:
            raise IndexError(index)
        return found[0]

    def _fetch(self, offset: int, limit: int) -> list[Model]:
        if limit <= 0:
            return []
        ids = self.engine.ids(offset, limit)
        objects = self.within.in_bulk(ids)
        return [objects[pk] for pk in ids if pk in objects]


def search(user, query: str, kind: str, queryset: QuerySet | None = None) -> Hits:
    """The hits of one kind for `user` (a queryset narrows the rows, e.g. with select_related)."""
    if kind not in MODELS:
        raise ValueError(f"kind: expected one of {', '.join(KINDS)}, found {kind!r}")
    return Hits(user, kind, query, queryset)


def cluster_ids(user, query: str) -> list[int]:
    """Every cluster `user` may see matching `query`, best first (the directory's text search)."""
    hits = search(user, query, "cluster")
    return engine.ranked_ids("cluster", query, within=hits.within, limit=1000)
