"""The secrecy rule: confidential figures of fewer than 3 other clusters never reach a reader."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from poles.indicators.confidentiality import EVERYTHING, MINIMUM_CLUSTERS, PUBLIC, Reader, may_read

ids = st.frozensets(st.integers(1, 12), max_size=8)


def test_public_indicators_are_public_even_for_one_cluster():
    assert may_read(PUBLIC, confidential=False, scope_cluster_ids={1}, contributors=1)


def test_the_public_never_reads_one_clusters_confidential_figure():
    assert not may_read(PUBLIC, confidential=True, scope_cluster_ids={1}, contributors=1)


def test_the_public_reads_a_confidential_aggregate_of_three_clusters_not_two():
    assert may_read(PUBLIC, confidential=True, scope_cluster_ids={1, 2, 3}, contributors=3)
    assert not may_read(PUBLIC, confidential=True, scope_cluster_ids={1, 2, 3}, contributors=2)


def test_a_team_reads_its_own_clusters_confidential_figures():
    team = Reader(confidential_cluster_ids=frozenset({7}))
    assert may_read(team, confidential=True, scope_cluster_ids={7}, contributors=1)
    assert not may_read(team, confidential=True, scope_cluster_ids={8}, contributors=1)


def test_a_team_cannot_subtract_its_own_figures_from_a_small_aggregate():
    team = Reader(confidential_cluster_ids=frozenset({1}))
    assert not may_read(team, confidential=True, scope_cluster_ids={1, 2, 3}, contributors=3)
    assert may_read(team, confidential=True, scope_cluster_ids={1, 2, 3, 4}, contributors=4)


def test_national_officers_read_everything():
    assert may_read(EVERYTHING, confidential=True, scope_cluster_ids={1}, contributors=1)


@given(scope=ids, own=ids, contributors=st.integers(0, 12))
def test_a_confidential_value_is_read_only_whole_or_over_three_others(scope, own, contributors):
    reader = Reader(confidential_cluster_ids=own)
    allowed = may_read(reader, confidential=True, scope_cluster_ids=scope, contributors=contributors)
    whole = bool(scope) and scope <= own
    others = contributors - len(scope & own)
    assert allowed == (whole or others >= MINIMUM_CLUSTERS)
