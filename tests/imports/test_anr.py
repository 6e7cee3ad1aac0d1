import csv
import shutil
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum

from poles.imports.anr import AnrImporter, kind_for_category
from poles.imports.base import ImportFailed
from poles.imports.exchange import export_register
from poles.projects.models import Funding, Participation, Project
from poles.registry.models import Organisation

PROJECTS = "anr/anr-dgpie-depuis-2010-projets-finances-20220512-projets.xlsx"
PARTNERS = "anr/anr-dgpie-depuis-2010-projets-finances-20220512-partenaires.xlsx"

pytestmark = [pytest.mark.django_db, pytest.mark.shared_data]


@pytest.fixture
def anr_files(shared_data):
    return shared_data(PROJECTS), shared_data(PARTNERS)


def register_state():
    return (
        Project.objects.count(), Organisation.objects.count(), Participation.objects.count(),
        Funding.objects.aggregate(total=Sum("amount"))["total"],
    )


def test_import_loads_every_real_project_and_rerun_changes_nothing(anr_files, tmp_path):
    projects, partners = anr_files
    report = AnrImporter(projects, partners).run()
    assert export_register(tmp_path)["projects"] == 1379
    with open(tmp_path / "projects.csv", newline="") as handle:
        assert sum(1 for _ in csv.reader(handle)) == 1 + 1379
    assert report.created["projects"] == 1379
    assert Project.objects.filter(key__startswith="anr:").count() == 1379
    assert report.created["participations"] + report.skipped["participations (partner not named in the source)"] > 7000
    assert Participation.objects.filter(role=Participation.Role.COORDINATOR).exists()
    before = register_state()
    again = AnrImporter(projects, partners).run()
    assert not again.changed
    assert again.unchanged["projects"] == 1379
    assert register_state() == before


def test_import_keeps_no_person_names(anr_files):
    projects, partners = anr_files
    AnrImporter(projects, partners).run()
    book = openpyxl.load_workbook(partners, read_only=True)
    rows = book.active.iter_rows(values_only=True)
    header = next(rows)
    surname = header.index("Projet.Partenaire.Responsable_scientifique.Nom")
    names = {row[surname] for _, row in zip(range(300), rows, strict=False) if row[surname]}
    texts = " ".join(Organisation.objects.values_list("name", flat=True)) + " ".join(
        str(v) for v in Participation.objects.values_list("source_refs", flat=True)
    )
    leaked = [name for name in names if len(name) > 4 and f" {name} " in f" {texts} "]
    assert len(leaked) <= len(names) // 20  # a lab may be named after a person; nothing copied per row


def test_text_in_an_amount_is_rejected_with_row_and_column(anr_files, tmp_path):
    projects, partners = anr_files
    call_command("import", "anr", "--projects", str(projects), "--partners", str(partners))
    before = register_state()
    broken = tmp_path / "projets.xlsx"
    shutil.copy(projects, broken)
    book = openpyxl.load_workbook(broken)
    sheet = book.active
    column = [cell.value for cell in sheet[1]].index("Projet.Aide_allouee") + 1
    sheet.cell(row=42, column=column, value="environ 2 millions")
    book.save(broken)
    with pytest.raises(CommandError) as failure:
        call_command("import", "anr", "--projects", str(broken), "--partners", str(partners))
    assert failure.value.returncode == 2
    message = str(failure.value)
    assert "ligne 42" in message and "Projet.Aide_allouee" in message and "nombre attendu" in message
    assert register_state() == before


def test_an_error_anywhere_writes_nothing_on_an_empty_register(anr_files, tmp_path):
    projects, partners = anr_files
    broken = tmp_path / "partenaires.xlsx"
    shutil.copy(partners, broken)
    book = openpyxl.load_workbook(broken)
    column = [cell.value for cell in book.active[1]].index("Projet.Code_Decision_ANR") + 1
    book.active.cell(row=7000, column=column, value="ANR-99-NOPE-0001")
    book.save(broken)
    with pytest.raises(ImportFailed) as failure:
        AnrImporter(projects, broken).run()
    assert [(e.row, e.column) for e in failure.value.report.errors] == [(7000, "Projet.Code_Decision_ANR")]
    assert Project.objects.count() == 0 and Organisation.objects.count() == 0


def test_dry_run_counts_but_writes_nothing(anr_files):
    projects, partners = anr_files
    report = AnrImporter(projects, partners).run(dry_run=True)
    assert report.created["projects"] == 1379
    assert Project.objects.count() == 0


def test_aid_amounts_sum_as_in_the_source(anr_files):
    projects, partners = anr_files
    AnrImporter(projects, partners).run()
    book = openpyxl.load_workbook(projects, read_only=True)
    rows = book.active.iter_rows(values_only=True)
    column = next(rows).index("Projet.Aide_allouee")
    expected = sum(Decimal(str(row[column])) for row in rows if row[column] is not None)
    total = Funding.objects.filter(source="anr").aggregate(total=Sum("amount"))["total"]
    assert total == expected.quantize(Decimal("0.01"))


def test_missing_column_is_named():
    with pytest.raises(ImportFailed) as failure:
        AnrImporter("/nonexistent/p.xlsx", "/nonexistent/q.xlsx").run()
    assert "fichier introuvable" in failure.value.report.error_text()


def test_partner_categories_map_to_kinds():
    assert kind_for_category("Entreprises Privées") == Organisation.Kind.COMPANY
    assert kind_for_category("Organismes de type EPST") == Organisation.Kind.RESEARCH
    assert kind_for_category("Universités, INSA et INP") == Organisation.Kind.EDUCATION
    assert kind_for_category("Non renseigné") == Organisation.Kind.OTHER
