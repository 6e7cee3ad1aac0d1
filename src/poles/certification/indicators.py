"""The indicators an application is pre-filled with: one function, reading the register's figure functions.

`indicators_for` is the only place the campaign asks for figures; it reads `poles.web.figures`
(the figures the cluster's profile and workspace show) until the indicator engine replaces it.
The values are frozen into the application when it is submitted, so later register changes do
not rewrite what the evaluators scored.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from poles.registry.models import Cluster, ClusterEUProject
from poles.web.figures import cluster_figures

PERCENT = Decimal("0.1")


def _share(value: Decimal | None) -> str | None:
    return None if value is None else str((value * 100).quantize(PERCENT, rounding=ROUND_HALF_UP))


def indicators_for(cluster: Cluster) -> list[dict[str, Any]]:
    """The cluster's indicators for its application: code, labels, value (a decimal string or None), unit, year."""
    figures = cluster_figures(cluster)
    budget = figures.budget
    rows = [
        ("members", "Membres", "Members", figures.members, "", figures.year),
        ("sme_share", "Part des PME parmi les membres", "SME share of members", _share(figures.sme_share), "%",
         figures.year),
        ("projects_labelled", "Projets labellisés", "Projects labelled", figures.projects_labelled, "", None),
        ("funding_total", "Financements obtenus par les projets", "Funding obtained by the projects",
         figures.funding_total, "€", None),
        ("eu_projects", "Projets européens", "European projects",
         ClusterEUProject.objects.filter(cluster=cluster).count(), "", None),
        ("staff_fte", "Équipe (ETP)", "Staff (FTE)", budget.staff_fte if budget else None, "FTE",
         budget.year if budget else None),
        ("budget", "Budget", "Budget", budget.budget_total if budget else None, "€", budget.year if budget else None),
        ("private_share", "Part privée du budget (cible ≥ 50 %)", "Private share of the budget (target ≥ 50 %)",
         _share(budget.private_share) if budget else None, "%", budget.year if budget else None),
    ]
    return [{"code": code, "label_fr": fr, "label_en": en, "value": None if value is None else str(value),
             "unit": unit, "year": year} for code, fr, en, value, unit, year in rows]
