"""The API's CSV lists never carry a live formula, and numbers stay plain numbers."""

import csv
import io

import pytest

pytestmark = pytest.mark.django_db

DANGEROUS_NAMES = ['=HYPERLINK("http://evil","x")', "+1+1 Industries", "-2+3 SAS", "@SUM(A1) SA",
                   "\t=1+1 Tab", "\r=1+1 Return"]


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_organisations_csv_escapes_a_name_that_starts_like_a_formula(api_as, register, name):
    register.org_a.name = name
    register.org_a.save()
    rows = rows_of(api_as("anonymous").get("/api/v1/organisations/export.csv"))
    assert "'" + name in [r["name"] for r in rows]
    assert not [v for r in rows for v in r.values() if v and v[0] in "=+-@\t\r"]


@pytest.mark.parametrize("name", DANGEROUS_NAMES)
def test_memberships_csv_escapes_the_organisation_name_for_the_manager(api_as, register, name):
    register.org_member.name = name
    register.org_member.save()
    rows = rows_of(api_as("manager").get("/api/v1/memberships?format=csv"))
    assert "'" + name in [r["organisation_name"] for r in rows]


def test_memberships_csv_keeps_a_negative_amount_a_number(api_as, register):
    register.membership_a.fee_paid = -5
    register.membership_a.save()
    rows = rows_of(api_as("manager").get("/api/v1/memberships/export.csv"))
    assert "-5.00" in [r["fee_paid"] for r in rows]
