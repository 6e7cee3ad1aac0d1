"""Page downloads never carry a live formula (CSV injection), whoever wrote the text."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

DANGEROUS_NAMES = ['=HYPERLINK("http://evil","x")', "+1+1 Industries", "-2+3 SAS", "@SUM(A1) SA",
                   "\t=1+1 Tab", "\r=1+1 Return"]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


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
