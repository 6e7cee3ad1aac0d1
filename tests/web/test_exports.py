"""Page downloads never carry a live formula (CSV injection), whoever wrote the text."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import factories
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from poles.imports.members import MembersImporter
from poles.imports.values import is_empty
from poles.registry.models import ClusterYear, Membership, Organisation
from poles.registry.names import name_key
from poles.territories.lookup import CommuneIndex

pytestmark = pytest.mark.django_db

DANGEROUS_NAMES = ['=HYPERLINK("http://evil","x")', "+1+1 Industries", "-2+3 SAS", "@SUM(A1) SA",
                   "\t=1+1 Tab", "\r=1+1 Return"]


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if ";" in text.split("\r\n", 1)[0] else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def xlsx_cells(response) -> list:
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_inert(response, name: str) -> None:
    """The name is in the file, as text a spreadsheet will not run."""
    if response["Content-Type"].startswith("text/csv"):
        cells = [cell for row in csv_rows(response) for cell in row]
        assert "'" + name in cells
        assert not [c for c in cells if c and c[0] in "=+-@\t\r"]
    else:
        cells = xlsx_cells(response)
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        mine = [c for c in cells if c.value == name.replace("\r", "\n")]
        assert mine and all(c.data_type == "s" and c.quotePrefix for c in mine)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_members_export_neutralises_an_organisation_named_like_a_formula(client_for, register, name, fmt):
    register.org_member.name = name
    register.org_member.save()
    export = reverse("workspace_members_export", args=[register.cluster_a.slug])
    response = client_for("manager").get(export, {"format": fmt})
    assert response.status_code == 200
    assert_inert(response, name)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_member_renaming_their_organisation_cannot_plant_a_formula_in_the_managers_export(
        client_for, register, fmt):
    payload = '=HYPERLINK("http://evil","x")'
    member = client_for("member")
    renamed = member.patch(f"/api/v1/organisations/{register.org_member.pk}", {"name": payload},
                           content_type="application/json")
    assert renamed.status_code == 200, renamed.content
    export = reverse("workspace_members_export", args=[register.cluster_a.slug])
    assert_inert(client_for("manager").get(export, {"format": fmt}), payload)


def test_members_export_keeps_negative_and_decimal_numbers_as_numbers(client_for, register):
    register.membership_a.fee_invoiced = -12
    register.membership_a.save()
    export = reverse("workspace_members_export", args=[register.cluster_a.slug])
    rows = csv_rows(client_for("manager").get(export, {"format": "csv", "q": "alpha"}))
    assert rows[1][-2] == "-12,00"
    rows = csv_rows(client_for("manager").get(export, {"format": "csv", "q": "alpha", "csv": "standard"}))
    assert rows[1][-2] == "-12.00"
    cells = xlsx_cells(client_for("manager").get(export, {"format": "xlsx", "q": "alpha"}))
    assert [c.value for c in cells if c.data_type == "n" and c.value < 0] == [-12]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_programme_export_neutralises_a_cluster_named_like_a_formula(client_for, register, name, fmt):
    register.cluster_a.name = name
    register.cluster_a.save()
    response = client_for("national").get(reverse("programme_export"), {"format": fmt})
    assert response.status_code == 200
    assert_inert(response, name)


# --- for French spreadsheets ------------------------------------------------------------------------

def members_export(client, cluster, language: str, **params):
    return client.get(reverse("workspace_members_export", args=[cluster.slug]), {"format": "csv", **params},
                      HTTP_ACCEPT_LANGUAGE=language)


def test_a_french_members_csv_opens_in_columns_in_french_excel_with_french_labels(client_for, register):
    register.membership_a.fee_invoiced = Decimal("1234.5")
    register.membership_a.save()
    response = members_export(client_for("manager"), register.cluster_a, "fr", q="alpha")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffOrganisation;SIREN;Type;")
    header, row = text.lstrip("\ufeff").splitlines()
    cells = row.split(";")
    assert "entreprise" in cells and "membre" in cells and "1234,50" in cells
    assert "company" not in cells and "member" not in cells


def test_an_english_members_csv_has_commas_points_and_english_labels(client_for, register):
    register.membership_a.fee_invoiced = Decimal("1234.5")
    register.membership_a.save()
    text = members_export(client_for("manager"), register.cluster_a, "en", q="alpha").content.decode("utf-8")
    assert text.startswith("\ufeffOrganisation,SIREN,Kind,")
    row = text.splitlines()[1].split(",")
    assert "company" in row and "member" in row and "1234.50" in row


def test_a_french_reader_may_choose_the_standard_csv(client_for, register):
    text = members_export(client_for("manager"), register.cluster_a, "fr", csv="standard").content.decode()
    assert text.startswith("\ufeffOrganisation,SIREN,Type,")


def one_third_private(cluster) -> None:
    """The cluster's latest budget: a private share of 1/3, which Decimal writes with 28 decimals."""
    ClusterYear.objects.update_or_create(cluster=cluster, year=2099, defaults={
        "budget_membership_fees": Decimal(100_000), "budget_state": Decimal(200_000)})


def test_the_programme_csv_rounds_figures_as_the_page_shows_them(client_for, register):
    one_third_private(register.cluster_a)
    response = client_for("national").get(reverse("programme_export"), {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    rows = csv_rows(response)
    header = rows[0]
    row = next(r for r in rows if r[0] == register.cluster_a.name)
    assert "Part privée du budget (%)" in header or "Private share of budget (%)" in header
    share = row[header.index(next(h for h in header if h.endswith("(%)") and "priv" in h.lower()))]
    assert share == "33"
    assert all(len(cell) < 40 for cell in row)


def test_the_programme_xlsx_keeps_numbers_as_numbers_with_their_formats(client_for, register):
    one_third_private(register.cluster_a)
    response = client_for("national").get(reverse("programme_export"), {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="fr")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == register.cluster_a.name)
    share = row[header.index("Part privée du budget (%)")]
    assert share.data_type == "n" and share.value == 0.33 and share.number_format == "0%"
    members = row[header.index("Membres")]
    assert members.data_type == "n" and members.number_format == "#,##0"


def test_the_api_csv_stays_machine_friendly_in_french(client_for, register):
    response = client_for("manager").get("/api/v1/memberships/export.csv", HTTP_ACCEPT_LANGUAGE="fr")
    text = b"".join(response.streaming_content).decode("utf-8")
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    assert ";" not in text.splitlines()[0]
    statuses = {r[rows[0].index("status")] for r in rows[1:]}
    assert statuses and statuses <= set(Membership.Status.values)
    fees = [r[rows[0].index("fee_invoiced")] for r in rows[1:] if r[rows[0].index("fee_invoiced")]]
    assert fees and all("," not in f for f in fees) and any("." in f for f in fees)


# --- what we export in French re-imports equal ------------------------------------------------------

NAME_CHARS = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029")
names = st.text(NAME_CHARS, min_size=1, max_size=30).map(str.strip).filter(lambda n: n and not is_empty(n))
fees = st.decimals(min_value=0, max_value=10_000_000, places=2)
member_rows = st.lists(st.tuples(names, st.booleans(), st.sampled_from(Organisation.Kind.values),
                                 st.sampled_from(Membership.Status.values), fees, st.booleans()),
                       min_size=1, max_size=6, unique_by=lambda r: name_key(r[0], "Lyon"))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=member_rows, language=st.sampled_from(["fr", "en"]), fmt=st.sampled_from(["csv", "xlsx"]))
def test_a_members_export_re_imports_equal(client_for, register, rows, language, fmt):
    with transaction.atomic():
        cluster = factories.cluster()
        commune = CommuneIndex.from_db().resolve(None, "Lyon")  # as an import finds it from the city
        for n, (name, has_siren, kind, status, invoiced, pays) in enumerate(rows):
            key = {} if has_siren else {"key": name_key(name, "Lyon")}
            org = factories.organisation(name, siren=factories.siren(700_000 + n) if has_siren else None, kind=kind,
                                         city="Lyon", commune_id=commune, supplied_by=cluster,
                                         **key)
            factories.membership(org, cluster, status=status, fee_invoiced=invoiced,
                                 fee_paid=invoiced if pays else Decimal(0))
        stored = set(Membership.objects.filter(cluster=cluster).values_list(
            "organisation__name", "organisation__siren", "organisation__kind", "status", "fee_invoiced", "fee_paid"))
        response = client_for("admin").get(reverse("workspace_members_export", args=[cluster.slug]),
                                           {"format": fmt, "year": "2025"}, HTTP_ACCEPT_LANGUAGE=language)
        with translation.override(language):
            report = MembersImporter(Path(f"export.{fmt}"), cluster=cluster, year=2025,
                                     content=response.content).run()
        assert not report.created and not report.updated, report.as_dict()
        assert report.unchanged["memberships"] == len(rows)
        again = set(Membership.objects.filter(cluster=cluster).values_list(
            "organisation__name", "organisation__siren", "organisation__kind", "status", "fee_invoiced", "fee_paid"))
        assert again == stored
        transaction.set_rollback(True)


def test_the_pages_offer_both_csv_dialects(client_for, register):
    page = client_for("national").get(reverse("programme"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "format=csv&amp;csv=fr" in page and "format=csv&amp;csv=standard" in page
    assert "CSV (Excel, France)" in page
    members = client_for("manager").get(reverse("workspace_members", args=[register.cluster_a.slug])).content.decode()
    assert "csv=fr" in members and "csv=standard" in members


def test_the_openapi_document_says_the_api_csv_is_machine_friendly(client):
    schema = client.get("/api/v1/openapi.json").json()
    answers = [op["responses"]["200"]["description"] for path, ops in schema["paths"].items()
               if path.endswith("export.csv") for op in ops.values()]
    assert answers and all("`,` between cells, `.` as the decimal point" in a for a in answers)
