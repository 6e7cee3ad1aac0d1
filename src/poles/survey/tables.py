"""The survey's tables for exports: who has submitted, and every report's figures (pages and API).

One definition of each table: columns as (key, French, English) and rows as dicts keyed alike; the
officers' pages write them as XLSX or French/standard CSV (`poles.web.exports`), the API as
machine CSV with the keys as headers (`poles.core.tables`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from poles.survey import figures
from poles.survey.models import Report
from poles.survey.services import declared_values, report_rows
from poles.survey.workflow import STATE_LABELS, State

Columns = list[tuple[str, str, str]]

STATUS_COLUMNS: Columns = [
    ("year", "année", "year"), ("cluster", "pôle", "cluster"), ("cluster_slug", "identifiant", "slug"),
    ("state", "état", "state"), ("state_label", "libellé de l’état", "state label"),
    ("submitted_at", "déposé le", "submitted at"), ("validated_at", "validé le", "validated at"),
    ("reminded_at", "relancé le", "reminded at"), ("declared", "chiffres déclarés", "figures declared"),
    ("evidence", "pièces jointes", "evidence files"),
]
FIGURE_COLUMNS: Columns = [
    ("year", "année", "year"), ("cluster", "pôle", "cluster"), ("state", "état", "state"),
    ("code", "code", "code"), ("section", "rubrique", "section"), ("label", "chiffre", "figure"),
    ("unit", "unité", "unit"), ("register", "registre", "register"), ("declared", "déclaré", "declared"),
    ("value", "valeur retenue", "value"), ("corrected", "corrigé", "corrected"),
]


def _day(value) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _number(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def status_rows(reports: Iterable[Report], language: str = "fr") -> list[dict[str, Any]]:
    """One row per report: its state, when it was submitted, validated, reminded."""
    index = 1 if language.startswith("en") else 0
    return [{
        "year": r.survey.year, "cluster": r.cluster.name, "cluster_slug": r.cluster.slug, "state": r.state,
        "state_label": STATE_LABELS[State(r.state)][index], "submitted_at": _day(r.submitted_at),
        "validated_at": _day(r.validated_at), "reminded_at": _day(r.reminded_at),
        "declared": len(declared_values(r)),
        "evidence": r.evidence.count(),
    } for r in reports]


def figure_rows(reports: Iterable[Report], language: str = "fr") -> list[dict[str, Any]]:
    """One row per report and figure: the register's value, the declared one, the one that counts."""
    out = []
    for r in reports:
        for row in report_rows(r):
            f = row.figure
            out.append({
                "year": r.survey.year, "cluster": r.cluster.name, "state": r.state, "code": f.code,
                "section": figures.SECTIONS[f.section][1 if language.startswith("en") else 0],
                "label": f.label(language), "unit": f.unit, "register": _number(row.register),
                "declared": _number(row.declared), "value": _number(row.value), "corrected": row.corrected,
            })
    return out


TABLES = {"status": (STATUS_COLUMNS, status_rows), "figures": (FIGURE_COLUMNS, figure_rows)}
"""The survey's exports by name."""
