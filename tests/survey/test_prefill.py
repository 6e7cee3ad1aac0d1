"""The register's figures of a cluster's year, as the survey pre-fills them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factories

from poles.projects.models import Project, ProjectCluster
from poles.registry.models import ClusterEUProject, ClusterYear
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


def test_projects_and_funding_of_the_year_by_status_funder_and_instrument(register):
    w = register
    ProjectCluster.objects.filter(cluster=w.cluster_a).update(year=2024)
    Project.objects.filter(pk=w.hidden_project.pk).update(status=Project.Status.COMPLETED, patents=3)
    w.funding_a.year = 2024
    w.funding_a.save()
    factories.funding(w.public_project, Decimal("20000"), funder="eu", instrument="loan", year=2024)
    ClusterEUProject.objects.create(cluster=w.cluster_a, name="Interreg Alpha", ongoing=True)
    late = factories.project("LATE", clusters=(w.cluster_a,), start_date=dt.date(2025, 3, 1))
    ProjectCluster.objects.filter(project=late).update(year=None)
    values = prefill(w.cluster_a, 2024)
    assert values["projects_labelled"] == "2"
    assert values["projects_funded"] == "2" and values["projects_completed"] == "1"
    assert values["patents"] == "3"
    assert values["funding_anr"] == str(factories.SENTINEL_AID)
    assert values["funding_eu"] == values["eu_amount"] == "20000"
    assert values["instrument_loan"] == "20000"
    assert values["eu_projects"] == "1"
    assert prefill(w.cluster_a, 2025)["projects_labelled"] == "1"  # dated by its start when the link has no year
