"""Reviewer assignment: constraints always hold; loads are as balanced as any valid assignment (brute force)."""

import itertools

from hypothesis import example, given
from hypothesis import strategies as st

from poles.calls.assignment import FileFacts, ReviewerFacts, assign, why_not


@st.composite
def instances(draw, max_files=5, max_reviewers=5):
    n_files = draw(st.integers(1, max_files))
    n_reviewers = draw(st.integers(1, max_reviewers))
    orgs = st.frozensets(st.integers(1, 8), max_size=3)
    clusters = st.frozensets(st.integers(1, 3), max_size=2)
    files = [FileFacts(i, draw(orgs), draw(clusters)) for i in range(1, n_files + 1)]
    reviewers = [ReviewerFacts(100 + j, draw(st.frozensets(st.integers(1, 8), max_size=1)),
                               draw(st.frozensets(st.integers(1, 8), max_size=2)),
                               draw(st.frozensets(st.integers(1, n_files), max_size=2)),
                               draw(clusters), draw(st.integers(0, 2)))
                 for j in range(n_reviewers)]
    return files, reviewers, draw(st.integers(1, 3)), draw(st.booleans())


def allowed(f, r, exclude):
    """The constraints, restated: no shared organisation, no declared conflict, no labelling-cluster reviewer."""
    if r.organisation_ids & f.organisation_ids:
        return False
    if f.id in r.conflict_file_ids or r.conflict_organisation_ids & f.organisation_ids:
        return False
    return not (exclude and r.cluster_ids & f.cluster_ids)


def best_spread_and_max(files, reviewers, per_file, exclude):
    """Brute force over every valid assignment: the smallest spread and the smallest maximum load."""
    choices = []
    for f in files:
        ok = [r.id for r in reviewers if allowed(f, r, exclude)]
        choices.append(list(itertools.combinations(ok, min(per_file, len(ok)))))
    best_spread, best_max = None, None
    for combo in itertools.product(*choices):
        load = {r.id: r.load for r in reviewers}
        for chosen in combo:
            for r in chosen:
                load[r] += 1
        s, m = max(load.values()) - min(load.values()), max(load.values())
        best_spread = s if best_spread is None else min(best_spread, s)
        best_max = m if best_max is None else min(best_max, m)
    return best_spread, best_max


GREEDY_IS_NOT_ENOUGH = (  # found by hypothesis with the balancing switched off: least-loaded-first leaves a spread of 2
    [FileFacts(1, frozenset({1})), FileFacts(2, frozenset({1})), FileFacts(3, frozenset()),
     FileFacts(4, frozenset(), frozenset({1})), FileFacts(5, frozenset({1}), frozenset({1})),
     FileFacts(6, frozenset({1}))],
    [ReviewerFacts(100, conflict_organisation_ids=frozenset({1})), ReviewerFacts(101),
     ReviewerFacts(102, conflict_file_ids=frozenset({3}), load=2),
     ReviewerFacts(103, conflict_file_ids=frozenset({6}), load=2),
     ReviewerFacts(104, cluster_ids=frozenset({1}), load=2)],
    2, True,
)


@example(GREEDY_IS_NOT_ENOUGH)
@given(instances())
def test_constraints_always_hold_and_loads_are_optimally_balanced(instance):
    files, reviewers, per_file, exclude = instance
    plan = assign(files, reviewers, per_file=per_file, exclude_cluster_reviewers=exclude)
    by_id = {r.id: r for r in reviewers}
    for f in files:
        on = {r for fid, r in plan.pairs if fid == f.id}
        possible = [r for r in reviewers if allowed(f, r, exclude)]
        assert all(allowed(f, by_id[r], exclude) for r in on)
        assert len(on) == min(per_file, len(possible))
        assert (f.id in plan.shortages) == (len(possible) < per_file)
    best_spread, best_max = best_spread_and_max(files, reviewers, per_file, exclude)
    assert max(plan.loads.values()) == best_max
    if best_spread <= 1:
        assert plan.spread <= 1
    assert plan.spread == best_spread or best_spread > 1


@given(st.integers(1, 40), st.integers(2, 12), st.integers(1, 4))
def test_without_conflicts_the_spread_is_at_most_one(n_files, n_reviewers, per_file):
    files = [FileFacts(i, frozenset({i})) for i in range(n_files)]
    reviewers = [ReviewerFacts(1000 + j) for j in range(n_reviewers)]
    plan = assign(files, reviewers, per_file=per_file)
    assert plan.spread <= 1
    assert len(plan.pairs) == n_files * min(per_file, n_reviewers)


def test_fixed_manual_assignments_are_kept_and_counted():
    files = [FileFacts(1, frozenset({1})), FileFacts(2, frozenset({2}))]
    reviewers = [ReviewerFacts(10), ReviewerFacts(11)]
    plan = assign(files, reviewers, per_file=1, fixed=[(1, 10)])
    assert (1, 10) in plan.pairs and (1, 10) not in plan.added
    assert plan.pairs == {(1, 10), (2, 11)}


def test_the_reasons_for_exclusion():
    f = FileFacts(1, frozenset({5, 6}), frozenset({9}))
    assert "its group" in why_not(ReviewerFacts(1, organisation_ids=frozenset({6})), f, exclude_cluster_reviewers=False).en
    assert "conflict" in why_not(ReviewerFacts(1, conflict_file_ids=frozenset({1})), f, exclude_cluster_reviewers=False).en
    assert "conflict" in why_not(ReviewerFacts(1, conflict_organisation_ids=frozenset({5})), f, exclude_cluster_reviewers=False).en
    r = ReviewerFacts(1, cluster_ids=frozenset({9}))
    assert why_not(r, f, exclude_cluster_reviewers=False) is None
    assert "cluster asked to label" in why_not(r, f, exclude_cluster_reviewers=True).en
