from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from poles.core.models import AuditEntry
from poles.imports.base import ImportFailed
from poles.imports.members import MembersImporter, clean_naf
from poles.registry.models import Cluster, Membership, Organisation, OrganisationFigures
from poles.territories.models import Region

pytestmark = pytest.mark.django_db

FRENCH = ["Raison sociale", "SIREN", "Type", "Effectif", "Chiffre d'affaires", "Total bilan",
          "Année des chiffres", "Code NAF", "Adresse", "Code postal", "Ville", "Statut",
          "Cotisation facturée", "Cotisation payée"]
ROWS = [
    ["Danone", "552 032 534", "entreprise", 90000, "27 000 000 000", "45 000 000 000", 2023, "10.51A",
     "17 boulevard Haussmann", "75009", "Paris", "membre", "5 000", "5 000"],
    ["Atelier Dupont", "", "TPE", 4, "350 000", "200 000", 2023, "2562B", "", "31000", "Toulouse",
     "adhérent", "150", "0"],
    ["Laboratoire Exemple", "", "recherche", "", "", "", "", "", "", "69007", "Lyon", "membre", "", ""],
]


@pytest.fixture
def cluster():
    cluster = Cluster.objects.create(name="Pôle Test", slug="pole-test")
    cluster.regions.add(Region.objects.get(code="76"))
    return cluster


def xlsx(tmp_path, header, rows, name="membres.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def csv_file(tmp_path, header, rows, name="members.csv", sep=";"):
    path = tmp_path / name
    lines = [sep.join(header)] + [sep.join(str(v) for v in row) for row in rows]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_french_xlsx_creates_members_with_category_and_commune(cluster, tmp_path):
    report = MembersImporter(xlsx(tmp_path, FRENCH, ROWS), cluster="pole-test", year=2024).run()
    assert report.created["organisations"] == 3 and report.created["memberships"] == 3
    danone = Organisation.objects.get(siren="552032534")
    assert danone.size_category == "large" and danone.size_year == 2023
    assert danone.commune.name == "Paris" and danone.naf_id == "10.51A"
    dupont = Organisation.objects.get(name="Atelier Dupont")
    assert dupont.size_category == "micro" and dupont.commune.code == "31555"
    lab = Organisation.objects.get(name="Laboratoire Exemple")
    assert lab.kind == Organisation.Kind.RESEARCH and lab.size_category == "unknown"
    membership = Membership.objects.get(organisation=dupont, cluster=cluster, year=2024)
    assert membership.fee_invoiced == Decimal("150") and membership.fee_paid == 0
    assert OrganisationFigures.objects.get(organisation=danone, year=2023).staff == 90000
    assert AuditEntry.objects.filter(model="import:import", cluster_id=cluster.pk).count() == 1


def test_english_csv_with_commas_is_read_the_same(cluster, tmp_path):
    header = ["name", "siren", "kind", "postcode", "city", "fee invoiced", "fee paid"]
    rows = [["Danone", "552032534", "company", "75009", "Paris", "5000.00", "2500.50"]]
    path = csv_file(tmp_path, header, rows, sep=",")
    report = MembersImporter(path, cluster="pole-test", year=2024).run()
    assert report.created["memberships"] == 1
    assert Membership.objects.get().fee_paid == Decimal("2500.50")


def test_rerun_changes_nothing_and_a_new_year_adds_memberships(cluster, tmp_path):
    path = xlsx(tmp_path, FRENCH, ROWS)
    MembersImporter(path, cluster="pole-test", year=2024).run()
    again = MembersImporter(path, cluster="pole-test", year=2024).run()
    assert not again.changed
    next_year = MembersImporter(path, cluster="pole-test", year=2025).run()
    assert next_year.created == {"memberships": 3}
    assert Organisation.objects.count() == 3


def test_import_rejects_unknown_siren_with_row_and_column_and_writes_nothing(cluster, tmp_path):
    rows = [ROWS[0], ["Fausse SA", "123456789", "entreprise", 10, 1, 1, 2023, "", "", "75001", "Paris",
                      "membre", "100", "100"]]
    with pytest.raises(ImportFailed) as failure:
        MembersImporter(xlsx(tmp_path, FRENCH, rows), cluster="pole-test", year=2024).run()
    errors = failure.value.report.errors
    assert [(e.row, e.column) for e in errors] == [(3, "SIREN")]
    assert "Luhn" in errors[0].reason
    assert Organisation.objects.count() == 0 and Membership.objects.count() == 0


@pytest.mark.parametrize("siren", [
    "\u0667\u0663\u0662\u0668\u0662\u0669\u0663\u0662\u0660",  # 732829320 in Arabic-Indic digits
    "73282932\u00b2",
    "\uff17\uff13\uff12\uff18\uff12\uff19\uff13\uff12\uff10",
])
@pytest.mark.parametrize("column", ["SIREN", "SIREN tête de groupe"])
def test_import_rejects_siren_in_other_digits_with_row_and_column_and_writes_nothing(
    cluster, tmp_path, siren, column
):
    header = ["Raison sociale", "SIREN", "SIREN tête de groupe"]
    rows = [["Danone", "552032534", ""], ["Copie", "732829320", ""]]
    rows[1][header.index(column)] = siren
    with pytest.raises(ImportFailed) as failure:
        MembersImporter(csv_file(tmp_path, header, rows), cluster="pole-test", year=2024).run()
    errors = failure.value.report.errors
    assert [(e.row, e.column) for e in errors] == [(3, column)]
    assert "SIREN" in errors[0].reason
    assert Organisation.objects.count() == 0 and Membership.objects.count() == 0


def test_every_bad_cell_is_reported_at_once(cluster, tmp_path):
    rows = [
        ["", "552032534", "entreprise", "", "", "", "", "", "", "", "", "", "", ""],
        ["X", "", "vaisseau spatial", "beaucoup", "", "", "", "99.99Z", "", "7500", "", "", "10", "20"],
    ]
    with pytest.raises(ImportFailed) as failure:
        MembersImporter(xlsx(tmp_path, FRENCH, rows), cluster="pole-test", year=2024).run()
    located = {(e.row, e.column) for e in failure.value.report.errors}
    assert located == {(2, "Raison sociale"), (3, "Type"), (3, "Effectif"), (3, "Code NAF"),
                       (3, "Code postal"), (3, "Cotisation payée")}


def test_figures_without_their_year_column_fail_once_naming_both_columns_as_written(cluster, tmp_path):
    header = ["nom", "Effectif", "CA"]
    rows = [["Acme", "12", ""], ["Beta", "", ""], ["Gamma", "", "5000"]]
    with translation.override("fr"), pytest.raises(ImportFailed) as failure:
        MembersImporter(csv_file(tmp_path, header, rows), cluster="pole-test", year=2024).run()
    [error] = failure.value.report.errors
    assert (error.row, error.column) == (None, "Effectif, CA")
    assert "« Effectif », « CA »" in error.reason and "« année des chiffres »" in error.reason
    assert "(2 lignes les remplissent)" in error.reason
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        MembersImporter(csv_file(tmp_path, header, rows), cluster="pole-test", year=2024).run()
    assert "need the column “year of the figures”" in failure.value.report.errors[0].reason


def test_a_figure_without_its_year_in_a_row_fails_that_row(cluster, tmp_path):
    header = ["nom", "effectif", "année des chiffres"]
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        MembersImporter(csv_file(tmp_path, header, [["Acme", "12", "2024"], ["Beta", "3", ""]]),
                        cluster="pole-test", year=2024).run()
    assert [(e.row, e.column) for e in failure.value.report.errors] == [(3, "année des chiffres")]


def test_an_empty_figures_column_without_its_year_is_accepted(cluster, tmp_path):
    report = MembersImporter(csv_file(tmp_path, ["nom", "effectif"], [["Acme", ""]]), cluster="pole-test",
                             year=2024).run()
    assert report.ok


def test_a_missing_name_column_is_named_in_the_users_language(cluster, tmp_path):
    for language, column in (("fr", "nom"), ("en", "name")):
        with translation.override(language), pytest.raises(ImportFailed) as failure:
            MembersImporter(csv_file(tmp_path, ["ville"], [["Lyon"]]), cluster="pole-test", year=2024).run()
        assert [(e.row, e.column) for e in failure.value.report.errors] == [(1, column)]


def test_a_membership_year_column_must_match_the_import_year(cluster, tmp_path):
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        MembersImporter(csv_file(tmp_path, ["nom", "Année"], [["Acme", "2024"], ["Beta", "2023"]]),
                        cluster="pole-test", year=2024).run()
    assert [(e.row, e.column, e.value) for e in failure.value.report.errors] == [(3, "Année", 2023)]


def test_a_curly_apostrophe_header_is_read_and_unknown_columns_are_noted(cluster, tmp_path):
    header = ["Nom", "Chiffre d’affaires", "Année des chiffres", "Remarque"]
    with translation.override("en"):
        report = MembersImporter(csv_file(tmp_path, header, [["Acme", "1 200 000", "2024", "x"]]),
                                 cluster="pole-test", year=2024).run()
    assert report.created["organisation figures"] == 1
    assert OrganisationFigures.objects.get(organisation__name="Acme").turnover == 1200000
    assert "ignored columns: Remarque" in report.notes


def test_duplicate_organisation_in_the_file_is_refused(cluster, tmp_path):
    header = ["nom", "siren"]
    path = csv_file(tmp_path, header, [["Danone", "552032534"], ["Danone SA", "552 032 534"]])
    with pytest.raises(ImportFailed) as failure:
        MembersImporter(path, cluster="pole-test", year=2024).run()
    assert "même organisation que la ligne 2" in failure.value.report.errors[0].reason


def test_group_links_make_a_small_subsidiary_a_large_firm(cluster, tmp_path):
    header = ["nom", "siren", "type", "effectif", "chiffre d'affaires", "total bilan", "année des chiffres",
              "siren tête de groupe"]
    rows = [
        ["Danone", "552032534", "entreprise", 90000, 27e9, 45e9, 2023, ""],
        ["Filiale", "632012100", "entreprise", 5, 100000, 100000, 2023, "552032534"],
    ]
    MembersImporter(csv_file(tmp_path, header, rows), cluster="pole-test", year=2024).run()
    filiale = Organisation.objects.get(siren="632012100")
    assert filiale.group_head.siren == "552032534"
    assert filiale.size_category == "large"


GROUP_HEADER = ["nom", "siren", "type", "effectif", "chiffre d'affaires", "total bilan", "année des chiffres",
                "siren tête de groupe", "part détenue par le groupe"]


def test_a_three_level_group_in_one_file_makes_the_leaf_large(cluster, tmp_path):
    rows = [
        ["Tête", "552032534", "entreprise", 9000, 2e9, 2e9, 2023, "", ""],
        ["Milieu", "632012100", "entreprise", 40, 8e6, 8e6, 2023, "552032534", ""],
        ["Feuille", "732829320", "entreprise", 5, 1e6, 1e6, 2023, "632012100", "80 %"],
    ]
    MembersImporter(csv_file(tmp_path, GROUP_HEADER, rows), cluster="pole-test", year=2024).run()
    leaf = Organisation.objects.get(siren="732829320")
    assert leaf.group_head.siren == "632012100" and leaf.group_share == Decimal(80)
    assert leaf.size_category == "large" and leaf.group_head.size_category == "large"


def test_group_share_makes_a_partner_count_pro_rata(cluster, tmp_path):
    rows = [
        ["Partenaire", "552032534", "entreprise", 40, 8e6, 8e6, 2023, "", ""],
        ["PME", "632012100", "entreprise", 30, 5e6, 5e6, 2023, "552032534", "30"],
    ]
    MembersImporter(csv_file(tmp_path, GROUP_HEADER, rows), cluster="pole-test", year=2024).run()
    firm = Organisation.objects.get(siren="632012100")
    assert firm.group_share == Decimal(30) and firm.size_category == "small"  # 30 + 12 persons
    rows[1][GROUP_HEADER.index("part détenue par le groupe")] = ""  # no share: the head controls it
    MembersImporter(csv_file(tmp_path, GROUP_HEADER, rows), cluster="pole-test", year=2024).run()
    firm.refresh_from_db()
    assert firm.group_share is None and firm.size_category == "medium"  # 30 + 40 persons, 13 M€


def test_a_file_without_the_share_column_keeps_the_share_of_an_unchanged_head(cluster, tmp_path):
    rows = [["Partenaire", "552032534", "", ""], ["PME", "632012100", "552032534", "0.3"]]
    header = ["nom", "siren", "siren tête de groupe", "group share"]
    MembersImporter(csv_file(tmp_path, header, rows), cluster="pole-test", year=2024).run()
    assert Organisation.objects.get(siren="632012100").group_share == Decimal(30)  # 0.3 is a fraction
    path = csv_file(tmp_path, header[:3], [row[:3] for row in rows], name="again.csv")
    MembersImporter(path, cluster="pole-test", year=2024).run()
    assert Organisation.objects.get(siren="632012100").group_share == Decimal(30)
    moved = [["Autre tête", "732829320", ""], ["PME", "632012100", "732829320"]]
    MembersImporter(csv_file(tmp_path, header[:3], moved, name="moved.csv"), cluster="pole-test", year=2024).run()
    assert Organisation.objects.get(siren="632012100").group_share is None


def test_leaving_a_group_refreshes_the_former_head(cluster, tmp_path):
    rows = [
        ["Tête", "552032534", "entreprise", 5, 1e6, 1e6, 2023, "", ""],
        ["Filiale", "632012100", "entreprise", 300, 60e6, 60e6, 2023, "552032534", ""],
    ]
    MembersImporter(csv_file(tmp_path, GROUP_HEADER, rows), cluster="pole-test", year=2024).run()
    assert Organisation.objects.get(siren="552032534").size_category == "eti"
    path = csv_file(tmp_path, ["nom", "siren", "siren tête de groupe"], [["Filiale", "632012100", ""]], name="left.csv")
    MembersImporter(path, cluster="pole-test", year=2025).run()
    assert Organisation.objects.get(siren="552032534").size_category == "micro"


@pytest.mark.parametrize("share, reason", [("150", "100"), ("0", "supérieure à 0"), ("beaucoup", "nombre")])
def test_import_rejects_a_bad_group_share_with_row_and_column(cluster, tmp_path, share, reason):
    rows = [["Tête", "552032534", "", ""], ["Filiale", "632012100", "552032534", share]]
    header = ["nom", "siren", "siren tête de groupe", "part détenue par le groupe"]
    with pytest.raises(ImportFailed) as failure:
        MembersImporter(csv_file(tmp_path, header, rows), cluster="pole-test", year=2024).run()
    errors = failure.value.report.errors
    assert [(e.row, e.column) for e in errors] == [(3, "part détenue par le groupe")]
    assert reason in errors[0].reason
    assert Organisation.objects.count() == 0


def test_a_group_share_without_a_group_head_is_refused(cluster, tmp_path):
    header = ["nom", "siren", "siren tête de groupe", "part détenue par le groupe"]
    with pytest.raises(ImportFailed) as failure:
        MembersImporter(csv_file(tmp_path, header, [["Seule", "552032534", "", "30"]]), cluster="pole-test",
                        year=2024).run()
    assert [(e.row, e.column) for e in failure.value.report.errors] == [(2, "part détenue par le groupe")]


def test_dry_run_writes_nothing(cluster, tmp_path):
    report = MembersImporter(xlsx(tmp_path, FRENCH, ROWS), cluster="pole-test", year=2024).run(dry_run=True)
    assert report.created["organisations"] == 3
    assert Organisation.objects.count() == 0


def test_columns_absent_from_the_file_keep_their_values(cluster, tmp_path):
    MembersImporter(xlsx(tmp_path, FRENCH, ROWS), cluster="pole-test", year=2024).run()
    path = csv_file(tmp_path, ["nom", "siren"], [["Danone", "552032534"]])
    report = MembersImporter(path, cluster="pole-test", year=2024).run()
    assert not report.changed
    danone = Organisation.objects.get(siren="552032534")
    assert danone.naf_id == "10.51A" and danone.commune is not None
    assert Membership.objects.get(organisation=danone, year=2024).fee_invoiced == 5000


def test_cli_refuses_an_unknown_cluster_with_exit_code_2(tmp_path):
    path = csv_file(tmp_path, ["nom"], [["Acme"]])
    with pytest.raises(CommandError) as failure:
        call_command("import", "members", str(path), "--cluster", "nope", "--year", "2024")
    assert failure.value.returncode == 2 and "nope" in str(failure.value)


def test_cli_refuses_a_file_that_is_not_a_spreadsheet(cluster, tmp_path):
    path = tmp_path / "members.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError) as failure:
        call_command("import", "members", str(path), "--cluster", "pole-test", "--year", "2024")
    assert failure.value.returncode == 2 and ".csv or .xlsx" in str(failure.value)


@pytest.mark.parametrize("text, code", [("2611Z", "26.11Z"), ("26.11z", "26.11Z"), (" 26.11 Z", "26.11Z")])
def test_naf_codes_are_normalised(text, code):
    assert clean_naf(text) == code


@pytest.mark.parametrize("text", ["\u0662\u0666.\u0661\u0661Z", "\uff12\uff16.11Z"])
def test_naf_codes_in_other_digits_are_refused(text):
    with pytest.raises(ValueError, match="NAF"):
        clean_naf(text)


def test_every_row_written_is_in_the_audit_trail_with_what_changed(cluster, tmp_path):
    MembersImporter(xlsx(tmp_path, FRENCH, ROWS), cluster="pole-test", year=2024).run()
    created = AuditEntry.objects.filter(action="create", model="registry.Organisation", cluster_id=cluster.pk)
    assert sorted(created.values_list("object_repr", flat=True)) == sorted(r[0] for r in ROWS)
    assert AuditEntry.objects.filter(action="create", model="registry.Membership").count() == 3
    path = csv_file(tmp_path, ["nom", "siren", "cotisation facturée"], [["Danone", "552032534", "6000"]])
    MembersImporter(path, cluster="pole-test", year=2024).run()
    entry = AuditEntry.objects.get(action="update", model="registry.Membership")
    assert entry.changes == {"fee_invoiced": ["5000.00", "6000.00"]}
    assert entry.channel == "import"


def test_progress_is_reported_per_batch_while_writing(cluster, tmp_path):
    """The write phase reports each batch, so a page can follow a long import while it writes."""
    from factories import siren

    rows = [[f"Batch Org {n}", siren(700_000 + n), "membre", "100"] for n in range(5000)]
    path = csv_file(tmp_path, ["nom", "siren", "statut", "cotisation"], rows)
    seen: list[tuple[str, int, int]] = []
    MembersImporter(path, cluster="pole-test", year=2024, progress=lambda *step: seen.append(step)).run()
    for stage in ("writing organisations", "writing memberships", "writing audit trail"):
        steps = [(done, total) for name, done, total in seen if name == stage]
        assert steps[-1][0] == steps[-1][1] > 0, stage
        assert any(0 < done < total for done, total in steps), f"{stage}: no progress between batches"
