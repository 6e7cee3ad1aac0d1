"""Lists: pagination, ordering, filters shared with the pages, CSV export."""

import csv
import io

import factories
import pytest
from django.test import Client
from helpers import body, send, text


@pytest.fixture
def many(register):
    for n in range(7):
        factories.organisation(f"Zeta {n}", city="Brest", size_category="small")
    return register


def test_pagination_gives_count_next_previous(many):
    first = body(Client().get("/api/v1/organisations?page_size=4"))
    assert first["count"] == 10 and len(first["results"]) == 4
    assert first["previous"] is None and "page=2" in first["next"]
    last = body(Client().get("/api/v1/organisations?page_size=4&page=3"))
    assert len(last["results"]) == 2 and last["next"] is None and "page=2" in last["previous"]


def test_page_size_is_bounded(db):
    response = Client().get("/api/v1/organisations?page_size=1000")
    assert response.status_code == 422
    assert "page_size" in body(response)["detail"]


def test_ordering_by_whitelisted_fields(many):
    names = [r["name"] for r in body(Client().get("/api/v1/organisations?ordering=-name&page_size=3"))["results"]]
    assert names == ["Zeta 6", "Zeta 5", "Zeta 4"]
    by_city = body(Client().get("/api/v1/organisations?ordering=city,name&page_size=1"))["results"]
    assert by_city[0]["city"] == "Brest"


def test_unknown_ordering_is_a_clear_422(db):
    response = Client().get("/api/v1/organisations?ordering=fee_paid")
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert "ordering" in body(response)["detail"] and "name" in body(response)["detail"]


def test_filters_use_the_page_names(many):
    assert body(Client().get("/api/v1/organisations?size=small"))["count"] == 7
    assert body(Client().get("/api/v1/organisations?q=grenoble"))["count"] == 1
    assert body(Client().get(f"/api/v1/organisations?cluster={many.cluster_b.slug}"))["count"] == 0
    assert body(Client().get("/api/v1/clusters?region=84"))["count"] == 1
    assert body(Client().get("/api/v1/clusters?region=bretagne"))["results"][0]["name"] == "Cluster Beta"
    assert body(Client().get("/api/v1/clusters?q=alpha"))["count"] == 1
    assert body(Client().get("/api/v1/projects?cluster=" + str(many.cluster_b.pk)))["count"] == 1


def test_bad_filter_value_names_the_parameter(db):
    response = Client().get("/api/v1/organisations?size=huge")
    assert response.status_code == 422
    assert body(response)["detail"].startswith("size:")


def arabic_indic(number: int) -> str:
    return "".join(chr(0x0660 + int(d)) for d in str(number))


def test_filter_numbers_in_other_digits_select_nothing(many):
    # int() reads '٣' as 3: a filter must not take another script's digits for an id or a year.
    assert body(Client().get("/api/v1/projects?cluster=" + arabic_indic(many.cluster_b.pk)))["count"] == 0
    response = Client().get("/api/v1/projects?year=" + arabic_indic(2024))
    assert response.status_code == 422 and "year" in body(response)["detail"]


def test_csv_export_in_both_forms(many):
    for url in ("/api/v1/organisations?format=csv&size=small", "/api/v1/organisations/export.csv?size=small"):
        response = Client().get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(text(response))))
        assert len(rows) == 7 and rows[0]["name"].startswith("Zeta")
        assert "figures" not in rows[0]


def test_csv_of_manager_has_fees_as_decimal_strings(api_as, register):
    rows = list(csv.DictReader(io.StringIO(text(api_as("manager").get("/api/v1/memberships/export.csv")))))
    fees = {r["organisation_name"]: r["fee_invoiced"] for r in rows}
    assert fees["Alpha Other Member"] == "98765.43"


def test_money_and_dates_formats(api_as, register):
    membership = body(api_as("manager").get(f"/api/v1/memberships/{register.membership_a.pk}"))
    assert membership["fee_invoiced"] == {"amount": "98765.43", "currency": "EUR"}
    token = body(api_as("manager").post("/api/v1/tokens", {"name": "x"}, content_type="application/json"))
    assert token["created"][:4].isdigit() and "T" in token["created"]


def test_levels_per_row_in_one_list(api_as, register):
    rows = body(api_as("member").get("/api/v1/organisations"))["results"]
    by_name = {r["name"]: r for r in rows}
    assert "figures" in by_name["Member Rep Org"]
    assert "siret" in by_name["Alpha Other Member"] and "figures" not in by_name["Alpha Other Member"]
    assert "siret" not in by_name["Beta Member"]


def test_anonymous_lists_are_rendered_once_and_follow_every_committed_write(
        register, api_as, django_capture_on_commit_callbacks, django_assert_num_queries):
    url = "/api/v1/projects?ordering=acronym"
    assert "OPENPRJ" in Client().get(url).content.decode()
    with django_assert_num_queries(0, connection=None):
        again = Client().get(url)
    assert "OPENPRJ" in again.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = send(api_as("manager"), "patch", f"/api/v1/projects/{register.public_project.pk}",
                        {"is_public": False})
    assert response.status_code == 200
    assert "OPENPRJ" not in Client().get(url).content.decode()
