"""The state of play of cluster policy: scored form with history, printable factsheet, observatory tables."""

from __future__ import annotations

import pytest
from django.urls import reverse

from poles.core.models import AuditEntry
from poles.policy.models import Assessment

pytestmark = pytest.mark.django_db
SCORES = {"policy_scope": 3, "continuity": 3, "evidence": 3, "instruments": 3}


def form_body(year=2024, **scores):
    body = {"year": str(year), "summary": "Dedicated national policy since 2004."}
    for key, value in {**SCORES, **scores}.items():
        body[f"score_{key}"] = str(value)
        body[f"note_{key}"] = f"About {key}"
    return body


def test_the_national_officer_fills_the_countrys_state_of_play_and_each_save_is_a_version(client_for, register):
    client = client_for("national")
    url = reverse("policy_territory", kwargs={"territory": "FR"})
    assert client.post(url, form_body()).status_code == 302
    assert client.post(url, form_body(evidence=2)).status_code == 302
    versions = Assessment.objects.filter(territory="FR", year=2024).order_by("saved_at", "pk")
    assert [v.scores["evidence"] for v in versions] == [3, 2]
    page = client.get(url + "?year=2024")
    assert page.context["current"].scores["evidence"] == 2
    assert len(page.context["history"]) == 2
    assert AuditEntry.objects.filter(model="policy.Assessment").count() == 2


def test_a_score_off_the_scale_or_missing_is_refused_next_to_its_criterion(client_for, register):
    body = form_body()
    body["score_evidence"] = "7"
    del body["score_instruments"]
    response = client_for("national").post(reverse("policy_territory", kwargs={"territory": "FR"}), body)
    assert response.status_code == 400
    assert {"score_evidence", "score_instruments"} <= set(response.context["form"].errors)
    assert not Assessment.objects.exists()


def test_the_regional_officer_fills_their_region_and_reads_the_country(client_for, register):
    client = client_for("regional")
    assert client.post(reverse("policy_territory", kwargs={"territory": "84"}), form_body()).status_code == 302
    assert Assessment.objects.get().region_id == "84"
    assert client.get(reverse("policy_territory", kwargs={"territory": "FR"})).status_code == 200
    assert client.post(reverse("policy_territory", kwargs={"territory": "FR"}), form_body()).status_code == 403
    assert client.get(reverse("policy_territory", kwargs={"territory": "53"})).status_code == 403
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("role", ["manager", "member", "outsider", "reviewer"])
def test_the_state_of_play_is_for_programme_officers(client_for, register, role):
    assert client_for(role).get(reverse("policy_index")).status_code == 403
    assert client_for(role).get(reverse("policy_factsheet", kwargs={"territory": "FR"})).status_code == 403


def test_an_unknown_region_is_not_found(client_for, register):
    assert client_for("national").get(reverse("policy_territory", kwargs={"territory": "XX"})).status_code == 404


def test_the_factsheet_marks_the_values_reached_and_prints(client_for, register, settings):
    settings.OBSERVATORY_PANEL = ""
    client = client_for("national")
    client.post(reverse("policy_territory", kwargs={"territory": "FR"}), form_body(continuity=2))
    page = client.get(reverse("policy_factsheet", kwargs={"territory": "FR"}) + "?year=2024")
    text = page.content.decode()
    assert page.status_code == 200
    assert "factsheet.css" in text and "poles-sop__reached" in text
    reached = [lv["text"] for r in page.context["rows"] for lv in r["levels"] if lv["reached"]]
    assert len(reached) == 4
    assert page.context["unavailable"]  # no regional data configured: said, not an error


def test_the_index_lists_the_territories_in_scope_with_their_latest_score(client_for, register):
    client_for("national").post(reverse("policy_territory", kwargs={"territory": "FR"}), form_body())
    items = client_for("regional").get(reverse("policy_index")).context["items"]
    assert [i["code"] for i in items] == ["FR", "84"]
    assert items[0]["total"] == 12


@pytest.mark.shared_data
def test_the_region_page_shows_the_factsheet_tables_from_the_observatory(client_for, register, settings, shared_data):
    settings.OBSERVATORY_PANEL = str(shared_data("eurostat/sbs_r_nuts06_r2.tsv.gz"))
    settings.OBSERVATORY_YEAR = 2013
    from poles.territories.models import Region

    Region.objects.filter(code="84").update(name="Auvergne-Rhône-Alpes")
    page = client_for("regional").get(reverse("region_overview", kwargs={"code": "84"}))
    sheet = page.context["sheet"]
    assert {r.region for r in sheet.table1} == {"FR71", "FR72"}  # Rhône-Alpes and Auvergne (NUTS 2010)
    assert len(page.context["figure"].chart.categories) == 14
    assert "Tableau 1" in page.content.decode()  # French first
    chart = client_for("anonymous").get(reverse("chart", kwargs={"key": "factsheet-ecosystems"}) + "?format=csv")
    assert chart.status_code == 200


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_current_assessments_export_for_the_territories_in_scope(client_for, register, fmt):
    client_for("national").post(reverse("policy_territory", kwargs={"territory": "53"}), form_body())
    client_for("regional").post(reverse("policy_territory", kwargs={"territory": "84"}), form_body(evidence=1))
    client_for("regional").post(reverse("policy_territory", kwargs={"territory": "84"}), form_body(evidence=2))
    response = client_for("regional").get(reverse("policy_export"), {"format": fmt})
    assert response.status_code == 200
    if fmt == "csv":
        lines = response.content.decode("utf-8-sig").splitlines()
        assert len(lines) == 2 and ";84;2024;3;3;2;3;11;" in lines[1]  # the latest version only, not region 53
