"""Ranking by weighted score and exact selection under the envelope and caps (MILP, HiGHS).

`rank` orders the files by score (ties share a rank and are broken, with the reason said, by the
smaller aid requested, then by the earlier file). `select` chooses the files that maximise the total
score — or the number of files, then the total score among those — whose aid fits the envelope
and the optional caps (at most N files or M euros per region, per cluster, per partner), solved
exactly by `scipy.optimize.milp` (HiGHS, relative gap 0) on integers: scores in hundredths, aid
in cents divided by their greatest common divisor, so no rounding decides. Each file gets the
reason of its outcome: above the line, or the constraints it would break if added to the chosen
set (envelope exhausted, cap for region X reached…). `what_if` re-solves for another envelope.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import csr_matrix

from poles.calls.reasons import Reason, en_number, fr_number

SCORE, COUNT = "score", "count"
DIRECT_BELOW = 50
CORE = 60
CORE_SECONDS: float | None = None
"""A time limit for the core problem (its best feasible answer then only seeds the fixing); none by default."""
"""Items (beyond one per constraint) of the core problem that finds the first good feasible set."""
"""Problems with fewer files go straight to the MILP; larger ones are reduced first (`_solve`)."""
DIMENSIONS: dict[str, tuple[str, str]] = {
    "region": ("la région", "region"),
    "cluster": ("le pôle", "cluster"),
    "partner": ("le partenaire", "partner"),
}


class SelectionError(ValueError):
    """Inputs the selection cannot take (the message names the parameter and the value found)."""


@dataclass(frozen=True)
class Candidate:
    """A file competing for the envelope: its score, the aid it needs, its keys per dimension."""

    id: int
    score: Decimal
    cost: Decimal
    keys: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Cap:
    """At most `max_files` files or `max_amount` euros for one key of a dimension (None: each key)."""

    dimension: str
    key: str | None = None
    max_files: int | None = None
    max_amount: Decimal | None = None
    name: str = ""


@dataclass(frozen=True)
class Ranked:
    """A file's place: its rank (ties share it), position, score and how a tie was broken."""

    id: int
    rank: int
    position: int
    score: Decimal
    tied_with: tuple[int, ...]
    reason: Reason


def rank(candidates: Iterable[Candidate]) -> list[Ranked]:
    """The files by score, highest first; equal scores share a rank and the tie-break is said."""
    ordered = sorted(candidates, key=lambda c: (-c.score, c.cost, c.id))
    result = []
    i = 0
    while i < len(ordered):
        j = i
        while j < len(ordered) and ordered[j].score == ordered[i].score:
            j += 1
        group = ordered[i:j]
        for k, c in enumerate(group):
            others = tuple(o.id for o in group if o.id != c.id)
            score_fr, score_en = fr_number(c.score), en_number(c.score)
            if not others:
                reason = Reason(f"Rang {i + 1}, score {score_fr}.", f"Rank {i + 1}, score {score_en}.")
            else:
                by_cost = len({o.cost for o in group}) == len(group)
                tie_fr = ("départagés par l’aide demandée, la plus faible d’abord" if by_cost
                          else "départagés par l’aide demandée puis l’ordre de dépôt")
                tie_en = ("broken by the aid requested, smallest first" if by_cost
                          else "broken by the aid requested, then the order of filing")
                reason = Reason(
                    f"Rang {i + 1} ex aequo avec {len(others)} autre(s) dossier(s) au score {score_fr} ; "
                    f"{tie_fr} : position {i + k + 1}.",
                    f"Rank {i + 1}, tied with {len(others)} other file(s) at score {score_en}; "
                    f"{tie_en}: position {i + k + 1}.",
                )
            result.append(Ranked(c.id, i + 1, i + k + 1, c.score, others, reason))
        i = j
    return result


@dataclass(frozen=True)
class Verdict:
    """One file's outcome and the reasons for it."""

    selected: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Selection:
    """The chosen files, their totals, and every file's verdict."""

    envelope: Decimal
    objective: str
    selected: frozenset[int]
    total_score: Decimal
    total_cost: Decimal
    verdicts: dict[int, Verdict]
    ranking: list[Ranked]


@dataclass(frozen=True)
class _Row:
    cap: Cap
    key: str
    members: list[int]
    limit: Decimal
    by_amount: bool


def _cap_rows(candidates: Sequence[Candidate], caps: Iterable[Cap]) -> list[_Row]:
    rows = []
    members_of: dict[str, dict[str, list[int]]] = {}
    for cap in caps:
        if cap.dimension not in DIMENSIONS:
            raise SelectionError(f"cap dimension must be one of {', '.join(DIMENSIONS)}, found {cap.dimension!r}")
        if (cap.max_files is None) == (cap.max_amount is None):
            raise SelectionError(f"a cap on {cap.dimension} sets exactly one of max_files and max_amount")
        limit = Decimal(cap.max_files) if cap.max_files is not None else Decimal(cap.max_amount or 0)
        if limit < 0:
            raise SelectionError(f"a cap's limit is non-negative, found {limit}")
        if cap.dimension not in members_of:
            index: dict[str, list[int]] = {}
            for i, c in enumerate(candidates):
                for k in c.keys.get(cap.dimension, ()):
                    index.setdefault(k, []).append(i)
            members_of[cap.dimension] = index
        index = members_of[cap.dimension]
        for key in ([cap.key] if cap.key is not None else sorted(index)):
            members = index.get(key, [])
            if members:
                rows.append(_Row(cap, key, list(members), limit, cap.max_amount is not None))
    return rows


def _cents(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def _milp(weights: np.ndarray, matrix: np.ndarray, upper: np.ndarray,
          extra: tuple[np.ndarray, float] | None, *, time_limit: float | None = None) -> np.ndarray:
    n = len(weights)
    constraints = [LinearConstraint(csr_matrix(matrix), -np.inf, upper)]
    if extra is not None:
        constraints.append(LinearConstraint(csr_matrix(extra[0].reshape(1, -1)), extra[1], np.inf))
    options: dict[str, float] = {"mip_rel_gap": 0.0}
    if time_limit is not None:
        options["time_limit"] = time_limit
    result = milp(-weights, constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, 1), options=options)
    if result.x is None:
        raise SelectionError(f"the solver found no solution: {result.message}")
    return np.asarray(np.round(result.x), dtype=np.int64)


def _frontier_knapsack(values: np.ndarray, costs: np.ndarray, capacity: int) -> np.ndarray:
    """The exact 0/1 knapsack by the Pareto frontier of (cost, value) (Nemhauser–Ullmann), on integers.

    Each item doubles the frontier and dominated states (costlier and not more valuable) are
    dropped; on the few hundred items left after fixing it stays small, and no search is needed.
    """
    values, costs = values.astype(np.int64), costs.astype(np.int64)
    frontier_c, frontier_v = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64)
    history = []
    for c, v in zip(costs, values, strict=True):
        history.append((frontier_c, frontier_v))
        new_c = np.concatenate([frontier_c, frontier_c + c])
        new_v = np.concatenate([frontier_v, frontier_v + v])
        keep = new_c <= capacity
        new_c, new_v = new_c[keep], new_v[keep]
        order = np.lexsort((-new_v, new_c))
        new_c, new_v = new_c[order], new_v[order]
        best_before = np.maximum.accumulate(np.concatenate([[-1], new_v[:-1]]))
        useful = new_v > best_before
        frontier_c, frontier_v = new_c[useful], new_v[useful]
    x = np.zeros(len(values), dtype=np.int64)
    at = int(np.argmax(frontier_v))
    c_left, v_left = frontier_c[at], frontier_v[at]
    for k in range(len(values) - 1, -1, -1):
        previous_c, previous_v = history[k]
        found = np.any((previous_c == c_left) & (previous_v == v_left))
        if not found:
            x[k] = 1
            c_left, v_left = c_left - costs[k], v_left - values[k]
    return x


def _exact(weights: np.ndarray, matrix: np.ndarray, upper: np.ndarray, *,
           time_limit: float | None = None) -> np.ndarray:
    """The exact optimum of a (small) problem: the knapsack frontier when one row at most can bind, else the
    MILP (with a time limit, its best feasible answer: only for the first feasible set, never the result)."""
    binding = [r for r in range(matrix.shape[0]) if matrix[r].sum() > upper[r]]
    if not binding:
        return (weights > 0).astype(np.int64)
    if len(binding) == 1 and len(weights) <= 400:
        r = binding[0]
        return _frontier_knapsack(weights, matrix[r], int(upper[r]))
    return _milp(weights, matrix, upper, None, time_limit=time_limit)


def _fill(weights: np.ndarray, matrix: np.ndarray, upper: np.ndarray, x: np.ndarray, order: np.ndarray) -> np.ndarray:
    """Add the items of `order` that still fit to the feasible set `x`."""
    x = x.copy()
    used = matrix @ x
    for j in order:
        if not x[j] and weights[j] > 0 and np.all(used + matrix[:, j] <= upper):
            x[j] = 1
            used = used + matrix[:, j]
    return x


def _solve(weights: np.ndarray, matrix: np.ndarray, upper: np.ndarray,
           extra: tuple[np.ndarray, float] | None) -> np.ndarray:
    """The exact optimum of max w·x, matrix·x ≤ upper, x binary, on integer data.

    1. The LP relaxation gives the bound UB and each item's reduced cost.
    2. A good feasible set (worth LB): the items the LP takes whole, with a small MILP over the
       "core" (the items whose reduced cost is smallest, where the LP hesitates), then filled.
    3. Reduced-cost fixing: a set worth more than LB is worth at least LB + 1 (integer weights),
       so by LP duality it keeps every item whose reduced cost exceeds UB − LB − 1 at its LP value.
    4. The MILP on the items left; the better of its answer and the feasible set is the optimum.
    On 2,000 files this takes the solver from seconds (its presolve and search on the whole
    knapsack) to a fraction of a second.
    """
    n = len(weights)
    if extra is not None or n < DIRECT_BELOW:
        return _milp(weights, matrix, upper, extra)
    lp = linprog(-weights, A_ub=csr_matrix(matrix), b_ub=upper, bounds=(0, 1), method="highs")
    if lp.status != 0:
        return _milp(weights, matrix, upper, extra)
    bound = -lp.fun
    whole = lp.x > 1 - 1e-9
    reduced = np.where(whole, -lp.upper.marginals, np.where(lp.x < 1e-9, lp.lower.marginals, 0.0))
    order = np.argsort(reduced, kind="stable")
    core = np.zeros(n, dtype=bool)
    core[order[:min(n, CORE + matrix.shape[0])]] = True
    base = (whole & ~core).astype(np.int64)
    left = upper - matrix @ base
    best = _fill(weights, matrix, upper, base, np.lexsort((-weights, -lp.x)))
    if np.all(left >= 0):
        start = base.copy()
        start[core] = _exact(weights[core], matrix[:, core], left, time_limit=CORE_SECONDS)
        start = _fill(weights, matrix, upper, start, order)
        if weights @ start > weights @ best:
            best = start
    value = float(weights @ best)
    slack = bound - value - 0.5  # improving sets are worth at least value + 1; 0.5 absorbs rounding
    to_one = whole & (reduced > slack)
    to_zero = (lp.x < 1e-9) & (reduced > slack)
    free = ~(to_one | to_zero)
    if not free.any():
        return best
    fixed = to_one.astype(np.int64)
    left = upper - matrix @ fixed
    if np.any(left < 0):
        return _milp(weights, matrix, upper, None)
    candidate = fixed.copy()
    candidate[free] = _exact(weights[free], matrix[:, free], left)
    return candidate if weights @ candidate > value else best


def select(candidates: Iterable[Candidate], envelope: Decimal, *, objective: str = SCORE,
           caps: Iterable[Cap] = ()) -> Selection:
    """The files to fund: the exact optimum under the envelope and the caps, with every file's reason."""
    pool = sorted(candidates, key=lambda c: c.id)
    if objective not in (SCORE, COUNT):
        raise SelectionError(f"objective must be '{SCORE}' or '{COUNT}', found {objective!r}")
    if envelope < 0:
        raise SelectionError(f"envelope must be non-negative, found {envelope}")
    for c in pool:
        if c.cost < 0 or c.score < 0:
            raise SelectionError(f"file {c.id}: score and cost are non-negative, found {c.score} and {c.cost}")
    rows = _cap_rows(pool, caps)
    ranking = rank(pool)
    n = len(pool)
    chosen: set[int] = set()
    if n:
        costs = [_cents(c.cost) for c in pool]
        divisor = reduce(math.gcd, costs, 0) or 1
        matrix = np.zeros((1 + len(rows), n))
        upper = np.zeros(1 + len(rows))
        matrix[0] = [cost // divisor for cost in costs]
        upper[0] = _cents(envelope) // divisor
        for r, row in enumerate(rows, 1):
            for i in row.members:
                matrix[r, i] = costs[i] if row.by_amount else 1
            upper[r] = _cents(row.limit) if row.by_amount else int(row.limit)
        scores = np.array([_cents(c.score) for c in pool], dtype=float)
        if objective == COUNT:
            x = _solve(np.ones(n), matrix, upper, None)
            x = _solve(scores, matrix, upper, (np.ones(n), float(x.sum())))
        else:
            x = _solve(scores, matrix, upper, None)
        if np.any(matrix @ x > upper):
            raise SelectionError("the solver's answer breaks a constraint once rounded; no selection made")
        chosen = {pool[i].id for i in range(n) if x[i]}
    verdicts = _verdicts(pool, chosen, envelope, rows, {r.id: r for r in ranking})
    return Selection(
        envelope=envelope, objective=objective, selected=frozenset(chosen),
        total_score=sum((c.score for c in pool if c.id in chosen), Decimal(0)),
        total_cost=sum((c.cost for c in pool if c.id in chosen), Decimal(0)),
        verdicts=verdicts, ranking=ranking,
    )


def _verdicts(pool: Sequence[Candidate], chosen: set[int], envelope: Decimal, rows: list[_Row],
              ranked: Mapping[int, Ranked]) -> dict[int, Verdict]:
    used = sum((c.cost for c in pool if c.id in chosen), Decimal(0))
    taken_files = [sum(1 for i in row.members if pool[i].id in chosen) for row in rows]
    taken_amount = [sum((pool[i].cost for i in row.members if pool[i].id in chosen), Decimal(0)) for row in rows]
    rows_of: dict[int, list[int]] = {}
    for r, row in enumerate(rows):
        for i in row.members:
            rows_of.setdefault(i, []).append(r)
    verdicts = {}
    for index, c in enumerate(pool):
        place = ranked[c.id]
        if c.id in chosen:
            verdicts[c.id] = Verdict(True, (Reason(
                f"Retenu, au-dessus de la ligne : rang {place.rank}, score {fr_number(c.score)}.",
                f"Selected, above the line: rank {place.rank}, score {en_number(c.score)}.",
            ),))
            continue
        reasons = []
        if c.cost > envelope:
            reasons.append(Reason(
                f"L’aide demandée ({fr_number(c.cost)} €) dépasse l’enveloppe entière ({fr_number(envelope)} €).",
                f"The aid requested (EUR {en_number(c.cost)}) exceeds the whole envelope (EUR {en_number(envelope)}).",
            ))
        elif used + c.cost > envelope:
            left = envelope - used
            reasons.append(Reason(
                f"Enveloppe épuisée : il reste {fr_number(left)} € pour {fr_number(c.cost)} € demandés "
                f"(rang {place.rank}, score {fr_number(c.score)}).",
                f"Envelope exhausted: EUR {en_number(left)} left for EUR {en_number(c.cost)} requested "
                f"(rank {place.rank}, score {en_number(c.score)}).",
            ))
        for r in rows_of.get(index, ()):
            row = rows[r]
            fr_dim, en_dim = DIMENSIONS[row.cap.dimension]
            name = row.cap.name or row.key
            if row.by_amount and taken_amount[r] + c.cost > row.limit:
                reasons.append(Reason(
                    f"Plafond atteint pour {fr_dim} {name} : {fr_number(taken_amount[r])} € retenus sur "
                    f"{fr_number(row.limit)} €.",
                    f"Cap for {en_dim} {name} reached: EUR {en_number(taken_amount[r])} selected of "
                    f"EUR {en_number(row.limit)}.",
                ))
            elif not row.by_amount and taken_files[r] + 1 > row.limit:
                reasons.append(Reason(
                    f"Plafond atteint pour {fr_dim} {name} : {taken_files[r]} dossier(s) retenu(s) sur {int(row.limit)}.",
                    f"Cap for {en_dim} {name} reached: {taken_files[r]} file(s) selected of {int(row.limit)}.",
                ))
        if not reasons:
            reasons.append(Reason(
                f"Sous la ligne : l’ajouter n’améliore pas l’optimum (score {fr_number(c.score)}).",
                f"Below the line: adding it does not improve the optimum (score {en_number(c.score)}).",
            ))
        verdicts[c.id] = Verdict(False, tuple(reasons))
    return verdicts


@dataclass(frozen=True)
class WhatIf:
    """Two selections side by side and the files that enter or leave."""

    current: Selection
    other: Selection
    entering: frozenset[int]
    leaving: frozenset[int]


def what_if(candidates: Iterable[Candidate], envelope: Decimal, other_envelope: Decimal, *,
            objective: str = SCORE, caps: Iterable[Cap] = ()) -> WhatIf:
    """The selection for another envelope, compared with the one for `envelope`."""
    pool, limits = list(candidates), list(caps)
    current = select(pool, envelope, objective=objective, caps=limits)
    other = select(pool, other_envelope, objective=objective, caps=limits)
    return WhatIf(current, other, other.selected - current.selected, current.selected - other.selected)
