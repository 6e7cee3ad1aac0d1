"""Querying the index: words of a query, matching and ranking on SQLite (bm25) and PostgreSQL (ts_rank).

Every word of the query must match (AND), as a prefix of an indexed word (`aero` finds
"Aerospace"), whatever its accents and capitals. Results are restricted to the rows of a queryset
(the rows the permission layer lets the reader see) inside the same SQL statement, so a count or a
page never includes a row the reader may not see.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from poles.registry.names import fold
from poles.search import schema

MAX_TERMS = 8
MAX_TERM_LENGTH = 40


def terms(query: str) -> list[str]:
    """The words of a query, folded (case, accents), in order, without repeats; at most MAX_TERMS."""
    words = fold((query or "")[:500]).split()
    return list(dict.fromkeys(w[:MAX_TERM_LENGTH] for w in words))[:MAX_TERMS]


def fts5_match(words: list[str]) -> str:
    """An FTS5 MATCH expression: every word as a quoted prefix (folded words hold no quote)."""
    return " ".join(f'"{w}"*' for w in words)


def _restriction(within: QuerySet | None, id_column: str) -> tuple[str, list]:
    """`AND id IN (…)` for a queryset that filters its model's rows, nothing for one that keeps all."""
    if within is None or not within.query.where:
        return "", []
    sql, params = within.order_by().values("pk").query.sql_with_params()
    return f" AND {id_column} IN ({sql})", list(params)


def _sqlite(kind: str, words: list[str], within: QuerySet | None) -> tuple[str, list, str]:
    table = schema.TABLES[kind]
    weights = ", ".join(str(w) for _name, w in schema.COLUMNS[kind])
    restrict, params = _restriction(within, "rowid")
    where = f"FROM {table} WHERE {table} MATCH %s{restrict}"
    return where, [fts5_match(words), *params], f"bm25({table}, {weights})"


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


def ranked_ids(kind: str, query: str, *, within: QuerySet | None = None, limit: int = 20, offset: int = 0,
               using: str = DEFAULT_DB_ALIAS) -> list[int]:
    """The ids of `kind` ('cluster', 'organisation', 'project') matching `query`, best first."""
    words = terms(query)
    if not words:
        return []
    where, params, score, id_column = _parts(kind, words, within, using)
    sql = f"SELECT {id_column} {where} ORDER BY {score}, {id_column} LIMIT %s OFFSET %s"  # noqa: S608 — built from schema names
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def count(kind: str, query: str, *, within: QuerySet | None = None, using: str = DEFAULT_DB_ALIAS) -> int:
    """How many rows of `kind` match `query` (within the given rows)."""
    words = terms(query)
    if not words:
        return 0
    where, params, _score, _id = _parts(kind, words, within, using)
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT count(*) {where}", params)  # noqa: S608
        return cursor.fetchone()[0]
