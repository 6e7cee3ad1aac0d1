"""A campaign's tables for exports: every evaluator's scores, and the decisions (the officers' pages).

One definition of each table: columns as (key, French, English), rows as dicts keyed alike, written
by `poles.web.exports` as XLSX or French/standard CSV (formulas neutralised by `poles.core.tables`).
"""

from __future__ import annotations

from typing import Any

from poles.certification.models import Campaign, Evaluation
from poles.certification.services import SUBMITTED, evaluator_name, grid_of
from poles.certification.workflow import CANDIDACY

Columns = list[tuple[str, str, str]]

SCORE_COLUMNS: Columns = [
    ("cluster", "pôle", "cluster"), ("evaluator", "évaluateur", "evaluator"), ("criterion", "critère", "criterion"),
    ("label", "libellé", "label"), ("weight", "poids", "weight"), ("score", "note", "score"),
    ("comment", "commentaire", "comment"), ("submitted_at", "remise le", "submitted at"),
]
DECISION_COLUMNS: Columns = [
    ("cluster", "pôle", "cluster"), ("state", "état", "state"), ("score", "note moyenne", "mean score"),
    ("evaluations", "évaluations remises", "evaluations submitted"), ("outcome", "décision", "outcome"),
    ("duration_years", "durée (ans)", "duration (years)"), ("conditions", "conditions", "conditions"),
    ("decided_at", "décidée le", "decided at"), ("published_on", "publiée le", "published on"),
]


def _when(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def score_rows(campaign: Campaign, language: str = "fr") -> list[dict[str, Any]]:
    """One row per evaluation and criterion of the submitted applications (drafts of scores included, marked by no date)."""
    grid = grid_of(campaign)
    english = language.startswith("en")
    rows = []
    evaluations = (Evaluation.objects.filter(candidacy__campaign=campaign, candidacy__state__in=SUBMITTED)
                   .select_related("candidacy__cluster", "evaluator").order_by("candidacy__cluster__name", "pk"))
    for e in evaluations:
        for c in grid.criteria:
            rows.append({"cluster": e.candidacy.cluster.name, "evaluator": evaluator_name(e.evaluator),
                         "criterion": c.key, "label": c.label_en if english else c.label_fr, "weight": c.weight,
                         "score": e.scores.get(c.key), "comment": e.comments.get(c.key, ""),
                         "submitted_at": _when(e.submitted_at)})
    return rows


def decision_rows(campaign: Campaign, language: str = "fr") -> list[dict[str, Any]]:
    """One row per application: its state, its evaluators' mean weighted score, the decision."""
    rows = []
    for c in campaign.candidacies.select_related("cluster").prefetch_related("evaluations").order_by("cluster__name"):
        scores = [e.score for e in c.evaluations.all() if e.submitted_at is not None and e.score is not None]
        rows.append({
            "cluster": c.cluster.name, "state": CANDIDACY.label(c.state, language),
            "score": (sum(scores) / len(scores)).quantize(scores[0]) if scores else None,
            "evaluations": len(scores), "outcome": str(c.get_outcome_display()) if c.outcome else "",
            "duration_years": c.duration_years, "conditions": c.conditions, "decided_at": _when(c.decided_at),
            "published_on": campaign.published_on.isoformat() if campaign.published_on else None,
        })
    return rows


TABLES = {"scores": (SCORE_COLUMNS, score_rows), "decisions": (DECISION_COLUMNS, decision_rows)}
"""A campaign's exports by name."""
