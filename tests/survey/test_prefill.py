"""The register's figures of a cluster's year, as the survey pre-fills them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factories

from poles.projects.models import Project
from poles.registry.models import ClusterYear
from poles.survey.figures import FIGURES
from poles.survey.prefill import prefill


def test_every_figure_of_the_catalogue_is_prefilled(register):
    assert set(prefill(register.cluster_a, 2025)) == {f.code for f in FIGURES}


def test_members_by_category_and_new_and_leaving_members_come_from_the_memberships(register):
    w = register
    gone = factories.organisation("Left In 2025", supplied_by=w.cluster_a, kind="research")
    factories.membership(gone, w.cluster_a, year=2024)
    factories.membership(w.org_a, w.cluster_a, year=2024)
    values = prefill(w.cluster_a, 2025)
    assert values["members_total"] == "2"
    assert values["members_new"] == "1"  # org_member joined in 2025; org_a was there in 2024
    assert values["members_leaving"] == "1"  # the research body left
    assert prefill(w.cluster_a, 2024)["members_research"] == "1"


def test_staff_and_budget_come_from_the_cluster_s_year_and_are_empty_without_one(register):
    w = register
    ClusterYear.objects.filter(cluster=w.cluster_a, year=2024).update(international_fte=Decimal("1.5"))
    values = prefill(w.cluster_a, 2024)
    assert values["staff_fte"] == "8" and values["international_fte"] == "1.5"
    assert values["budget_state"] == str(factories.SENTINEL_STATE_BUDGET)
    assert prefill(w.cluster_a, 2023)["staff_fte"] is None


def test_projects_and_funding_are_the_engine_s_projects_started_in_the_year(register):
    w = register
    Project.objects.filter(pk__in=[w.public_project.pk, w.hidden_project.pk]).update(start_date=dt.date(2024, 5, 1))
    Project.objects.filter(pk=w.hidden_project.pk).update(status=Project.Status.COMPLETED, patents=3)
    factories.funding(w.public_project, Decimal("20000"), funder="eu", instrument="loan")
    factories.project("LATE", clusters=(w.cluster_a,), start_date=dt.date(2025, 3, 1))
    values = prefill(w.cluster_a, 2024)
    assert values["projects_labelled"] == "2"
    assert values["projects_funded"] == "2" and values["projects_completed"] == "1"
    assert values["patents"] == "3"
    assert values["funding_anr"] == str(factories.SENTINEL_AID)
    assert values["funding_eu"] == values["eu_amount"] == "20000"
    assert values["instrument_loan"] == "20000"
    assert values["eu_projects"] == "1"
    assert prefill(w.cluster_a, 2025)["projects_labelled"] == "1"


def test_the_prefill_is_the_indicator_engine_s_figures(register):
    from poles.indicators.engine import Scope, compute
    from poles.survey.prefill import ENGINE_CODES

    engine = {v.code: v.value for v in compute(2025, Scope("cluster", register.cluster_a.slug))}
    values = prefill(register.cluster_a, 2025)
    assert values["members_total"] == str(engine["members"]) == "2"
    assert set(ENGINE_CODES.values()) <= set(engine)
