"""The campaign's pure rules: the default grid, statements, decisions, the register outcome, consolidation."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from poles.calls.grid import parse_grid
from poles.certification.rules import (
    CERTIFIED,
    DEFAULT_GRID,
    NOT_CERTIFIED,
    Scored,
    consolidate,
    decision_problems,
    register_outcome,
    statement_problems,
)

GRID = parse_grid(DEFAULT_GRID)


def test_the_default_grid_holds_the_nine_criteria_of_the_issue_with_weights_and_scales():
    keys = [c.key for c in GRID.criteria]
    assert keys == ["strategy", "members", "autonomy", "projects", "europe", "smes", "decarbonisation",
                    "ecosystem", "governance"]
    assert all(c.low == 0 and c.high == 5 and c.comment_below == 3 for c in GRID.criteria)
    assert "50 %" in GRID.criteria[2].label_en


def test_an_application_needs_a_sentence_for_every_criterion():
    problems = statement_problems(GRID, {"strategy": "A roadmap shared with the region since 2023."})
    assert len(problems) == 8
    assert problems[0].en.startswith("'Members and their mix")


def test_certified_needs_four_two_or_one_year():
    assert decision_problems(CERTIFIED, 2, "Raise the private share") == []
    assert decision_problems(CERTIFIED, None, "")[0].en == "A certification lasts 4, 2 or 1 year(s)."
    assert decision_problems(CERTIFIED, 3, "")


def test_not_certified_takes_neither_duration_nor_conditions():
    assert decision_problems(NOT_CERTIFIED, None, "") == []
    assert decision_problems(NOT_CERTIFIED, 2, "")
    assert decision_problems(NOT_CERTIFIED, None, "Something")
    assert decision_problems("", None, "")[0].en == "Choose 'certified' or 'not certified'."


@given(duration=st.sampled_from([4, 2, 1]), conditions=st.text(max_size=20))
def test_the_register_outcome_is_conditional_exactly_when_conditions_are_written(duration, conditions):
    expected = "conditional" if conditions.strip() else "certified"
    assert register_outcome(CERTIFIED, conditions) == expected
    assert register_outcome(NOT_CERTIFIED, "") == "refused"


def test_consolidation_puts_every_evaluator_side_by_side_with_means_and_spreads():
    one = Scored("Eve", {c.key: 4 for c in GRID.criteria}, {"strategy": "clear"})
    two = Scored("Eric", {c.key: 2 for c in GRID.criteria}, {})
    result = consolidate(GRID, [one, two])
    assert result.evaluators == ("Eve", "Eric")
    assert result.rows[0].scores == (4, 2)
    assert result.rows[0].comments == ("clear", "")
    assert result.rows[0].mean == Decimal("3.00") and result.rows[0].spread == Decimal(2)
    assert result.totals == (Decimal("80.00"), Decimal("40.00"))
    assert result.mean == Decimal("60.00") and result.spread == Decimal("40.00")


def test_consolidation_of_nothing_is_empty():
    result = consolidate(GRID, [])
    assert result.totals == () and result.mean is None and result.spread is None
