"""The scoring grid: weighted score out of 100, comments below a threshold, malformed grids refused."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.calls.grid import (
    check_review,
    grid_as_json,
    mean_score,
    parse_grid,
    spread,
    weighted_score,
)
from poles.calls.reasons import CallDataError

GRID = parse_grid([
    {"key": "excellence", "label_fr": "Excellence", "label_en": "Excellence", "weight": 3, "low": 0, "high": 5, "comment_below": 2},
    {"key": "impact", "weight": 2, "low": 1, "high": 10},
])


def test_weighted_score_is_each_position_on_its_scale_weighted():
    assert weighted_score(GRID, {"excellence": 5, "impact": 10}) == Decimal("100.00")
    assert weighted_score(GRID, {"excellence": 0, "impact": 1}) == Decimal("0.00")
    # 3 × 3/5 + 2 × 5/9 = 1.8 + 1.1111 → 2.9111 / 5 × 100
    assert weighted_score(GRID, {"excellence": 3, "impact": 6}) == Decimal("58.22")


@given(st.integers(0, 5), st.integers(1, 10))
def test_weighted_score_stays_between_0_and_100_and_grows_with_each_score(a, b):
    score = weighted_score(GRID, {"excellence": a, "impact": b})
    assert Decimal(0) <= score <= Decimal(100)
    if a < 5:
        assert weighted_score(GRID, {"excellence": a + 1, "impact": b}) > score


def test_low_score_without_comment_is_refused_and_with_comment_accepted():
    (problem,) = check_review(GRID, {"excellence": 1, "impact": 5}, {})
    assert "needs a comment" in problem.en and "commentée" in problem.fr
    assert check_review(GRID, {"excellence": 1, "impact": 5}, {"excellence": "weak state of the art"}) == []


def test_missing_out_of_scale_and_unknown_scores_are_listed():
    problems = check_review(GRID, {"excellence": 7, "novelty": 3}, {})
    texts = " ".join(p.en for p in problems)
    assert "outside the scale 0–5" in texts and "'impact'" in texts and "Unknown criteria: novelty" in texts


def test_mean_and_spread():
    assert mean_score([Decimal("70"), Decimal("80.01")]) == Decimal("75.01")
    assert spread([Decimal("70"), Decimal("82.5")]) == Decimal("12.5")
    assert mean_score([]) is None


@pytest.mark.parametrize("data", [[], [{"weight": 1}], [{"key": "a", "weight": 0}], [{"key": "a", "low": 5, "high": 5}],
                                  [{"key": "a"}, {"key": "a"}], [{"key": "a", "weight": "heavy"}]])
def test_malformed_grids_are_refused(data):
    with pytest.raises(CallDataError):
        parse_grid(data)


def test_grid_round_trip():
    assert parse_grid(grid_as_json(GRID)) == GRID
