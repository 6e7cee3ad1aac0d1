"""The members table: search, filters, sort, and CSV/XLSX export of the same rows."""

from __future__ import annotations

import io

import factories
import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def url(cluster, **params):
    from urllib.parse import urlencode

    return reverse("workspace_members", args=[cluster.slug]) + ("?" + urlencode(params) if params else "")


def names(response) -> list[str]:
    return [m.organisation.name for m, _cells, _editable in response.context["rows"]]


def test_members_table_lists_the_clusters_members_with_fees(client_for, register):
    response = client_for("manager").get(url(register.cluster_a))
    assert names(response) == ["Alpha Other Member", "Member Rep Org"]
    assert [c.key for c in response.context["columns"]][-2:] == ["fee_invoiced", "fee_paid"]
    assert "98\u00a0765" in response.content.decode()


def test_members_table_searches_by_name(client_for, register):
    assert names(client_for("manager").get(url(register.cluster_a, q="rep org"))) == ["Member Rep Org"]


def test_members_table_sorts_by_fee_descending(client_for, register):
    response = client_for("manager").get(url(register.cluster_a, sort="-fee_invoiced"))
    assert names(response) == ["Alpha Other Member", "Member Rep Org"]
    response = client_for("manager").get(url(register.cluster_a, sort="fee_invoiced"))
    assert names(response) == ["Member Rep Org", "Alpha Other Member"]


def test_members_table_filters_by_year_and_status(client_for, register):
    factories.membership(register.org_a, register.cluster_a, year=2024, status="lapsed")
    assert names(client_for("manager").get(url(register.cluster_a, year=2024))) == ["Alpha Other Member"]
    assert names(client_for("manager").get(url(register.cluster_a, year=2025, status="lapsed"))) == []


def test_members_table_ignores_an_unknown_sort_column(client_for, register):
    response = client_for("manager").get(url(register.cluster_a, sort="password"))
    assert response.status_code == 200 and response.context["sort"] == "name"


def test_members_export_csv_has_the_pages_columns_and_rows(client_for, register):
    export = reverse("workspace_members_export", args=[register.cluster_a.slug])
    response = client_for("manager").get(export, {"format": "csv", "q": "alpha"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Organisation;SIREN")  # French page: French spreadsheet separators
    assert len(lines) == 2 and "Alpha Other Member" in lines[1] and "98765,43" in lines[1]


def test_members_export_xlsx_keeps_numbers_as_numbers(client_for, register):
    export = reverse("workspace_members_export", args=[register.cluster_a.slug])
    response = client_for("regional").get(export, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Organisation"
    fees = {row[0]: row[-2] for row in rows[1:]}
    assert fees["Alpha Other Member"] == pytest.approx(98765.43)


@pytest.mark.parametrize("role", ["member", "outsider"])
def test_members_export_is_refused_outside_the_team(client_for, register, role):
    export = reverse("workspace_members_export", args=[register.cluster_a.slug])
    assert client_for(role).get(export, {"format": "csv"}).status_code == 403
