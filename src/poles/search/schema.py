"""The SQL of the index, per database: what each document holds, and the triggers that keep it.

Organisations and projects are indexed by triggers on their tables, so every writer — pages, API,
imports that insert with raw SQL, the demo, the admin, deletions — keeps the index current in its
own transaction. Clusters (a few dozen rows whose documents join JSON lists, regions, ecosystems
and vocabulary) are indexed from Python (`poles.search.index.sync_clusters`).

Only public fields (`poles.access.fieldlevels`, level PUBLIC) are ever written to the index:
`INDEXED` names them and a test keeps them public.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

INDEXED: dict[str, tuple[str, ...]] = {
    "registry.Organisation": ("name", "siren", "city", "postcode", "region_name", "naf", "kind"),
    "registry.Cluster": ("name", "short_name", "mission_fr", "mission_en", "themes_fr", "themes_en",
                         "technology_fields", "industrial_sectors", "regions", "ecosystems", "head_office"),
    "projects.Project": ("acronym", "title", "programme", "summary"),
}
"""The fields each model's document is made of; all public."""

ORGANISATION_COLUMNS = ("name", "siren", "city", "postcode", "region_name", "naf_id", "kind")
PROJECT_COLUMNS = ("acronym", "title", "programme", "summary")

# FTS5 columns and their bm25 weights (a hit in the name counts most).
COLUMNS = {
    "organisation": (("name", 10.0), ("ids", 8.0), ("place", 3.0), ("activity", 2.0)),
    "cluster": (("name", 10.0), ("topics", 4.0), ("places", 3.0), ("mission", 1.0)),
    "project": (("acronym", 10.0), ("title", 5.0), ("other", 1.0)),
}
WEIGHTS = {"organisation": "ABBC", "cluster": "ABBD", "project": "ABD"}
"""PostgreSQL weights of the same columns."""

TABLES = {kind: f"search_{kind}" for kind in COLUMNS}
SOURCE_TABLES = {"organisation": "registry_organisation", "project": "projects_project"}
FTS5_OPTIONS = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'"
PG_CONFIGS = ("simple", "french")
"""Each text goes into the vector twice: as words (exact and prefix hits) and French stems."""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def kind_words() -> dict[str, str]:
    """Each organisation kind's code with its French and English names (searchable both ways)."""
    from poles.registry.models import Organisation

    words: dict[str, list[str]] = {value: [value.replace("_", " ")] for value in Organisation.Kind.values}
    for language in ("fr", "en"):
        with translation.override(language):
            for value, label in Organisation.Kind.choices:
                words[value].append(str(label))
    return {value: " ".join(dict.fromkeys(parts)) for value, parts in words.items()}


def _kind_case(alias: str) -> str:
    whens = " ".join(f"WHEN {_quote(v)} THEN {_quote(w)}" for v, w in sorted(kind_words().items()))
    return f"CASE {alias}.kind {whens} ELSE {alias}.kind END"


def _naf(alias: str) -> str:
    """The NAF code (as written and without its dot), its French label and its NACE class's label."""
    return (
        "coalesce((SELECT replace(n.code, '.', ' ') || ' ' || replace(n.code, '.', '') || ' ' || n.label || ' ' "
        "|| coalesce(c.label, '') FROM nomenclatures_nafcode n "
        "LEFT JOIN nomenclatures_nacecode c ON c.code = n.nace_id "
        f"WHERE n.code = {alias}.naf_id), '')"
    )


def organisation_texts(alias: str) -> tuple[str, ...]:
    """SQL expressions of the organisation document's columns for the row `alias`."""
    return (
        f"{alias}.name",
        f"coalesce({alias}.siren, '')",
        f"{alias}.city || ' ' || {alias}.postcode || ' ' || {alias}.region_name",
        f"{_naf(alias)} || ' ' || {_kind_case(alias)}",
    )


def project_texts(alias: str) -> tuple[str, ...]:
    return (
        f"{alias}.acronym",
        f"{alias}.title",
        f"{alias}.programme || ' ' || {alias}.summary",
    )


TEXTS = {"organisation": organisation_texts, "project": project_texts}
WATCHED = {"organisation": ORGANISATION_COLUMNS, "project": PROJECT_COLUMNS}


def pg_vector(texts: tuple[str, ...], weights: str) -> str:
    """A weighted tsvector of SQL text expressions: words and French stems, accents folded."""
    parts = [
        f"setweight(to_tsvector('{config}', poles_fold({text})), '{weight}')"
        for text, weight in zip(texts, weights, strict=True)
        for config in PG_CONFIGS
    ]
    return " || ".join(parts)


@dataclass(frozen=True)
class Statements:
    """The statements of one table's index on one database."""

    drop_triggers: list[str]
    create_triggers: list[str]
    fill: str
    """Index the source rows with id above %s, at most %s of them, in id order."""
    clear: str


def sqlite_statements(kind: str) -> Statements:
    table, source = TABLES[kind], SOURCE_TABLES[kind]
    columns = ", ".join(name for name, _weight in COLUMNS[kind])
    texts = TEXTS[kind]
    watched = ", ".join(WATCHED[kind])
    insert_new = f"INSERT INTO {table} (rowid, {columns}) SELECT new.id, {', '.join(texts('new'))};"
    names = [f"{table}_insert", f"{table}_update", f"{table}_delete"]
    return Statements(
        drop_triggers=[f"DROP TRIGGER IF EXISTS {name}" for name in names],
        create_triggers=[
            f"CREATE TRIGGER {names[0]} AFTER INSERT ON {source} BEGIN {insert_new} END",
            f"CREATE TRIGGER {names[1]} AFTER UPDATE OF {watched} ON {source} BEGIN "
            f"DELETE FROM {table} WHERE rowid = old.id; {insert_new} END",
            f"CREATE TRIGGER {names[2]} AFTER DELETE ON {source} BEGIN "
            f"DELETE FROM {table} WHERE rowid = old.id; END",
        ],
        fill=(
            f"INSERT INTO {table} (rowid, {columns}) SELECT s.id, {', '.join(texts('s'))} "  # noqa: S608 — names from this module
            f"FROM {source} s WHERE s.id > %s ORDER BY s.id LIMIT %s"
        ),
        clear=f"DELETE FROM {table}",
    )


def postgresql_statements(kind: str) -> Statements:
    table, source = TABLES[kind], SOURCE_TABLES[kind]
    texts, weights = TEXTS[kind], WEIGHTS[kind]
    watched = ", ".join(WATCHED[kind])
    function, truncate = f"{table}_sync", f"{table}_truncate"
    return Statements(
        drop_triggers=[
            f"DROP TRIGGER IF EXISTS {function} ON {source}",
            f"DROP TRIGGER IF EXISTS {truncate} ON {source}",
        ],
        create_triggers=[
            f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM {table} WHERE id = OLD.id;
  ELSE
    INSERT INTO {table} (id, document) SELECT NEW.id, {pg_vector(texts('NEW'), weights)}
    ON CONFLICT (id) DO UPDATE SET document = EXCLUDED.document;
  END IF;
  RETURN NULL;
END $$""",
            f"""CREATE OR REPLACE FUNCTION {truncate}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN DELETE FROM {table}; RETURN NULL; END $$""",
            f"CREATE TRIGGER {function} AFTER INSERT OR DELETE OR UPDATE OF {watched} ON {source} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()",
            f"CREATE TRIGGER {truncate} AFTER TRUNCATE ON {source} FOR EACH STATEMENT "
            f"EXECUTE FUNCTION {truncate}()",
        ],
        fill=(
            f"INSERT INTO {table} (id, document) SELECT s.id, {pg_vector(texts('s'), weights)} "
            f"FROM {source} s WHERE s.id > %s ORDER BY s.id LIMIT %s"
        ),
        clear=f"DELETE FROM {table}",
    )


def statements(vendor: str, kind: str) -> Statements:
    """The statements of `kind`'s index ('organisation' or 'project') on a database vendor."""
    if vendor == "sqlite":
        return sqlite_statements(kind)
    if vendor == "postgresql":
        return postgresql_statements(kind)
    raise NotImplementedError(f"full-text search supports SQLite and PostgreSQL, not {vendor}")
