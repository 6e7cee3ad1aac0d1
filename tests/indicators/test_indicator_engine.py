"""The engine computes each indicator in the database for every scope, once per organisation or project."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from factories import user

from poles.indicators import engine
from poles.indicators.confidentiality import PUBLIC
from poles.indicators.engine import Scope, ScopeError


def figures(scope="nation", year=2024, **options):
    return engine.as_mapping(engine.compute(year, Scope.parse(scope), **options))


def test_members_count_each_organisation_once_across_clusters(world):
    nation = figures()
    assert nation["members"] == 3 and nation["memberships"] == 4 and nation["clusters"] == 3


def test_members_mix_by_size_category_and_kind(world):
    nation = figures()
    assert (nation["members_micro"], nation["members_medium"], nation["members_research"]) == (1, 1, 1)
    assert nation["members_large"] == 0
    assert nation["share_sme"] == Decimal("0.3333")


def test_new_and_leaving_members_compare_with_the_year_before(world):
    nation = figures()
    assert nation["members_new"] == 2  # medium and lab; micro was already a member
    assert nation["members_leaving"] == 1  # gone resigned


def test_fees_sum_every_membership_of_the_year(world):
    assert figures()["fees_invoiced"] == Decimal("450.00")


def test_a_region_counts_a_project_of_two_of_its_clusters_once(world):
    region = figures("region:84")
    assert region["projects"] == 1 and region["funding_total"] == Decimal("150.00")
    assert region["members"] == 2


def test_funding_by_funder_and_instrument_and_leverage(world):
    nation = figures()
    assert nation["projects"] == 2 and nation["projects_funded"] == 2 and nation["projects_completed"] == 1
    assert nation["funding_total"] == Decimal("250.00")
    assert nation["funding_loans"] == Decimal("50.00") and nation["funding_grants"] == Decimal("200.00")
    assert nation["funding_anr"] == Decimal("100.00") and nation["funding_fui"] == Decimal(0)
    assert nation["public_aid"] == Decimal("200.00")
    assert nation["leverage"] == Decimal("2.7500")
    assert nation["eu_projects"] == 1 and nation["patents"] == 2


def test_budget_and_private_share_of_a_cluster(world):
    alpha = figures("cluster:alpha")
    assert alpha["budget_total"] == Decimal("1000.00") and alpha["private_share"] == Decimal("0.6000")
    assert alpha["staff_fte"] == Decimal("8.0")
    assert figures("cluster:beta")["private_share"] is None


def test_a_phase_covers_the_clusters_certified_for_it(world):
    assert figures("phase:V")["members"] == 2  # Alpha's; Gamma was not certified


def test_growth_against_the_year_before(world):
    members = {v.code: v for v in engine.compute(2024, Scope("cluster", "alpha"))}["members"]
    assert members.previous == 2 and members.value == 2 and members.growth == 0


def test_ranks_and_percentiles_among_clusters(world):
    values = {v.code: v for v in engine.compute(2024, Scope("cluster", "alpha"), ranks=True)}
    assert (values["members"].rank, values["members"].peers) == (1, 3)
    assert values["members"].percentile == 100


def test_rank_among_puts_ties_together_and_the_worst_at_zero():
    assert engine.rank_among(5, [5, 5, 1]) == (1, 3, Decimal(50))
    assert engine.rank_among(1, [5, 5, 1]) == (3, 3, Decimal(0))
    assert engine.rank_among(1, [5, 1], higher_is_better=False) == (1, 2, Decimal(100))
    assert engine.rank_among(None, [1]) is None


def test_the_public_never_reads_one_clusters_confidential_figures(world):
    values = engine.compute(2024, Scope("cluster", "alpha"), user=AnonymousUser())
    by_code = {v.code: v for v in values}
    assert by_code["private_share"].withheld and by_code["private_share"].value is None
    assert by_code["members"].value == 2


def test_the_public_does_not_read_a_confidential_aggregate_of_two_clusters(world):
    region = {v.code: v for v in engine.compute(2024, Scope("region", "84"), reader=PUBLIC)}
    assert region["funding_total"].withheld
    nation = {v.code: v for v in engine.compute(2024, Scope(), reader=PUBLIC)}
    assert nation["funding_total"].value == Decimal("250.00")  # projects of 3 clusters
    assert nation["budget_total"].withheld  # the budget of one cluster


def test_a_manager_reads_their_own_clusters_confidential_figures(world):
    manager = user("alpha-manager", {"role": "manager", "cluster": world.a})
    values = {v.code: v for v in engine.compute(2024, Scope("cluster", "alpha"), user=manager)}
    assert values["private_share"].value == Decimal("0.6000")
    other = {v.code: v for v in engine.compute(2024, Scope("cluster", "gamma"), user=manager)}
    assert other["funding_total"].withheld


def test_cluster_table_gives_every_cluster_and_year(world):
    table = engine.cluster_table([2023, 2024], ["members", "funding_total"])
    assert table[(world.a.pk, 2024)]["members"] == 2
    assert table[(world.c.pk, 2024)]["funding_total"] == Decimal("100.00")
    assert table[(world.a.pk, 2023)]["members"] == 2


def test_series_runs_over_the_years_with_members(world):
    years = engine.series(Scope(), ["members"])
    assert sorted(years) == [2023, 2024]


@pytest.mark.parametrize("text", ["country", "region", "nation:FR", "cluster:nowhere"])
def test_bad_scopes_are_refused_with_a_clear_message(world, text):
    with pytest.raises(ScopeError, match="scope"):
        engine.cluster_ids(Scope.parse(text))


def test_an_anonymous_caller_passed_as_none_is_the_public(world):
    values = {v.code: v for v in engine.compute(2024, Scope("cluster", "alpha"), user=None)}
    assert values["budget_total"].withheld
