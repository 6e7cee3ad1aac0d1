"""A call's scoring grid: criteria with weights and scales, and comments required below a threshold.

A review scores each criterion on its scale; the review's weighted score is the weighted mean of
each criterion's position on its scale, out of 100, to two decimals, so grids with different
scales compare.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from poles.calls.reasons import CallDataError, Reason

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Criterion:
    """One criterion: key, labels, weight, scale (low–high, integers), comment threshold."""

    key: str
    label_fr: str
    label_en: str
    weight: Decimal
    low: int = 0
    high: int = 5
    comment_below: int | None = None


@dataclass(frozen=True)
class Grid:
    """The criteria of a call, in order."""

    criteria: tuple[Criterion, ...]


def _bad(where: str, fr: str, en: str) -> CallDataError:
    return CallDataError(Reason(f"Grille, {where} : {fr}", f"Grid, {where}: {en}"))


def parse_grid(data: Sequence[Mapping[str, Any]]) -> Grid:
    """A grid from a call's JSON list of criteria, every field checked."""
    if not isinstance(data, list) or not data:
        raise _bad("critères", "au moins un critère est attendu.", "at least one criterion is expected.")
    criteria: list[Criterion] = []
    for index, item in enumerate(data, 1):
        key = str(item.get("key") or "")
        where = f"critère {index}" if not key else f"« {key} »"
        if not key:
            raise _bad(where, "la clé manque.", "the key is missing.")
        try:
            weight = Decimal(str(item.get("weight", 1)))
            low, high = int(item.get("low", 0)), int(item.get("high", 5))
            below = item.get("comment_below")
            below = None if below is None else int(below)
        except (ArithmeticError, TypeError, ValueError) as error:
            raise _bad(where, "poids, échelle et seuil sont des nombres.",
                       "weight, scale and threshold are numbers.") from error
        if not weight.is_finite() or weight <= 0:
            raise _bad(where, "le poids doit être positif.", "the weight must be positive.")
        if high <= low:
            raise _bad(where, "le haut de l’échelle doit dépasser le bas.", "the top of the scale must exceed its bottom.")
        if key in {c.key for c in criteria}:
            raise _bad(where, "clé en double.", "duplicate key.")
        criteria.append(Criterion(key, str(item.get("label_fr") or key), str(item.get("label_en") or key),
                                  weight, low, high, below))
    return Grid(tuple(criteria))


def grid_as_json(grid: Grid) -> list[dict[str, Any]]:
    """The JSON a call stores for its grid."""
    return [{"key": c.key, "label_fr": c.label_fr, "label_en": c.label_en, "weight": str(c.weight),
             "low": c.low, "high": c.high, "comment_below": c.comment_below} for c in grid.criteria]


def check_review(grid: Grid, scores: Mapping[str, Any], comments: Mapping[str, str]) -> list[Reason]:
    """What stops a review from being submitted: missing or out-of-scale scores, missing comments."""
    problems = []
    for c in grid.criteria:
        value = scores.get(c.key)
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(Reason(f"« {c.label_fr} » : une note entière de {c.low} à {c.high} est attendue.",
                                   f"'{c.label_en}': a whole score from {c.low} to {c.high} is expected."))
            continue
        if not c.low <= value <= c.high:
            problems.append(Reason(f"« {c.label_fr} » : la note {value} sort de l’échelle {c.low}–{c.high}.",
                                   f"'{c.label_en}': the score {value} is outside the scale {c.low}–{c.high}."))
        elif c.comment_below is not None and value < c.comment_below and not (comments.get(c.key) or "").strip():
            problems.append(Reason(
                f"« {c.label_fr} » : une note sous {c.comment_below} doit être commentée.",
                f"'{c.label_en}': a score below {c.comment_below} needs a comment.",
            ))
    unknown = sorted(set(scores) - {c.key for c in grid.criteria})
    if unknown:
        problems.append(Reason(f"Critères inconnus : {', '.join(unknown)}.", f"Unknown criteria: {', '.join(unknown)}."))
    return problems


def weighted_score(grid: Grid, scores: Mapping[str, int]) -> Decimal:
    """The review's score out of 100: each criterion's position on its scale, weighted."""
    total = sum((c.weight for c in grid.criteria), Decimal(0))
    points = sum(
        (c.weight * Decimal(scores[c.key] - c.low) / Decimal(c.high - c.low) for c in grid.criteria),
        Decimal(0),
    )
    return (points * HUNDRED / total).quantize(CENT, rounding=ROUND_HALF_UP)


def mean_score(scores: Sequence[Decimal]) -> Decimal | None:
    """The file's score: the mean of its reviews' weighted scores, to two decimals."""
    return mean_of_total(sum(scores, Decimal(0)), len(scores))


def mean_of_total(total: Decimal, count: int) -> Decimal | None:
    """The same mean from the reviews' sum and count (what the database aggregates), to two decimals."""
    if not count:
        return None
    return (total / count).quantize(CENT, rounding=ROUND_HALF_UP)


def spread(scores: Sequence[Decimal]) -> Decimal | None:
    """Highest minus lowest review score: what the panel looks at first."""
    return (max(scores) - min(scores)) if scores else None
