"""Querying the index: words of a query, matching and ranking on SQLite (bm25) and PostgreSQL (ts_rank).

Every word of the query must match (AND), as a prefix of an indexed word (`aero` finds
"Aerospace"), whatever its accents and capitals. Results are restricted to the rows of a queryset
(the rows the permission layer lets the reader see) inside the same SQL statement, so a count or a
page never includes a row the reader may not see.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from poles.registry.names import fold
from poles.search import schema

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
MIN_PREFIX = 2
"""A one-letter word matches whole words only: as a prefix it would match nearly every row."""
RANK_LIMIT = 3000
"""On SQLite, above this many hits bm25 is computed only for rows matching in the name column
(ranked first), the others follow in id order: ranking 90,000 rows would take a quarter second."""


def terms(query: str) -> list[str]:
    """The words of a query, folded (case, accents), in order, without repeats; at most MAX_TERMS."""
    words = fold((query or "")[:500]).split()
    return list(dict.fromkeys(w[:MAX_TERM_LENGTH] for w in words))[:MAX_TERMS]


def fts5_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word as a quoted prefix (folded words hold no quote)."""
    return " ".join(f'"{w}"*' if len(w) >= MIN_PREFIX else f'"{w}"' for w in words)


def _restriction(within: QuerySet | None, id_column: str, matching: RawSQL | None = None) -> tuple[str, list]:
    """`AND id IN (…)` for a queryset that filters its model's rows, nothing for one that keeps all.

    On SQLite the ids are those of the matching rows the queryset keeps (`matching`), and the
    column is written `+rowid` so that FTS5 does not look each of them up in the index again.
    """
    if within is None or not within.query.where:
        return "", []
    if matching is not None:
        within = within.filter(pk__in=matching)
    sql, params = within.order_by().values("pk").query.sql_with_params()
    return f" AND {id_column} IN ({sql})", list(params)


def _sqlite(kind: str, words: list[str], within: QuerySet | None) -> tuple[str, list, str]:
    table = schema.TABLES[kind]
    weights = ", ".join(str(w) for _name, w in schema.COLUMNS[kind])
    match = fts5_match(words)
    restrict, params = _restriction(within, "+rowid", _matching(table, match))
    where = f"FROM {table} WHERE {table} MATCH %s{restrict}"
    return where, [match, *params], f"bm25({table}, {weights})"


def _matching(table: str, match: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match])  # noqa: S608, S611 — a schema name; the query is a parameter


def _pg_query(words: list[str]) -> tuple[str, list]:
    """A tsquery: each word as a prefix, plain or French-stemmed, all words required."""
    parts, params = [], []
    for word in words:
        parts.append("(to_tsquery('simple', %s) || to_tsquery('french', %s))")
        params += [f"{word}:*", f"{word}:*"]
    return " && ".join(parts), params


def _postgresql(kind: str, words: list[str], within: QuerySet | None) -> tuple[str, list, str]:
    table = schema.TABLES[kind]
    tsquery, params = _pg_query(words)
    restrict, more = _restriction(within, "s.id")
    where = f"FROM {table} s, ({'SELECT ' + tsquery + ' AS q'}) query WHERE s.document @@ query.q{restrict}"
    return where, [*params, *more], "-ts_rank(s.document, query.q)"


def _parts(kind: str, words: list[str], within: QuerySet | None, using: str) -> tuple[str, list, str, str]:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return (*_sqlite(kind, words, within), "rowid")
    if vendor == "postgresql":
        return (*_postgresql(kind, words, within), "s.id")
    raise NotImplementedError(f"full-text search supports SQLite and PostgreSQL, not {vendor}")


class Search:
    """One query over one kind's index, within some rows: its count, and its hits page by page."""

    def __init__(self, kind: str, query: str, *, within: QuerySet | None = None, using: str = DEFAULT_DB_ALIAS):
        self.kind, self.within, self.using = kind, within, using
        self.words = terms(query)
        self.vendor = connections[using].vendor
        self._total: int | None = None

    def _run(self, sql: str, params: list) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _count(self, where: str, params: list) -> int:
        return self._run(f"SELECT count(*) {where}", params)[0][0]

    @property
    def total(self) -> int:
        """How many rows match (within the given rows)."""
        if self._total is None:
            if not self.words:
                self._total = 0
            else:
                where, params, _score, _id = _parts(self.kind, self.words, self.within, self.using)
                self._total = self._count(where, params)
        return self._total

    def ids(self, offset: int = 0, limit: int = 20) -> list[int]:
        """The ids of the hits from `offset`, best first."""
        if not self.words or limit <= 0:
            return []
        if self.vendor == "sqlite" and self.total > RANK_LIMIT:
            return self._broad(offset, limit)
        where, params, score, id_column = _parts(self.kind, self.words, self.within, self.using)
        sql = f"SELECT {id_column} {where} ORDER BY {score}, {id_column} LIMIT %s OFFSET %s"  # noqa: S608 — built from schema names
        return [row[0] for row in self._run(sql, [*params, limit, offset])]

    def _broad(self, offset: int, limit: int) -> list[int]:
        """Many hits on SQLite: those matching in the name column ranked, then the others by id."""
        table = schema.TABLES[self.kind]
        first = schema.COLUMNS[self.kind][0][0]
        weights = ", ".join(str(w) for _name, w in schema.COLUMNS[self.kind])
        every = fts5_match(self.words)
        in_name = f"{first} : ({every})"
        restrict, more = _restriction(self.within, "+rowid", _matching(table, every))
        where = f"FROM {table} WHERE {table} MATCH %s{restrict}"
        named = self._count(where, [in_name, *more])
        if named > RANK_LIMIT:
            sql = f"SELECT rowid {where} ORDER BY rowid LIMIT %s OFFSET %s"  # noqa: S608
            return [row[0] for row in self._run(sql, [every, *more, limit, offset])]
        found: list[int] = []
        if offset < named:
            sql = f"SELECT rowid {where} ORDER BY bm25({table}, {weights}), rowid LIMIT %s OFFSET %s"  # noqa: S608
            found = [row[0] for row in self._run(sql, [in_name, *more, limit, offset])]
        if len(found) < limit:
            sql = f"SELECT rowid {where} ORDER BY rowid LIMIT %s OFFSET %s"  # noqa: S608
            rest = f"({every}) NOT {in_name}"
            found += [row[0] for row in self._run(sql, [rest, *more, limit - len(found), max(0, offset - named)])]
        return found


def ranked_ids(kind: str, query: str, *, within: QuerySet | None = None, limit: int = 20, offset: int = 0,
               using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """The ids of `kind` ('cluster', 'organisation', 'project') matching `query`, best first."""
    return Search(kind, query, within=within, using=using).ids(offset, limit)


def count(kind: str, query: str, *, within: QuerySet | None = None, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many rows of `kind` match `query` (within the given rows)."""
    return Search(kind, query, within=within, using=using).total
