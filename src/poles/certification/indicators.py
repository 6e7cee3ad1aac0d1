"""The indicators an application is pre-filled with: one function, reading the indicator engine.

`indicators_for` is the only place the campaign asks for figures: the indicator engine
(`poles.indicators.engine`) computes the cluster's indicators for the last years, and each one
keeps its latest known value and year. The values are frozen into the application when it is
submitted, so later register changes do not rewrite what the evaluators scored. The application
is read by the cluster's team, its evaluators and the programme officers, so no secrecy rule
applies here (evaluators need the confidential figures).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from poles.indicators import definitions
from poles.indicators.engine import Scope, latest_year, plain, presented, series
from poles.indicators.formatting import format_value
from poles.registry.models import Cluster

CODES = (
    "members", "share_micro", "share_sme", "share_eti_large", "share_research", "members_new",
    "projects_labelled", "projects_funded", "funding_total", "public_aid", "leverage", "eu_projects",
    "eu_funding", "staff_fte", "international_fte", "budget_total", "private_share",
)
"""The criteria grid's evidence from the register: members and their mix, projects and their funding,
European activity, the team, the budget and its private share (target ≥ 50 %)."""
YEARS_BACK = 3
"""How far back a figure is looked for when the reporting year has none (budgets lag members)."""


def indicators_for(cluster: Cluster) -> list[dict[str, Any]]:
    """The cluster's indicators for its application: code, labels, unit, latest value and year, target."""
    last = latest_year()
    values = series(Scope("cluster", cluster.slug), list(CODES), years=range(last - YEARS_BACK, last + 1)) \
        if last is not None else {}
    rows = []
    for code in CODES:
        indicator = definitions.BY_CODE[code]
        found = next(((year, v) for year in sorted(values, reverse=True) for v in values[year]
                      if v.code == code and v.value is not None), None)
        value = presented(found[1].value, indicator.unit) if found else None
        target = indicator.target
        rows.append({
            "code": code, "label_fr": indicator.label_fr, "label_en": indicator.label_en,
            "unit": indicator.unit.value, "value": plain(value), "year": found[0] if found else None,
            "target": plain(target.value) if target else None, "at_least": target.at_least if target else True,
            "meets_target": target.met(value) if target and value is not None else None,
        })
    return rows


def shown(rows: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Frozen or live rows with their label and value as the reader reads them."""
    out = []
    for row in rows:
        unit = definitions.Unit(row["unit"])
        value = None if row.get("value") is None else Decimal(str(row["value"]))
        target = row.get("target")
        out.append(row | {
            "label": row["label_en"] if language == "en" else row["label_fr"],
            "text": format_value(value, unit, language),
            "target_text": ("≥ " if row.get("at_least", True) else "≤ ") + format_value(Decimal(str(target)), unit, language)
            if target is not None else "",
        })
    return out
