"""Who reviews which file: never a conflicted reviewer, N reviews per file, loads balanced.

A reviewer is excluded from a file when their organisation or its group is in the consortium
(with the partners' groups), when they declared a conflict with the file or with one of its
organisations, and, when the call says so, when they are attached to a cluster the file asked for
a label. Each file gets `per_file` reviewers, or all the allowed ones when fewer exist (the
shortage is reported with its reason). Loads are balanced exactly: after a greedy start (least
loaded first), a unit of work moves along any chain of reviewers that lowers the load of one
reviewer and raises that of another at least two below it, until none remains. No such chain left
means the loads are lexicographically optimal among all valid assignments (the exchange argument
of balanced semi-matchings), so the spread is at most 1 whenever any valid assignment achieves it.
Manual assignments already made count in the loads and are never moved.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from poles.calls.reasons import Reason


@dataclass(frozen=True)
class FileFacts:
    """One file: its consortium's organisations (groups included) and the clusters asked to label it."""

    id: int
    organisation_ids: frozenset[int]
    cluster_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class ReviewerFacts:
    """One reviewer: their organisation (group included), declared conflicts, attached clusters."""

    id: int
    organisation_ids: frozenset[int] = frozenset()
    conflict_organisation_ids: frozenset[int] = frozenset()
    conflict_file_ids: frozenset[int] = frozenset()
    cluster_ids: frozenset[int] = frozenset()
    load: int = 0


def why_not(reviewer: ReviewerFacts, file: FileFacts, *, exclude_cluster_reviewers: bool) -> Reason | None:
    """Why `reviewer` may not review `file` (None when they may)."""
    if reviewer.organisation_ids & file.organisation_ids:
        return Reason("L’organisation de l’expert, ou son groupe, fait partie du consortium.",
                      "The reviewer's organisation, or its group, is in the consortium.")
    if file.id in reviewer.conflict_file_ids or reviewer.conflict_organisation_ids & file.organisation_ids:
        return Reason("L’expert a déclaré un conflit d’intérêts avec ce dossier.",
                      "The reviewer declared a conflict of interest with this file.")
    if exclude_cluster_reviewers and reviewer.cluster_ids & file.cluster_ids:
        return Reason("L’expert est rattaché à un pôle sollicité pour labelliser le projet.",
                      "The reviewer is attached to a cluster asked to label the project.")
    return None


@dataclass(frozen=True)
class Plan:
    """The assignment: every (file, reviewer) pair, those added, loads, and files short of reviewers."""

    pairs: frozenset[tuple[int, int]]
    added: frozenset[tuple[int, int]]
    loads: dict[int, int]
    shortages: dict[int, Reason]

    @property
    def spread(self) -> int:
        """Highest minus lowest load over the pool of reviewers."""
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0


def assign(files: Iterable[FileFacts], reviewers: Iterable[ReviewerFacts], *, per_file: int,
           exclude_cluster_reviewers: bool = False, fixed: Iterable[tuple[int, int]] = ()) -> Plan:
    """Assign `per_file` allowed reviewers to each file, balancing loads; `fixed` pairs stay as they are."""
    if per_file < 0:
        raise ValueError(f"per_file is a non-negative number of reviews, found {per_file}")
    files = sorted(files, key=lambda f: f.id)
    pool = sorted(reviewers, key=lambda r: r.id)
    fixed_pairs = set(fixed)
    allowed: dict[int, list[int]] = {
        f.id: [r.id for r in pool if why_not(r, f, exclude_cluster_reviewers=exclude_cluster_reviewers) is None]
        for f in files
    }
    on: dict[int, set[int]] = {f.id: set() for f in files}
    load = {r.id: r.load for r in pool}
    for file_id, reviewer_id in fixed_pairs:
        on.setdefault(file_id, set()).add(reviewer_id)
        if reviewer_id in load:
            load[reviewer_id] += 1
    shortages: dict[int, Reason] = {}
    movable: set[tuple[int, int]] = set()
    for f in sorted(files, key=lambda f: (len(allowed[f.id]), f.id)):
        need = per_file - len(on[f.id])
        free = sorted((r for r in allowed[f.id] if r not in on[f.id]), key=lambda r: (load[r], r))
        for r in free[:max(need, 0)]:
            on[f.id].add(r)
            load[r] += 1
            movable.add((f.id, r))
        if need > len(free):
            found = len(on[f.id])
            shortages[f.id] = Reason(
                f"{found} expert(s) possible(s) pour {per_file} demandé(s) : les autres sont en conflit ou exclus.",
                f"{found} possible reviewer(s) for {per_file} asked: the others are conflicted or excluded.",
            )
    _balance(allowed, on, load, movable)
    pairs = frozenset((f, r) for f, rs in on.items() for r in rs)
    return Plan(pairs, frozenset(movable), load, shortages)


def _balance(allowed: dict[int, list[int]], on: dict[int, set[int]], load: dict[int, int],
             movable: set[tuple[int, int]]) -> None:
    """Move work along chains of reviewers until no reviewer is 2 or more above one it can pass work to."""
    while True:
        holding: dict[int, list[int]] = {}
        for file_id, reviewer_id in movable:
            holding.setdefault(reviewer_id, []).append(file_id)
        for files in holding.values():
            files.sort()
        path = None
        for start in sorted(holding, key=lambda r: (-load[r], r)):
            path = _chain(start, holding, allowed, on, load)
            if path:
                break
        if not path:
            return
        for giver, file_id, taker in path:
            on[file_id].discard(giver)
            on[file_id].add(taker)
            movable.discard((file_id, giver))
            movable.add((file_id, taker))
        load[path[0][0]] -= 1
        load[path[-1][2]] += 1


def _chain(start: int, holding: dict[int, list[int]], allowed: dict[int, list[int]],
           on: dict[int, set[int]], load: dict[int, int]) -> list[tuple[int, int, int]] | None:
    """A shortest chain of moves (giver, file, taker) from `start` to a reviewer at least 2 below it."""
    came: dict[int, tuple[int, int]] = {}
    queue = deque([start])
    seen = {start}
    best: int | None = None
    while queue:
        giver = queue.popleft()
        for file_id in holding.get(giver, ()):
            for taker in allowed[file_id]:
                if taker in seen or taker in on[file_id]:
                    continue
                seen.add(taker)
                came[taker] = (giver, file_id)
                if load[taker] <= load[start] - 2 and (best is None or (load[taker], taker) < (load[best], best)):
                    best = taker
                queue.append(taker)
    if best is None:
        return None
    path = []
    node = best
    while node != start:
        giver, file_id = came[node]
        path.append((giver, file_id, node))
        node = giver
    return path[::-1]
