"""/api/v1/indicators: values through the secrecy rule for the caller, series, declarations, CSV, clear 422s."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from factories import cluster, membership, organisation, user
from helpers import body, text

from poles.registry.models import ClusterYear


@pytest.fixture
def alpha(db):
    a = cluster("Alpha", regions=("84",))
    for n in range(3):
        membership(organisation(f"Org {n}"), a, 2024)
    ClusterYear.objects.create(cluster=a, year=2024, staff_fte=Decimal(8),
                               budget_membership_fees=Decimal("61234.00"), budget_state=Decimal("38766.00"))
    return a


def values(response) -> dict:
    return {row["code"]: row for row in body(response)["indicators"]}


def test_the_public_reads_public_values_and_never_a_clusters_budget(alpha):
    response = Client().get("/api/v1/indicators?scope=cluster:alpha&year=2024")
    assert response.status_code == 200
    got = values(response)
    assert got["members"]["value"] == 3
    assert got["budget_state"] == {**got["budget_state"], "value": None, "withheld": True}
    assert "38766" not in response.content.decode()


def test_the_clusters_manager_reads_its_budget(alpha):
    client = Client()
    client.force_login(user("alpha-manager", {"role": "manager", "cluster": alpha}))
    got = values(client.get("/api/v1/indicators?scope=cluster:alpha&year=2024&codes=private_share,budget_state"))
    assert got["budget_state"]["value"] == "38766.00" and got["private_share"]["value"] == "0.6123"
    assert got["private_share"]["meets_target"] is True


def test_series_and_csv(alpha):
    response = Client().get("/api/v1/indicators/series?scope=cluster:alpha&first=2023&last=2024&codes=members")
    assert body(response)["years"] == [2023, 2024]
    assert [row["value"] for row in body(response)["indicators"]] == [0, 3]
    csv_text = text(Client().get("/api/v1/indicators?scope=nation&year=2024&codes=members&format=csv"))
    assert csv_text.splitlines()[1].startswith("members,Membres,count,2024,nation,3,")


def test_declarations_in_english(db):
    declared = {row["code"]: row for row in body(Client().get("/api/v1/indicators/definitions?lang=en"))}
    assert declared["private_share"]["target"] == {"value": "0.5", "at_least": True, "text": "at least 50%"}
    assert declared["members"]["label"] == "Members"


@pytest.mark.parametrize(("query", "detail"), [
    ("scope=cluster:nowhere", "found 'cluster:nowhere'"),
    ("scope=planet:earth", "found 'planet:earth'"),
    ("codes=members,x", "found 'x'"),
])
def test_bad_parameters_are_a_422_naming_them(alpha, query, detail):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/indicators?{query}")
    assert response.status_code == 422 and detail in body(response)["detail"]


def test_a_long_series_is_refused(alpha):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/api/v1/indicators/series?first=1950&last={dt.date.today().year}")
    assert response.status_code == 422 and "first, last" in body(response)["detail"]


@pytest.mark.parametrize(("language", "reason"), [
    ("fr", "scope : aucun pôle dans cluster:nowhere (vérifiez la clé cluster)"),
    ("en", "scope: no cluster in cluster:nowhere (check the cluster key)"),
])
def test_a_scope_naming_nothing_says_why_in_the_callers_language(alpha, language, reason):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/api/v1/indicators?scope=cluster:nowhere")
    assert response.status_code == 422 and body(response)["detail"].endswith(reason)
