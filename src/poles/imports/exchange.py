"""The register as plain files: one CSV per table plus a Data Package schema, and back.

`export_register(dir)` writes every register table in primary-key order with a Frictionless
Data Package descriptor (`schema.json`); `RegisterLoader(dir)` reads them back into an empty
register, all or nothing, keeping primary keys and timestamps. This is also how data moves from
SQLite to PostgreSQL. Reference data (territories, nomenclatures) is not exported: it comes with
the project (`poles load_reference`) and rows point to it by code.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils.translation import gettext

from poles.core.models import Source
from poles.core.tables import EXCHANGE, unescape, write_csv
from poles.imports.base import Importer
from poles.projects.models import Call, Funding, Participation, Project, ProjectCluster
from poles.registry.models import (
    Certification,
    Cluster,
    ClusterContact,
    ClusterEUProject,
    ClusterYear,
    Label,
    Membership,
    Organisation,
    OrganisationFigures,
    Phase,
)

SCHEMA_FILE = "schema.json"
NUL = "\x00"
BATCH = 2000

TABLES: list[tuple[str, type[models.Model]]] = [
    ("phases", Phase),
    ("clusters", Cluster),
    ("cluster_regions", Cluster.regions.through),
    ("cluster_ecosystems", Cluster.ecosystems.through),
    ("cluster_years", ClusterYear),
    ("cluster_contacts", ClusterContact),
    ("cluster_eu_projects", ClusterEUProject),
    ("certifications", Certification),
    ("organisations", Organisation),
    ("organisation_figures", OrganisationFigures),
    ("labels", Label),
    ("memberships", Membership),
    ("calls", Call),
    ("projects", Project),
    ("project_clusters", ProjectCluster),
    ("participations", Participation),
    ("fundings", Funding),
]
TYPES = {
    "AutoField": "integer", "BigAutoField": "integer", "IntegerField": "integer",
    "PositiveIntegerField": "integer", "PositiveSmallIntegerField": "integer", "BigIntegerField": "integer",
    "SmallIntegerField": "integer", "DecimalField": "number", "BooleanField": "boolean",
    "DateField": "date", "DateTimeField": "datetime", "JSONField": "object", "ForeignKey": None,
}


def columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def field_type(field: models.Field) -> str:
    if field.is_relation:
        return field_type(field.target_field)
    kind = TYPES.get(field.get_internal_type(), "string")
    if field.get_internal_type() == "JSONField":
        return "array" if field.default is list else "object"
    return kind or "string"


def to_cell(value: Any) -> Any:
    """One value for the table writer: JSON with sorted keys as text, anything else as it is.

    The writer (`poles.core.tables`, EXCHANGE dialect) writes '' for None, ISO dates, decimals as
    stored and true/false, and escapes text that a spreadsheet would run as a formula.
    """
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return value


def from_cell(field: models.Field, text: str) -> Any:
    """The inverse of `to_cell` for a field (escape undone); ValueError with a reason on a bad value."""
    text = unescape(text)
    if NUL in text:
        raise ValueError(gettext("contains a NUL character, which PostgreSQL cannot store"))
    if text == "":
        if field.null:
            return None
        if field.get_internal_type() in {"CharField", "TextField", "SlugField", "URLField", "EmailField"}:
            return ""
        raise ValueError(gettext("a value is required"))
    internal = field.get_internal_type()
    if internal == "JSONField":
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(gettext("not valid JSON (%(error)s)") % {"error": error.msg}) from None
    if internal == "BooleanField":
        if text not in {"true", "false"}:
            raise ValueError(gettext("expected true or false"))
        return text == "true"
    target = field.target_field if field.is_relation else field
    try:
        return target.to_python(text)
    except Exception as error:  # Django raises ValidationError with a message list
        message = getattr(error, "messages", [str(error)])[0]
        raise ValueError(str(message)) from None


def _schema(directory: Path, counts: dict[str, int]) -> dict[str, Any]:
    resources = []
    for name, model in TABLES:
        fields, foreign = [], []
        for field in columns(model):
            spec: dict[str, Any] = {"name": field.attname, "type": field_type(field)}
            if field.help_text:
                spec["description"] = str(field.help_text)
            if not field.null and not field.blank and not field.primary_key:
                spec["constraints"] = {"required": True}
            if field.choices and not field.is_relation:
                spec.setdefault("constraints", {})["enum"] = [str(v) for v, _ in field.flatchoices]
            fields.append(spec)
            if field.is_relation:
                related = field.related_model
                table = next((n for n, m in TABLES if m is related), related._meta.db_table)
                foreign.append({"fields": field.attname,
                                "reference": {"resource": table, "fields": related._meta.pk.attname}})
        resources.append({
            "name": name, "path": f"{name}.csv", "format": "csv", "encoding": "utf-8",
            "rows": counts[name],
            "schema": {"fields": fields, "primaryKey": model._meta.pk.attname, "foreignKeys": foreign,
                       "missingValues": [""]},
        })
    return {
        "name": "poles-register", "title": "poles register export",
        "profile": "tabular-data-package",
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "resources": resources,
    }


def export_register(directory: Path | str, progress: Any = None) -> dict[str, int]:
    """Write one CSV per register table and schema.json into `directory`; returns row counts."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for index, (name, model) in enumerate(TABLES, start=1):
        fields = columns(model)
        names = [f.attname for f in fields]
        rows = model.objects.order_by("pk").values_list(*names).iterator(chunk_size=5000)
        with open(directory / f"{name}.csv", "w", newline="", encoding="utf-8") as handle:
            counts[name] = write_csv(handle, names, ([to_cell(v) for v in row] for row in rows), EXCHANGE)
        if progress:
            progress("exporting tables", index, len(TABLES))
    (directory / SCHEMA_FILE).write_text(json.dumps(_schema(directory, counts), indent=2, ensure_ascii=False))
    return counts


@contextlib.contextmanager
def keeping_timestamps() -> Iterator[None]:
    """Let bulk_create keep exported created_at/updated_at instead of stamping now."""
    switched = []
    for _, model in TABLES:
        for field in columns(model):
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _bad_byte_line(path: Path) -> int:
    """The line of the first byte that is not UTF-8 (the text reader fails a chunk ahead)."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        return raw.count(b"\n", 0, error.start) + 1
    return 0


class RegisterLoader(Importer):
    """`poles load DIR`: read an export back into an empty register."""

    source = Source.LOAD.value

    def __init__(self, directory: Path | str, **kwargs: Any):
        super().__init__(**kwargs)
        self.directory = Path(directory)
        self.rows: dict[str, list[dict[str, Any]]] = {}

    def input_files(self) -> list[Path]:
        return sorted(self.directory.glob("*.csv"))

    def validate(self) -> None:
        if not self.directory.is_dir():
            self.error(None, None, gettext("no such directory: %(path)s") % {"path": self.directory})
            return
        busy = [name for name, model in TABLES if model.objects.exists()]
        if busy:
            self.error(None, None, gettext("the register is not empty (tables: %(tables)s); load into an empty database")
                       % {"tables": ", ".join(busy)})
            return
        for index, (name, model) in enumerate(TABLES, start=1):
            self._read(name, model)
            self.progress("reading tables", index, len(TABLES))
        if not self.report.errors:
            self._check_references()

    def _read(self, name: str, model: type[models.Model]) -> None:
        path = self.directory / f"{name}.csv"
        file = path.name
        if not path.exists():
            self.error(None, None, gettext("missing table file"), file=file)
            return
        fields = {f.attname: f for f in columns(model)}
        rows: list[dict[str, Any]] = []
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader, [])
                missing = [c for c in fields if c not in header]
                unknown = [c for c in header if c not in fields]
                for column in missing:
                    self.error(1, column, gettext("column missing from the file"), file=file)
                for column in unknown:
                    self.error(1, column, gettext("column unknown to this version of poles"), file=file)
                if missing or unknown:
                    return
                for number, values in enumerate(reader, start=2):
                    if len(values) != len(header):
                        self.error(number, None, gettext("expected %(expected)d cells, found %(found)d") % {"expected": len(header), "found": len(values)}, file=file)
                        continue
                    row = {}
                    for column, text in zip(header, values, strict=True):
                        row[column] = self.cell(file, number, column, lambda t, f=fields[column]: from_cell(f, t), text)
                    rows.append(row)
            except (csv.Error, UnicodeDecodeError) as error:
                line = _bad_byte_line(path) if isinstance(error, UnicodeDecodeError) else reader.line_num
                self.error(None, None, gettext("not readable as UTF-8 CSV near line %(line)d (%(error)s)")
                           % {"line": line, "error": error}, file=file)
                return
        self.rows[name] = rows

    def _check_references(self) -> None:
        """Every foreign key points to a row of the export or of the reference data."""
        keys = {name: {row[model._meta.pk.attname] for row in self.rows[name]} for name, model in TABLES}
        for name, model in TABLES:
            for field in columns(model):
                if not field.is_relation:
                    continue
                related = field.related_model
                table = next((n for n, m in TABLES if m is related), None)
                wanted = {row[field.attname] for row in self.rows[name]} - {None}
                known = keys[table] if table else set(
                    related.objects.filter(pk__in=wanted).values_list("pk", flat=True))
                for number, row in enumerate(self.rows[name], start=2):
                    value = row[field.attname]
                    if value is not None and value not in known:
                        where = f"{table}.csv" if table else gettext("the reference data (%(table)s)") % {"table": related._meta.verbose_name}
                        self.error(number, field.attname, gettext("no such row in %(where)s") % {"where": where}, value, file=f"{name}.csv")

    def write(self) -> None:
        with keeping_timestamps():
            for index, (name, model) in enumerate(TABLES, start=1):
                rows = self.rows[name]
                model.objects.bulk_create([model(**row) for row in rows], batch_size=BATCH)
                if rows:
                    self.report.created[name] = len(rows)
                self.progress("writing tables", index, len(TABLES))
        statements = connection.ops.sequence_reset_sql(no_style(), [model for _, model in TABLES])
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
