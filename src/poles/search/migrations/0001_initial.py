"""The index tables: FTS5 virtual tables on SQLite, tsvector tables with GIN indexes on PostgreSQL.

The triggers that fill them from the register's tables are (re)installed after every `migrate`
(`poles.search.index.after_migrate`), which also indexes the rows already there.
"""

from django.db import migrations

FTS5 = "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4'"

SQLITE = [
    f"CREATE VIRTUAL TABLE search_organisation USING fts5(name, ids, place, activity, {FTS5})",
    f"CREATE VIRTUAL TABLE search_cluster USING fts5(name, topics, places, mission, {FTS5})",
    f"CREATE VIRTUAL TABLE search_project USING fts5(acronym, title, other, {FTS5})",
]
SQLITE_REVERSE = [f"DROP TABLE IF EXISTS search_{kind}" for kind in ("organisation", "cluster", "project")]

# unaccent needs the right to create an extension (a superuser, or the database owner for trusted
# extensions); without it accents are folded by translate() over the Latin letters French uses.
POSTGRESQL = [
    """DO $$ BEGIN
  CREATE EXTENSION IF NOT EXISTS unaccent;
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'poles.search: the unaccent extension is unavailable (%): accents are folded by translate() '
    'over Latin letters only. Run CREATE EXTENSION unaccent as a superuser, then poles search_index --rebuild.',
    SQLERRM;
END $$""",
    """DO $$
DECLARE schema_name text;
BEGIN
  SELECT n.nspname INTO schema_name FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
   WHERE e.extname = 'unaccent';
  IF schema_name IS NOT NULL THEN
    EXECUTE format(
      'CREATE OR REPLACE FUNCTION poles_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE '
      'AS $f$ SELECT lower(%I.unaccent(%L::regdictionary, coalesce($1, ''''))) $f$',
      schema_name, schema_name || '.unaccent');
  ELSE
    CREATE OR REPLACE FUNCTION poles_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
      SELECT replace(replace(replace(translate(lower(coalesce($1, '')),
        'àáâãäåçèéêëìíîïñòóôõöùúûüýÿ', 'aaaaaaceeeeiiiinooooouuuuyy'), 'œ', 'oe'), 'æ', 'ae'), 'ß', 'ss')
    $f$;
  END IF;
END $$""",
    "CREATE TABLE search_organisation (id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_organisation_document ON search_organisation USING gin (document)",
    "CREATE TABLE search_project (id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX search_project_document ON search_project USING gin (document)",
    "CREATE TABLE search_cluster (id bigint PRIMARY KEY, source text NOT NULL, document tsvector NOT NULL)",
]
POSTGRESQL_REVERSE = [
    *[f"DROP TABLE IF EXISTS search_{kind}" for kind in ("organisation", "cluster", "project")],
    "DROP FUNCTION IF EXISTS poles_fold(text)",
]


class VendorSQL(migrations.RunSQL):
    """RunSQL that applies on one database vendor only."""

    def __init__(self, vendor, sql, reverse_sql):
        super().__init__(sql, reverse_sql)
        self.vendor = vendor

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        return name, [self.vendor, kwargs.pop("sql"), kwargs.pop("reverse_sql", None)], kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("nomenclatures", "0001_initial"),
        ("registry", "0004_refold_name_keys"),
        ("projects", "0002_initial"),
    ]

    operations = [
        VendorSQL("sqlite", SQLITE, SQLITE_REVERSE),
        VendorSQL("postgresql", POSTGRESQL, POSTGRESQL_REVERSE),
    ]
