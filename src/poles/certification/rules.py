"""The campaign's pure rules: the default criteria grid, complete statements, a valid decision, consolidation.

The grid is the calls' grid (`poles.calls.grid`: criteria with weights, integer scales and a
comment threshold), so one scoring rule serves both the calls and the campaigns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from poles.calls.grid import Grid, mean_score, spread, weighted_score
from poles.core.reasons import Reason

DEFAULT_GRID: list[dict[str, Any]] = [
    {"key": "strategy", "label_fr": "Stratégie et feuille de route", "label_en": "Strategy and roadmap",
     "weight": "2"},
    {"key": "members", "label_fr": "Membres et leur diversité (TPE, PME, ETI, grands groupes, recherche)",
     "label_en": "Members and their mix (micro, SMEs, mid-caps, large firms, research)", "weight": "1"},
    {"key": "autonomy", "label_fr": "Autonomie financière (au moins 50 % de financement privé)",
     "label_en": "Financial autonomy (at least 50 % private funding)", "weight": "1.5"},
    {"key": "projects", "label_fr": "Projets collaboratifs labellisés et financés",
     "label_en": "Collaborative projects labelled and funded", "weight": "1.5"},
    {"key": "europe", "label_fr": "Activité européenne", "label_en": "European activity", "weight": "1"},
    {"key": "smes", "label_fr": "Services aux PME", "label_en": "Services to SMEs", "weight": "1"},
    {"key": "decarbonisation", "label_fr": "Contribution à la décarbonation de l’industrie",
     "label_en": "Contribution to the decarbonisation of industry", "weight": "1"},
    {"key": "ecosystem", "label_fr": "Animation de l’écosystème et liens avec la région",
     "label_en": "Ecosystem animation and links with the region", "weight": "1"},
    {"key": "governance", "label_fr": "Gouvernance", "label_en": "Governance", "weight": "1"},
]
"""The criteria of phase V's call for applications, scored 0–5, a comment required under 3."""
for _criterion in DEFAULT_GRID:
    _criterion.update(low=0, high=5, comment_below=3)

DURATIONS = (4, 2, 1)
CERTIFIED, NOT_CERTIFIED = "certified", "not_certified"
MIN_STATEMENT = 20
"""Characters a criterion's statement needs at least: a sentence, not a placeholder."""


def statement_problems(grid: Grid, statements: Mapping[str, str]) -> list[Reason]:
    """What stops an application from being submitted: a criterion without a statement of at least one sentence."""
    problems = []
    for c in grid.criteria:
        text = (statements.get(c.key) or "").strip()
        if len(text) < MIN_STATEMENT:
            problems.append(Reason(
                f"« {c.label_fr} » : présentez votre action en une phrase au moins ({MIN_STATEMENT} caractères).",
                f"'{c.label_en}': describe your action in at least one sentence ({MIN_STATEMENT} characters)."))
    return problems


def decision_problems(outcome: str, duration: int | None, conditions: str) -> list[Reason]:
    """What makes a decision incomplete: certified needs 4, 2 or 1 years; not certified takes no duration nor conditions."""
    if outcome == CERTIFIED:
        if duration not in DURATIONS:
            return [Reason("Une labellisation dure 4, 2 ou 1 an(s).", "A certification lasts 4, 2 or 1 year(s).")]
        return []
    if outcome == NOT_CERTIFIED:
        if duration is not None or conditions.strip():
            return [Reason("Un pôle non labellisé n’a ni durée ni conditions.",
                           "A cluster that is not certified has no duration nor conditions.")]
        return []
    return [Reason("Choisissez « labellisé » ou « non labellisé ».", "Choose 'certified' or 'not certified'.")]


def register_outcome(outcome: str, conditions: str) -> str:
    """The register's `Certification.outcome` for a decision: certified, conditional (with conditions) or refused."""
    if outcome == NOT_CERTIFIED:
        return "refused"
    return "conditional" if conditions.strip() else "certified"


@dataclass(frozen=True)
class Scored:
    """One evaluator's submitted scores and comments on one application."""

    evaluator: str
    scores: Mapping[str, int]
    comments: Mapping[str, str]


@dataclass(frozen=True)
class CriterionRow:
    """One criterion across the evaluators: each score and comment, the mean and the spread."""

    key: str
    label_fr: str
    label_en: str
    weight: Decimal
    scores: tuple[int | None, ...]
    comments: tuple[str, ...]
    mean: Decimal | None
    spread: Decimal | None


@dataclass(frozen=True)
class Consolidation:
    """Every evaluator's scores side by side, per criterion, with the weighted totals out of 100."""

    evaluators: tuple[str, ...]
    rows: tuple[CriterionRow, ...]
    totals: tuple[Decimal, ...]
    mean: Decimal | None
    spread: Decimal | None


def consolidate(grid: Grid, evaluations: Sequence[Scored]) -> Consolidation:
    """The consolidation of one application's submitted evaluations (scores already checked against the grid)."""
    rows = []
    for c in grid.criteria:
        values = tuple(e.scores.get(c.key) for e in evaluations)
        given = [Decimal(v) for v in values if v is not None]
        rows.append(CriterionRow(c.key, c.label_fr, c.label_en, c.weight, values,
                                 tuple(e.comments.get(c.key, "") for e in evaluations),
                                 mean_score(given), spread(given)))
    totals = tuple(weighted_score(grid, dict(e.scores)) for e in evaluations)
    return Consolidation(tuple(e.evaluator for e in evaluations), tuple(rows), totals,
                         mean_score(list(totals)), spread(list(totals)))
