import csv
import filecmp
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from poles.core.testdb import postgres_url
from poles.imports.base import ImportFailed
from poles.imports.exchange import TABLES, RegisterLoader, export_register
from poles.registry.models import Organisation

pytestmark = pytest.mark.django_db

CORDIS_SAMPLE = (
    "rcn,role,pic,type,contribution,country,start_date,end_date,max_contribution,total_cost,"
    "start_year,end_year,duration,group,nunique\n"
    "1001,coordinator,999999999,PRC,1000.5,FR,2019-01-01,2021-12-31,3000,4000.5,2019,2021,36,eu15,2\n"
    "1001,participant,888888888,REC,NA,DE,2019-01-01,2021-12-31,3000,4000.5,2019,2021,36,eu15,2\n"
)


@pytest.fixture
def filled(register, tmp_path):
    """The shared test world plus imported rows: every exported table has content to carry."""
    path = tmp_path / "cordis.csv"
    path.write_text(CORDIS_SAMPLE)
    call_command("import", "cordis", str(path))
    return register


def empty_register():
    for _, model in reversed(TABLES):
        model.objects.all().delete()


def same_files(left: Path, right: Path) -> list[str]:
    names = sorted(p.name for p in left.glob("*.csv"))
    _, mismatch, errors = filecmp.cmpfiles(left, right, names, shallow=False)
    return mismatch + errors


def test_export_then_load_gives_back_the_same_register(filled, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    counts = export_register(first)
    assert counts["organisations"] == Organisation.objects.count() > 2
    assert counts["participations"] >= 2 and counts["memberships"] >= 1
    empty_register()
    report = RegisterLoader(first).run()
    assert report.created["organisations"] == counts["organisations"]
    export_register(second)
    assert same_files(first, second) == []


def test_export_writes_a_data_package_schema(filled, tmp_path):
    export_register(tmp_path)
    schema = json.loads((tmp_path / "schema.json").read_text())
    resources = {r["name"]: r for r in schema["resources"]}
    assert set(resources) == {name for name, _ in TABLES}
    organisations = resources["organisations"]
    assert organisations["path"] == "organisations.csv"
    assert organisations["rows"] == Organisation.objects.count()
    fields = {f["name"]: f for f in organisations["schema"]["fields"]}
    assert fields["siren"]["type"] == "string" and fields["size_year"]["type"] == "integer"
    foreign = {fk["fields"]: fk["reference"]["resource"] for fk in organisations["schema"]["foreignKeys"]}
    assert foreign["group_head_id"] == "organisations"
    assert foreign["naf_id"] == "nomenclatures_nafcode"
    with open(tmp_path / "organisations.csv") as handle:
        assert next(csv.reader(handle)) == [f["name"] for f in organisations["schema"]["fields"]]


def test_loaded_rows_get_new_ids_after_the_loaded_ones(filled, tmp_path):
    export_register(tmp_path)
    top = Organisation.objects.order_by("-pk").first().pk
    empty_register()
    RegisterLoader(tmp_path).run()
    created = Organisation.objects.create(name="After load", key="name:after load|")
    assert created.pk > top


def test_load_refuses_a_register_that_is_not_empty(filled, tmp_path):
    export_register(tmp_path)
    with pytest.raises(CommandError) as failure:
        call_command("load", str(tmp_path))
    assert failure.value.returncode == 2 and "pas vide" in str(failure.value)


def test_load_reports_bad_cells_by_file_row_and_column_and_writes_nothing(filled, tmp_path):
    export_register(tmp_path)
    empty_register()
    path = tmp_path / "fundings.csv"
    rows = list(csv.reader(path.open()))
    amount = rows[0].index("amount")
    rows[1][amount] = "lots"
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    organisations = list(csv.reader((tmp_path / "organisations.csv").open()))
    commune = organisations[0].index("commune_id")
    organisations[1][commune] = "99999"
    with (tmp_path / "organisations.csv").open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(organisations)
    with pytest.raises(ImportFailed) as failure:
        RegisterLoader(tmp_path).run()
    located = {(e.file, e.row, e.column) for e in failure.value.report.errors}
    assert ("fundings.csv", 2, "amount") in located
    assert Organisation.objects.count() == 0


@pytest.mark.slow
def test_export_loads_into_an_empty_postgresql_database_with_identical_rows(filled, tmp_path):
    """SQLite (or the suite's database) → a new PostgreSQL database: same counts, same sums, same bytes."""
    url = postgres_url()
    if not url:
        pytest.skip("no PostgreSQL: DATABASE_URL unset and nothing answers on 127.0.0.1:5432")
    import psycopg

    export_register(tmp_path / "out")
    name = f"poles_exchange_{uuid.uuid4().hex[:10]}"
    base = url.rsplit("/", 1)[0]
    admin = psycopg.connect(f"{base}/postgres", autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": f"{base}/{name}", "POLES_VAR_DIR": str(tmp_path / "var")}
    poles = [sys.executable, "-m", "poles.cli"]
    try:
        for command in (["migrate", "-v", "0"], ["load_reference"], ["load", str(tmp_path / "out")],
                        ["export", "--out", str(tmp_path / "back")]):
            done = subprocess.run(poles + command, env=env, capture_output=True, text=True, timeout=600)
            assert done.returncode == 0, done.stderr[-2000:]
        assert same_files(tmp_path / "out", tmp_path / "back") == []
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


FORMULA_NAMES = ['=HYPERLINK("http://evil","x")', "+33 Industries", "-minus SAS", "@at SA", "\ttab",
                 "\rreturn", "'=already quoted", "''+twice quoted", "'plain quote", "plain"]


def test_export_escapes_formulas_and_load_gives_back_the_exact_text(filled, tmp_path):
    """Text cells that a spreadsheet would run are written inert, and load undoes the escape."""
    first, second = tmp_path / "first", tmp_path / "second"
    for number, name in enumerate(FORMULA_NAMES):
        Organisation.objects.create(name=name, key=f"name:formula {number}|", city="-Lyon")
    filled.membership_a.fee_paid = -5
    filled.membership_a.save()
    export_register(first)
    with open(first / "organisations.csv", newline="", encoding="utf-8") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    assert not [cell for cell in cells if cell and cell[0] in "=+-@\t\r"]
    assert {"'" + FORMULA_NAMES[0], "''=already quoted", "'''+twice quoted", "'plain quote", "'-Lyon"} <= set(cells)
    with open(first / "memberships.csv", newline="", encoding="utf-8") as handle:
        assert "-5.00" in [cell for row in csv.reader(handle) for cell in row]
    empty_register()
    RegisterLoader(first).run()
    names = set(Organisation.objects.values_list("name", flat=True))
    assert set(FORMULA_NAMES) <= names
    assert set(Organisation.objects.filter(name__in=FORMULA_NAMES).values_list("city", flat=True)) == {"-Lyon"}
    export_register(second)
    assert same_files(first, second) == []


def test_load_refuses_a_nul_character_with_file_row_and_column(filled, tmp_path):
    """SQLite kept NULs that PostgreSQL refuses: moving such a register says where they are."""
    export_register(tmp_path)
    empty_register()
    path = tmp_path / "organisations.csv"
    rows = list(csv.reader(path.open(newline="", encoding="utf-8")))
    name = rows[0].index("name")
    rows[2][name] = "Ac\x00me"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    with pytest.raises(ImportFailed) as failure:
        RegisterLoader(tmp_path).run()
    located = [(e.file, e.row, e.column) for e in failure.value.report.errors]
    assert located == [("organisations.csv", 3, "name")]
    assert "NUL" in failure.value.report.errors[0].reason
    assert Organisation.objects.count() == 0


@pytest.mark.parametrize("damage", [b"\xff\xfe broken utf-8\n", b'1,"' + b"x" * 200_000 + b'"\n'])
def test_load_reports_a_damaged_table_file_instead_of_failing(filled, tmp_path, damage):
    export_register(tmp_path)
    empty_register()
    lines = (tmp_path / "fundings.csv").read_bytes().count(b"\n")
    with (tmp_path / "fundings.csv").open("ab") as handle:
        handle.write(damage)
    with pytest.raises(ImportFailed) as failure, translation.override("en"):
        RegisterLoader(tmp_path).run()
    (error,) = failure.value.report.errors
    assert error.file == "fundings.csv"
    assert f"not readable as UTF-8 CSV near line {lines + 1}" in error.reason
