"""The generated register as plain rows: field values, with references as list indices."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Row = dict[str, Any]
CENT = Decimal("0.01")


def money(value: float) -> Decimal:
    """A float amount as Decimal EUR rounded to the euro."""
    return Decimal(round(value)).quantize(CENT)


@dataclass
class Register:
    """Every generated row, in the order they are written; `*_ix` fields point into lists."""

    phases: list[Row] = field(default_factory=list)
    clusters: list[Row] = field(default_factory=list)
    cluster_regions: list[Row] = field(default_factory=list)
    cluster_ecosystems: list[Row] = field(default_factory=list)
    cluster_years: list[Row] = field(default_factory=list)
    contacts: list[Row] = field(default_factory=list)
    eu_projects: list[Row] = field(default_factory=list)
    certifications: list[Row] = field(default_factory=list)
    organisations: list[Row] = field(default_factory=list)
    figures: list[Row] = field(default_factory=list)
    memberships: list[Row] = field(default_factory=list)
    labels: list[Row] = field(default_factory=list)
    calls: list[Row] = field(default_factory=list)
    projects: list[Row] = field(default_factory=list)
    project_clusters: list[Row] = field(default_factory=list)
    participations: list[Row] = field(default_factory=list)
    fundings: list[Row] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rows per table, for the summary."""
        return {name: len(rows) for name, rows in vars(self).items()}
