"""The generator's rows, before they reach the database: proportions and ratios of the seeds."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

import pytest

from poles.demo.build import build_register
from poles.demo.facts import CLUSTERS, MEMBER_MIX, PHASES
from poles.demo.reference import DemoError, load_reference

TODAY = date(2026, 11, 22)
SCALE = 0.2


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ref = load_reference()
    return build_register(ref, seed=11, scale=SCALE, today=TODAY)


def test_category_mix_follows_the_2023_figures(built):
    drawn = Counter(org["_category"] for org in built.organisations)
    total = sum(drawn.values())
    assert total == round(18_000 * SCALE)
    for category, share in MEMBER_MIX:
        assert abs(drawn[category] / total - share) < 0.025, category
    smes = (drawn["small"] + drawn["medium"]) / total
    assert abs(smes - 0.31) < 0.025


def test_members_per_cluster_in_2023_span_100_to_854_scaled(built):
    members = Counter(m["cluster_ix"] for m in built.memberships
                      if m["year"] == 2023 and m["status"] == "member")
    by_slug = {CLUSTERS[ix].slug: n for ix, n in members.items()}
    assert by_slug["aerospace-valley"] == round(854 * SCALE)
    assert by_slug["safe"] == round(450 * SCALE)
    assert min(by_slug.values()) >= round(100 * SCALE)
    assert len(by_slug) == 55
    assert abs(sum(by_slug.values()) - 19_000 * SCALE) < 0.03 * 19_000 * SCALE


def test_memberships_churn_and_some_organisations_join_several_clusters(built):
    years = defaultdict(set)
    clusters = defaultdict(set)
    for m in built.memberships:
        years[m["organisation_ix"], m["cluster_ix"]].add(m["year"])
        clusters[m["organisation_ix"]].add(m["cluster_ix"])
    assert min(min(y) for y in years.values()) == 2019
    assert max(max(y) for y in years.values()) == 2025
    statuses = Counter(m["status"] for m in built.memberships)
    assert statuses["lapsed"] and statuses["resigned"] and statuses["pending"]
    assert statuses["member"] > 0.9 * sum(statuses.values())
    several = sum(1 for c in clusters.values() if len(c) >= 2)
    assert 0.1 < several / len(clusters) < 0.4


def test_fees_grow_with_size_and_are_mostly_paid(built):
    fees = defaultdict(list)
    for m in built.memberships:
        if m["status"] == "member":
            fees[built.organisations[m["organisation_ix"]]["_category"]].append(m["fee_invoiced"])
    average = {c: sum(v) / len(v) for c, v in fees.items()}
    assert average["micro"] < average["small"] < average["medium"] < average["eti"] < average["large"]
    invoiced = sum(m["fee_invoiced"] for m in built.memberships)
    paid = sum(m["fee_paid"] for m in built.memberships)
    assert 0.85 < paid / invoiced < 1


def test_projects_have_consortia_of_2_to_10_with_one_coordinator(built):
    partners = defaultdict(list)
    for p in built.participations:
        partners[p["project_ix"]].append(p["role"])
    assert len(partners) == len(built.projects) == round(2_000 * SCALE)
    assert all(2 <= len(roles) <= 10 and roles.count("coordinator") == 1
               for roles in partners.values())
    links = Counter(link["project_ix"] for link in built.project_clusters)
    assert set(links.values()) <= {1, 2, 3}


def test_projects_span_phases_three_to_five(built):
    years = {p["start_date"].year for p in built.projects}
    assert min(years) == 2013 and max(years) == 2026
    assert [p[0] for p in PHASES] == ["I", "II", "III", "IV", "V"]


def test_rd_expenditure_is_about_two_and_a_half_times_the_aid(built):
    funded = {ix for ix, p in enumerate(built.projects)
              if p["status"] in {"funded", "running", "completed"}}
    rd = sum(built.projects[ix]["rd_expenditure"] for ix in funded)
    aid = sum(f["amount"] for f in built.fundings if f["instrument"] != "loan")
    assert 2.3 < rd / aid < 2.7
    aid_by_participation = sum(p["aid"] for p in built.participations if p["aid"] is not None)
    assert aid_by_participation == aid


def test_completed_projects_have_outcomes_and_some_are_not_public(built):
    completed = [p for p in built.projects if p["status"] == "completed"]
    assert completed and all(p["jobs_created"] is not None for p in completed)
    assert any(p["products_to_market"] for p in completed)
    running = [p for p in built.projects if p["status"] == "running"]
    assert all(p["patents"] is None for p in running)
    assert 0 < sum(not p["is_public"] for p in built.projects) < 0.3 * len(built.projects)


def test_funders_include_the_programmes_of_each_period(built):
    funders = {f["funder"] for f in built.fundings}
    assert {"fui", "anr", "bpifrance", "region", "eu", "france2030"} <= funders
    instruments = {f["instrument"] for f in built.fundings}
    assert {"grant", "advance", "loan"} <= instruments


def test_cluster_years_have_small_teams_and_budgets_near_the_average(built):
    years = [y for y in built.cluster_years if y["year"] == 2023]
    staff = sum(y["staff_fte"] for y in years) / len(years)
    assert 6 <= staff <= 10
    assert all(1 <= y["international_fte"] <= 8 for y in built.cluster_years)


def test_build_refuses_a_reference_date_before_phase_five(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ref = load_reference()
    with pytest.raises(DemoError, match="2023"):
        build_register(ref, scale=0.01, today=date(2020, 1, 1))
