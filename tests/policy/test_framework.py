"""The state-of-play framework (seed 002, Annex, Table 6) as data, and its rules."""

from hypothesis import given
from hypothesis import strategies as st

from poles.policy.framework import BY_KEY, FRAMEWORK, MAX_TOTAL, changed, problems, total

valid_scores = st.fixed_dictionaries({c.key: st.sampled_from(c.scores) for c in FRAMEWORK})


def test_the_framework_has_the_annexs_four_criteria_with_four_values_each():
    assert [c.key for c in FRAMEWORK] == ["policy_scope", "continuity", "evidence", "instruments"]
    assert all(c.scores == (0, 1, 2, 3) for c in FRAMEWORK)
    assert BY_KEY["continuity"].level(3).en == "cluster policy established over 10 years ago"
    assert all(level.fr and level.en for c in FRAMEWORK for level in c.levels)
    assert MAX_TOTAL == 12


@given(valid_scores)
def test_every_full_set_of_scale_values_is_valid_and_totals_within_bounds(scores):
    assert problems(scores) == []
    assert 0 <= total(scores) <= MAX_TOTAL


@given(valid_scores, st.sampled_from([c.key for c in FRAMEWORK]),
       st.one_of(st.integers().filter(lambda n: n not in range(4)), st.text(max_size=3), st.booleans(), st.none()))
def test_a_value_off_the_scale_or_missing_is_named_by_its_criterion(scores, key, bad):
    scores = {**scores, key: bad}
    faults = problems(scores)
    assert [k for k, _ in faults] == [key]
    assert faults[0][1] in ("missing", "off-scale")


def test_an_unknown_criterion_and_missing_ones_are_reported():
    assert ("governance", "unknown") in problems({"governance": 2})
    assert {k for k, why in problems({}) if why == "missing"} == set(BY_KEY)


@given(valid_scores, valid_scores)
def test_changed_lists_exactly_the_criteria_whose_score_differs(a, b):
    assert set(changed(a, b)) == {k for k in BY_KEY if a[k] != b[k]}
