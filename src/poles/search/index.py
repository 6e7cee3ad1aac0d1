"""Keeping the index: triggers around migrations, cluster documents on register changes, rebuilds."""

from __future__ import annotations

import sys
from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from poles.search import schema
from poles.search.vocabulary import sector_words, theme_words

BATCH = 5000
TRIGGERED = ("organisation", "project")
Progress = Callable[[str, int, int], None]
"""progress(kind, done, total): called while a rebuild writes."""


_READY: set[str] = set()


def _ready(using: str) -> bool:
    """Whether this database has the index tables and the register's tables (remembered once true)."""
    if using in _READY:
        return True
    tables = set(connections[using].introspection.table_names(include_views=False))
    needed = {*schema.TABLES.values(), *schema.SOURCE_TABLES.values(), "registry_cluster"}
    if needed <= tables:
        _READY.add(using)
        return True
    return False


def ready(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether search works on this database: a supported vendor with the index tables."""
    return _supported(using) and _ready(using)


def sizes(using: str = DEFAULT_DB_ALIAS) -> dict[str, tuple[int, int]]:
    """(rows indexed, rows in the register) per kind."""
    sources = {**schema.SOURCE_TABLES, "cluster": "registry_cluster"}
    return {kind: (_count(using, schema.TABLES[kind]), _count(using, sources[kind])) for kind in schema.TABLES}


def _supported(using: str) -> bool:
    return connections[using].vendor in ("sqlite", "postgresql")


def drop_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove the triggers (before migrations: SQLite rebuilds altered tables without them)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for kind in TRIGGERED:
            for sql in schema.statements(connection.vendor, kind).drop_triggers:
                cursor.execute(sql)


def install_triggers(using: str = DEFAULT_DB_ALIAS) -> None:
    """(Re)create the triggers that index organisations and projects as they are written."""
    drop_triggers(using)
    connection = connections[using]
    with connection.cursor() as cursor:
        for kind in TRIGGERED:
            for sql in schema.statements(connection.vendor, kind).create_triggers:
                cursor.execute(sql)


def _count(using: str, table: str) -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 — table names from schema
        return cursor.fetchone()[0]


def rebuild_table(kind: str, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None) -> int:
    """Index every row of an organisation or project table again; returns the number indexed."""
    connection = connections[using]
    statements = schema.statements(connection.vendor, kind)
    source = schema.SOURCE_TABLES[kind]
    total = _count(using, source)
    done, last = 0, 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(statements.clear)
        if progress:
            progress(kind, 0, total)
        while True:
            cursor.execute(f"SELECT max(id), count(*) FROM (SELECT id FROM {source} WHERE id > %s "  # noqa: S608
                           f"ORDER BY id LIMIT %s) batch", [last, BATCH])
            top, n = cursor.fetchone()
            if not n:
                break
            cursor.execute(statements.fill, [last, BATCH])
            last, done = top, done + n
            if progress:
                progress(kind, done, total)
    return done


# --- clusters ---------------------------------------------------------------------------------------

def cluster_documents(using: str = DEFAULT_DB_ALIAS, ids: list[int] | None = None) -> dict[int, tuple[str, str, str, str]]:
    """Each cluster's document (name, topics, places, mission) from its public fields (all, or `ids`);
    themes and mission in both languages, so either language finds the cluster."""
    from poles.nomenclatures.models import NaceCode
    from poles.registry.models import Cluster

    qs = Cluster.objects.using(using)
    if ids is not None:
        qs = qs.filter(pk__in=ids)
    clusters = list(qs.select_related("head_office").prefetch_related("regions", "ecosystems").order_by("pk"))
    codes = {s for c in clusters for s in (c.industrial_sectors or []) if isinstance(s, str)}
    nace = dict(NaceCode.objects.using(using).filter(code__in=codes).values_list("code", "label"))
    documents = {}
    for c in clusters:
        topics = [
            *(theme_words(str(t)) for t in [*(c.themes_fr or []), *(c.themes_en or [])]),
            *(str(t) for t in c.technology_fields or []),
            *(f"{s} {nace.get(s, '')}" if s in nace else sector_words(str(s)) for s in c.industrial_sectors or []),
            *(f"{e.code} {e.name_fr} {e.name_en}" for e in c.ecosystems.all()),
        ]
        places = [f"{r.name} {r.code}" for r in c.regions.all()]
        if c.head_office is not None:
            places.append(c.head_office.name)
        documents[c.pk] = (
            f"{c.name} {c.short_name}".strip(), " ; ".join(topics), " ; ".join(places),
            f"{c.mission_fr or ''} {c.mission_en or ''}".strip(),
        )
    return documents


def _stored_clusters(using: str, ids: list[int] | None = None) -> dict[int, tuple[str, ...]]:
    connection = connections[using]
    key = "rowid" if connection.vendor == "sqlite" else "id"
    only = f" WHERE {key} IN ({', '.join(['%s'] * len(ids))})" if ids else ""
    columns = "rowid, name, topics, places, mission" if connection.vendor == "sqlite" else "id, source"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM search_cluster{only}", list(ids or []))  # noqa: S608 — column names
        if connection.vendor == "sqlite":
            return {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
        return {pk: tuple(source.split("\x1f")) for pk, source in cursor.fetchall()}


def _write_clusters(using: str, documents: dict[int, tuple[str, str, str, str]], gone: set[int]) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        key = "rowid" if connection.vendor == "sqlite" else "id"
        for pk in gone | set(documents):
            cursor.execute(f"DELETE FROM search_cluster WHERE {key} = %s", [pk])  # noqa: S608 — a column name
        if connection.vendor == "sqlite":
            cursor.executemany(
                "INSERT INTO search_cluster (rowid, name, topics, places, mission) VALUES (%s, %s, %s, %s, %s)",
                [(pk, *doc) for pk, doc in documents.items()],
            )
        else:
            vector = schema.pg_vector(("%s", "%s", "%s", "%s"), schema.WEIGHTS["cluster"])
            cursor.executemany(
                f"INSERT INTO search_cluster (id, source, document) VALUES (%s, %s, {vector})",  # noqa: S608
                [(pk, "\x1f".join(doc), *(text for text in doc for _config in schema.PG_CONFIGS))
                 for pk, doc in documents.items()],
            )


def sync_clusters(using: str = DEFAULT_DB_ALIAS, ids: list[int] | None = None) -> int:
    """Write the cluster documents that changed (and drop deleted clusters); returns how many.

    Runs in the caller's transaction, so the index commits or rolls back with the write."""
    if ids is not None and not ids:
        return 0
    documents = cluster_documents(using, ids)
    stored = _stored_clusters(using, ids)
    changed = {pk: doc for pk, doc in documents.items() if stored.get(pk) != doc}
    gone = set(stored) - set(documents)
    if changed or gone:
        with transaction.atomic(using=using):
            _write_clusters(using, changed, gone)
    return len(changed) + len(gone)


def rebuild(using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None) -> dict[str, int]:
    """Rebuild the whole index (triggers included); returns the rows indexed per kind."""
    install_triggers(using)
    counts = {kind: rebuild_table(kind, using, progress) for kind in TRIGGERED}
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute("DELETE FROM search_cluster")
        documents = cluster_documents(using)
        _write_clusters(using, documents, set())
    counts["cluster"] = len(documents)
    if progress:
        progress("cluster", len(documents), len(documents))
    return counts


def unaccent_available(using: str = DEFAULT_DB_ALIAS) -> bool:
    """On PostgreSQL, whether the unaccent extension is installed (SQLite folds accents itself)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        return cursor.fetchone() is not None


# --- signal receivers -------------------------------------------------------------------------------

def before_migrate(sender=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """Drop the triggers before migrating: a table SQLite rebuilds would lose them anyway."""
    _READY.discard(using)
    if _supported(using) and _ready(using):
        drop_triggers(using)
    _READY.discard(using)


def after_migrate(sender=None, using: str = DEFAULT_DB_ALIAS, plan=None, verbosity: int = 1, **kwargs) -> None:
    """Install the triggers again; rebuild when migrations ran or the index lost rows."""
    if not (_supported(using) and _ready(using)):
        return
    install_triggers(using)
    stale = any(
        _count(using, schema.TABLES[kind]) != _count(using, schema.SOURCE_TABLES[kind]) for kind in TRIGGERED
    )
    if plan or stale:
        counts = rebuild(using)
        if verbosity >= 1 and sum(counts.values()):
            sys.stdout.write(f"  Search index rebuilt: {counts}\n")
    else:
        sync_clusters(using)
    if not unaccent_available(using):
        sys.stderr.write(
            "poles.search: PostgreSQL's unaccent extension is not installed; accents are folded for "
            "Latin letters only. Run CREATE EXTENSION unaccent as a superuser, then "
            "`poles search_index --rebuild`.\n"
        )


def on_register_changed(sender=None, **kwargs) -> None:
    """A committed write (bulk writers announce theirs): the cluster documents that changed are written."""
    if _supported(DEFAULT_DB_ALIAS) and _ready(DEFAULT_DB_ALIAS):
        sync_clusters(DEFAULT_DB_ALIAS)


def on_cluster_saved(sender, instance, using: str = DEFAULT_DB_ALIAS, raw: bool = False, **kwargs) -> None:
    """A cluster saved by the ORM is indexed at once, in the same transaction."""
    if not raw and _supported(using) and _ready(using):
        sync_clusters(using, [instance.pk])


def on_cluster_links(sender, instance, action: str, reverse: bool, pk_set=None, using: str = DEFAULT_DB_ALIAS,
                     **kwargs) -> None:
    """A cluster's regions or ecosystems changed (from either side): its document follows."""
    if not action.startswith("post_") or not (_supported(using) and _ready(using)):
        return
    if not reverse:
        sync_clusters(using, [instance.pk])
    else:
        sync_clusters(using, sorted(pk_set) if pk_set else None)


def on_cluster_deleted(sender, instance, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    if _supported(using) and _ready(using):
        sync_clusters(using, [instance.pk])
