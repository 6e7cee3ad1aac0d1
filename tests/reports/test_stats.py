"""The pure rules of the dashboards and reports: median, rank, percentile rank, secrecy threshold, fingerprint."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from poles.reports import stats

values = st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)), max_size=60)


def test_median_of_even_count_is_the_mean_of_the_two_middle_values():
    assert stats.median([4, 1, None, 3, 2]) == Decimal("2.5")
    assert stats.median([None, None]) is None


@given(values)
def test_median_lies_between_the_lowest_and_highest_known_value(xs):
    known = [x for x in xs if x is not None]
    m = stats.median(xs)
    assert (m is None) == (not known)
    if known:
        assert min(known) <= m <= max(known)


@given(values, st.integers(min_value=0, max_value=10**6))
def test_rank_counts_the_peers_strictly_above_plus_one(xs, value):
    r = stats.rank(value, xs)
    assert r == 1 + len([x for x in xs if x is not None and x > value])
    assert stats.rank(None, xs) is None


def test_ties_share_the_best_rank():
    assert [stats.rank(v, [5, 3, 3, 1]) for v in (5, 3, 1)] == [1, 2, 4]


@given(values, st.integers(min_value=0, max_value=10**6))
def test_percentile_rank_is_a_share_between_zero_and_one(xs, value):
    p = stats.percentile_rank(value, xs)
    if all(x is None for x in xs):
        assert p is None
    else:
        assert 0 <= p <= 1


def test_aggregates_of_fewer_than_three_clusters_are_not_publishable():
    assert [stats.publishable(n) for n in (0, 1, 2, 3, 55)] == [False, False, False, True, True]


def test_fingerprint_is_stable_and_changes_with_any_figure():
    a = {"members": 10, "funding": Decimal("1.50"), "years": {2024: [1, 2]}}
    assert stats.fingerprint(a) == stats.fingerprint(dict(reversed(list(a.items()))))
    assert stats.fingerprint(a) != stats.fingerprint({**a, "members": 11})


def test_growth_is_unknown_from_zero():
    assert stats.growth(0, 5) is None
    assert stats.growth(4, 5) == Decimal("0.25")
