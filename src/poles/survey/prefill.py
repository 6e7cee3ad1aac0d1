"""The register's figures of a cluster's year, as the survey pre-fills them: ONE function, `prefill`.

The figures are the indicator engine's (`poles.indicators.engine.compute` for the cluster's scope
and the year), so the survey pre-fills exactly what the dashboards, reports and `poles indicators`
print: one figure, one function. `ENGINE_CODES` maps the survey's figure codes onto the engine's
indicator codes. Values are strings of decimals (`figures.as_text`), None where the register holds
nothing.
"""

from __future__ import annotations

from poles.indicators.engine import Scope, compute
from poles.registry.models import Cluster
from poles.survey.figures import FIGURES, INSTRUMENTS, as_text

RENAMED = {
    "members_total": "members",
    "eu_amount": "eu_funding",
    **{f"instrument_{code}": (f"funding_{code}s" if code != "equity" else "funding_equity")
       for code, _fr, _en in INSTRUMENTS},
}
ENGINE_CODES: dict[str, str] = {f.code: RENAMED.get(f.code, f.code) for f in FIGURES}
"""Survey figure code → indicator code of the engine."""


def prefill(cluster: Cluster, year: int) -> dict[str, str | None]:
    """Every figure of the survey's catalogue for one cluster and year, from the indicator engine."""
    values = {v.code: v.value for v in compute(year, Scope("cluster", cluster.slug),
                                                 sorted(set(ENGINE_CODES.values())))}
    return {code: as_text(values.get(engine)) for code, engine in ENGINE_CODES.items()}
