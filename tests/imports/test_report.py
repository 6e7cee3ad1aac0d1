"""Import reports stay small: the first N errors are kept, all are counted, and the CLI says so."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from poles.imports.base import ImportFailed, ImportReport, RowError
from poles.imports.members import MembersImporter
from poles.registry.models import Cluster

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    return Cluster.objects.create(name="Pôle Rapport", slug="pole-rapport")


def bad_sirens(tmp_path, count: int):
    path = tmp_path / "bad.csv"
    path.write_text("nom;siren\n" + "\n".join(f"Org {n};12345678" for n in range(count)) + "\n")
    return path


def test_report_keeps_the_first_errors_and_counts_them_all(cluster, tmp_path, settings):
    settings.POLES_IMPORT_MAX_ERRORS = 200
    with pytest.raises(ImportFailed) as failure:
        MembersImporter(bad_sirens(tmp_path, 900), cluster=cluster, year=2025).run()
    report = failure.value.report
    assert len(report.errors) == 200 and report.error_count == 900
    assert [e.row for e in report.errors[:3]] == [2, 3, 4]
    stored = report.as_dict()
    assert len(stored["errors"]) == 200
    assert stored["error_count"] == report.error_count
    assert stored["errors_omitted"] == report.error_count - 200
    assert len(json.dumps(stored)) < 60_000
    assert "900 erreurs" in str(failure.value)


def test_error_text_lists_the_kept_errors_then_how_many_more():
    report = ImportReport(source="import", max_errors=3)
    for row in range(2, 180_002):
        report.add_error(RowError(row, "siren", "invalid SIREN", "123"))
    text = report.error_text().splitlines()
    assert len(text) == 4 and text[0].startswith("ligne 2, colonne « siren »")
    assert text[-1] == "… et 179,997 autres erreurs"
    assert not report.ok and report.error_count == 180_000


def test_cli_json_and_message_say_how_many_more_errors(cluster, tmp_path, capsys, settings):
    settings.POLES_IMPORT_MAX_ERRORS = 200
    with pytest.raises(CommandError) as failure:
        call_command("import", "members", str(bad_sirens(tmp_path, 1000)), "--cluster", cluster.slug,
                     "--year", "2025", "--json")
    printed = json.loads(capsys.readouterr().out)
    total = printed["error_count"]
    assert total == 1000
    assert len(printed["errors"]) == 200 and printed["errors_omitted"] == total - 200
    message = str(failure.value)
    assert message.startswith(f"{total:,} erreurs dans les données ; rien n’a été écrit")
    assert message.endswith(f"… et {total - 200:,} autres erreurs")
    assert failure.value.returncode == 2
