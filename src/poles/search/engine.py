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
"""Above this many hits, bm25 / ts_rank is computed only for rows matching in the name column
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


PARTS = ("all", "name", "rest")
"""Which hits a statement covers: all of them, those matching in the name column (every word
there), or the rest."""


def _sqlite(kind: str, words: list[str], within: QuerySet | None, part: str) -> tuple[str, list, str]:
    table = schema.TABLES[kind]
    weights = ", ".join(str(w) for _name, w in schema.COLUMNS[kind])
    every = fts5_match(words)
    in_name = f"{schema.COLUMNS[kind][0][0]} : ({every})"
    match = {"all": every, "name": in_name, "rest": f"({every}) NOT {in_name}"}[part]
    restrict, params = _restriction(within, "+rowid", _matching(table, every))
    where = f"FROM {table} WHERE {table} MATCH %s{restrict}"
    return where, [match, *params], f"bm25({table}, {weights})"


def _matching(table: str, match: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [match])  # noqa: S608, S611 — a schema name; the query is a parameter


def _pg_query(words: list[str], weight: str = "") -> tuple[str, list]:
    """A tsquery: each word as a prefix, plain or French-stemmed, all words required; `weight` "A"
    keeps the lexemes of the name column."""
    parts, params = [], []
    for word in words:
        parts.append("(to_tsquery('simple', %s) || to_tsquery('french', %s))")
        params += [f"{word}:*{weight}", f"{word}:*{weight}"]
    return " && ".join(parts), params


def _postgresql(kind: str, words: list[str], within: QuerySet | None, part: str) -> tuple[str, list, str]:
    table = schema.TABLES[kind]
    every, params = _pg_query(words)
    in_name, name_params = _pg_query(words, "A")
    restrict, more = _restriction(within, "s.id")
    condition = {"all": "s.document @@ query.q", "name": "s.document @@ query.n",
                 "rest": "s.document @@ query.q AND NOT s.document @@ query.n"}[part]
    where = f"FROM {table} s, (SELECT {every} AS q, {in_name} AS n) query WHERE {condition}{restrict}"
    score = "-ts_rank(s.document, query.n)" if part == "name" else "-ts_rank(s.document, query.q)"
    return where, [*params, *name_params, *more], score


def _parts(kind: str, words: list[str], within: QuerySet | None, using: str,
           part: str = "all") -> tuple[str, list, str, str]:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return (*_sqlite(kind, words, within, part), "rowid")
    if vendor == "postgresql":
        return (*_postgresql(kind, words, within, part), "s.id")
    raise NotImplementedError(f"full-text search supports SQLite and PostgreSQL, not {vendor}")


class Search:
    """One query over one kind's index, within some rows: its count, and its hits page by page."""

    def __init__(self, kind: str, query: str, *, within: QuerySet | None = None, using: str = DEFAULT_DB_ALIAS):
        self.kind, self.within, self.using = kind, within, using
        self.words = terms(query)
        self._total: int | None = None

    def _run(self, sql: str, params: list) -> list[tuple]:
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _count(self, part: str) -> int:
        where, params, _score, _id = _parts(self.kind, self.words, self.within, self.using, part)
        return self._run(f"SELECT count(*) {where}", params)[0][0]

    def _page(self, part: str, offset: int, limit: int, *, ranked: bool) -> list[int]:
        where, params, score, id_column = _parts(self.kind, self.words, self.within, self.using, part)
        order = f"{score}, {id_column}" if ranked else id_column
        sql = f"SELECT {id_column} {where} ORDER BY {order} LIMIT %s OFFSET %s"  # noqa: S608 — built from schema names
        return [row[0] for row in self._run(sql, [*params, limit, offset])]

    @property
    def total(self) -> int:
        """How many rows match (within the given rows)."""
        if self._total is None:
            self._total = self._count("all") if self.words else 0
        return self._total

    def ids(self, offset: int = 0, limit: int = 20) -> list[int]:
        """The ids of the hits from `offset`, best first.

        Above RANK_LIMIT hits, only those matching in the name column are ranked, first; the others
        follow in id order (ranking 90,000 rows would take a quarter of a second or more).
        """
        if not self.words or limit <= 0:
            return []
        if self.total <= RANK_LIMIT:
            return self._page("all", offset, limit, ranked=True)
        named = self._count("name")
        if named > RANK_LIMIT:
            return self._page("all", offset, limit, ranked=False)
        found = self._page("name", offset, limit, ranked=True) if offset < named else []
        if len(found) < limit:
            found += self._page("rest", max(0, offset - named), limit - len(found), ranked=False)
        return found


def ranked_ids(kind: str, query: str, *, within: QuerySet | None = None, limit: int = 20, offset: int = 0,
               using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """The ids of `kind` ('cluster', 'organisation', 'project') matching `query`, best first."""
    return Search(kind, query, within=within, using=using).ids(offset, limit)


def count(kind: str, query: str, *, within: QuerySet | None = None, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many rows of `kind` match `query` (within the given rows)."""
    return Search(kind, query, within=within, using=using).total
