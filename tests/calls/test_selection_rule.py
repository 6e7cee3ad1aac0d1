"""Ranking with ties explained; the MILP selection equals a brute-force optimum with caps."""

import itertools
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import poles.calls.selection as selection_module
from poles.calls.selection import (
    COUNT,
    SCORE,
    Candidate,
    Cap,
    SelectionError,
    _frontier_knapsack,
    _milp,
    _solve,
    rank,
    select,
    what_if,
)

REGIONS, CLUSTERS, PARTNERS = ["84", "53", "11"], ["c1", "c2", "c3"], ["p1", "p2", "p3", "p4"]


@st.composite
def candidates(draw, max_files=15):
    n = draw(st.integers(0, max_files))
    return [Candidate(
        i,
        Decimal(draw(st.integers(0, 10000))) / 100,
        Decimal(draw(st.integers(0, 500))) * 1000 + Decimal(draw(st.integers(0, 99))) / 100,
        {"region": frozenset({draw(st.sampled_from(REGIONS))}),
         "cluster": draw(st.frozensets(st.sampled_from(CLUSTERS), max_size=2)),
         "partner": draw(st.frozensets(st.sampled_from(PARTNERS), max_size=3))},
    ) for i in range(n)]


caps = st.lists(st.one_of(
    st.builds(lambda d, k, m: Cap(d, k, max_files=m), st.sampled_from(["region", "cluster", "partner"]),
              st.one_of(st.none(), st.sampled_from(REGIONS + CLUSTERS + PARTNERS)), st.integers(0, 5)),
    st.builds(lambda d, k, m: Cap(d, k, max_amount=Decimal(m) * 1000), st.sampled_from(["region", "cluster"]),
              st.one_of(st.none(), st.sampled_from(REGIONS + CLUSTERS)), st.integers(0, 1500)),
), max_size=2)


def feasible(subset, envelope, limits):
    """The constraints restated on a set of files."""
    if sum((c.cost for c in subset), Decimal(0)) > envelope:
        return False
    for cap in limits:
        keys = {cap.key} if cap.key is not None else {k for c in subset for k in c.keys.get(cap.dimension, ())}
        for key in keys:
            members = [c for c in subset if key in c.keys.get(cap.dimension, ())]
            if cap.max_files is not None and len(members) > cap.max_files:
                return False
            if cap.max_amount is not None and sum((c.cost for c in members), Decimal(0)) > cap.max_amount:
                return False
    return True


def brute_force(pool, envelope, limits, objective):
    best = None
    for size in range(len(pool) + 1):
        for subset in itertools.combinations(pool, size):
            if not feasible(subset, envelope, limits):
                continue
            value = (len(subset), sum((c.score for c in subset), Decimal(0))) if objective == COUNT else \
                sum((c.score for c in subset), Decimal(0))
            best = value if best is None or value > best else best
    return best


@settings(max_examples=60)
@given(candidates(), st.integers(0, 3000), caps, st.sampled_from([SCORE, COUNT]), st.sampled_from([50, 0]))
def test_selection_equals_the_brute_force_optimum(pool, envelope_k, limits, objective, direct_below):
    """Both paths: the MILP straight away, and the reduction (LP, core, fixing, frontier) first."""
    envelope = Decimal(envelope_k) * 1000
    selection_module.DIRECT_BELOW, selection_module.CORE = direct_below, (60 if direct_below else 0)
    try:
        result = select(pool, envelope, objective=objective, caps=limits)
    finally:
        selection_module.DIRECT_BELOW, selection_module.CORE = 50, 60
    chosen = [c for c in pool if c.id in result.selected]
    assert feasible(chosen, envelope, limits)
    value = (len(chosen), result.total_score) if objective == COUNT else result.total_score
    assert value == brute_force(pool, envelope, limits, objective)
    assert set(result.verdicts) == {c.id for c in pool}
    for c in pool:
        verdict = result.verdicts[c.id]
        assert verdict.selected == (c.id in result.selected)
        assert verdict.reasons and all(r.fr and r.en for r in verdict.reasons)


def test_reasons_say_envelope_exhausted_and_cap_reached():
    pool = [Candidate(1, Decimal(90), Decimal(400), {"region": frozenset({"84"})}),
            Candidate(2, Decimal(80), Decimal(400), {"region": frozenset({"84"})}),
            Candidate(3, Decimal(70), Decimal(400), {"region": frozenset({"53"})}),
            Candidate(4, Decimal(60), Decimal(400), {"region": frozenset({"53"})})]
    result = select(pool, Decimal(1000), caps=[Cap("region", "84", max_files=1, name="Auvergne-Rhône-Alpes")])
    assert result.selected == {1, 3}
    assert result.verdicts[1].reasons[0].en == "Selected, above the line: rank 1, score 90."
    assert [r.en for r in result.verdicts[4].reasons] == [
        "Envelope exhausted: EUR 200 left for EUR 400 requested (rank 4, score 60)."]
    assert "Enveloppe épuisée" in result.verdicts[4].reasons[0].fr
    assert len(result.verdicts[2].reasons) == 2  # both bind: every reason is said
    roomy = select(pool, Decimal(5000), caps=[Cap("region", "84", max_files=1, name="Auvergne-Rhône-Alpes")])
    assert [r.en for r in roomy.verdicts[2].reasons] == [
        "Cap for region Auvergne-Rhône-Alpes reached: 1 file(s) selected of 1."]
    assert "Plafond atteint pour la région Auvergne-Rhône-Alpes" in roomy.verdicts[2].reasons[0].fr


def test_optimum_skips_a_better_ranked_file_that_blocks_two_others():
    pool = [Candidate(1, Decimal(90), Decimal(1000)), Candidate(2, Decimal(80), Decimal(500)),
            Candidate(3, Decimal(75), Decimal(500))]
    result = select(pool, Decimal(1000))
    assert result.selected == {2, 3} and result.total_score == Decimal(155)
    assert "Envelope exhausted" in result.verdicts[1].reasons[0].en


def test_count_objective_funds_more_files_then_the_best_scores():
    pool = [Candidate(1, Decimal(90), Decimal(1000)), Candidate(2, Decimal(50), Decimal(300)),
            Candidate(3, Decimal(40), Decimal(300)), Candidate(4, Decimal(45), Decimal(300))]
    result = select(pool, Decimal(1000), objective=COUNT)
    assert result.selected == {2, 3, 4}


def test_ties_share_a_rank_and_the_tie_break_is_said():
    ranked = rank([Candidate(1, Decimal(70), Decimal(500)), Candidate(2, Decimal(70), Decimal(300)),
                   Candidate(3, Decimal(80), Decimal(900))])
    assert [(r.id, r.rank, r.position) for r in ranked] == [(3, 1, 1), (2, 2, 2), (1, 2, 3)]
    assert ranked[1].tied_with == (1,)
    assert "tied with 1 other file(s) at score 70; broken by the aid requested, smallest first: position 2" in ranked[1].reason.en
    assert "ex aequo" in ranked[1].reason.fr


def test_what_if_names_the_files_entering_and_leaving():
    pool = [Candidate(i, Decimal(100 - i), Decimal(100)) for i in range(5)]
    result = what_if(pool, Decimal(200), Decimal(400))
    assert result.entering == {2, 3} and result.leaving == set()
    assert what_if(pool, Decimal(400), Decimal(100)).leaving == {1, 2, 3}


@pytest.mark.parametrize("kwargs, words", [
    ({"objective": "fame"}, "objective"), ({"caps": [Cap("country", max_files=1)]}, "dimension"),
    ({"caps": [Cap("region")]}, "exactly one"), ({"caps": [Cap("region", max_files=1, max_amount=Decimal(1))]}, "exactly one"),
])
def test_bad_inputs_name_the_parameter(kwargs, words):
    with pytest.raises(SelectionError, match=words):
        select([Candidate(1, Decimal(1), Decimal(1))], Decimal(10), **kwargs)


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 40)), max_size=12), st.integers(0, 150))
def test_frontier_knapsack_equals_brute_force(items, capacity):
    values = np.array([v for v, _ in items], dtype=np.int64)
    costs = np.array([c for _, c in items], dtype=np.int64)
    x = _frontier_knapsack(values, costs, capacity)
    assert costs @ x <= capacity
    best = max((sum(values[i] for i in s) for k in range(len(items) + 1)
                for s in itertools.combinations(range(len(items)), k) if sum(costs[i] for i in s) <= capacity), default=0)
    assert values @ x == best


@settings(max_examples=25)
@given(st.integers(60, 160), st.integers(0, 3), st.randoms(use_true_random=False), st.sampled_from([0, 10, 60]))
def test_reduced_solve_equals_the_plain_milp_on_larger_instances(n, n_caps, rnd, core):
    """On 60–160 files, the reduction (LP bound, core, reduced-cost fixing) keeps the MILP's optimum,
    whatever the core's size (a small core leaves the fixing and the last MILP the work)."""
    selection_module.CORE = core
    weights = np.array([rnd.randrange(2000, 10000) for _ in range(n)], dtype=float)
    rows = [[rnd.randrange(100, 2000) for _ in range(n)]]
    upper = [sum(rows[0]) * rnd.uniform(0.1, 0.6) // 1]
    for _ in range(n_caps):
        group = [rnd.randrange(4) for _ in range(n)]
        for g in range(4):
            rows.append([1 if x == g else 0 for x in group])
            upper.append(rnd.randrange(1, n // 4 + 2))
    matrix, upper_arr = np.array(rows, dtype=float), np.array(upper, dtype=float)
    try:
        reduced = _solve(weights, matrix, upper_arr, None)
    finally:
        selection_module.CORE = 60
    plain = _milp(weights, matrix, upper_arr, None)
    assert np.all(matrix @ reduced <= upper_arr)
    assert weights @ reduced == weights @ plain
