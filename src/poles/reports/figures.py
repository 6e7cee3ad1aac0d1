"""The figures the dashboards and reports show, per cluster and year: an adapter over the indicator engine.

Every value comes from `poles.indicators.engine` (one figure, one function: the same definitions
as `poles indicators`, the API and docs/indicators.md): `year_figures` and `series` give each
cluster's values (`engine.cluster_table`), `totals` the values over a set of clusters
(`engine.aggregate`, where an organisation member of two clusters counts once). Results are kept
in the shared cache until the register changes (`core.rendered.generational`).

The dashboards read the register as it stands; the reports read the figures as of a date (`as_of`:
each cluster-year from its validated yearly report when there was one by then, else from the
register as it stood, `poles.indicators.asof`), so the same date gives the same figures.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils.translation import get_language

from poles.core.rendered import generational
from poles.indicators import definitions as d
from poles.indicators import engine
from poles.web.templatetags.web import eur, meur, num, pct

SHOWN = ("members", "share_sme", "staff_fte", "projects", "projects_funded", "eu_projects",
         "funding_total", "leverage", "budget_total", "private_share")
"""The indicators a dashboard or report shows for a cluster, in this order."""
CATEGORIES = tuple(code for code, _fr, _en in d.MEMBER_CATEGORIES)
BUDGET_SOURCES = tuple(name for name, _fr, _en, _private in d.BUDGET_PARTS)
FUNDERS = tuple(code for code, _fr, _en in d.FUNDERS)
CODES = (*SHOWN, *(f"members_{c}" for c in CATEGORIES), *BUDGET_SOURCES, *(f"funding_{f}" for f in FUNDERS))
PUBLIC_INDICATORS = tuple(c for c in SHOWN if not d.get(c).confidential)
"""Indicators whose value for one cluster anyone may read; the others only the cluster's team and
the officers in scope, and the public never (not even aggregated)."""
CONFIDENTIAL_INDICATORS = tuple(c for c in SHOWN if d.get(c).confidential)
INDICATORS = SHOWN
CACHE_SECONDS = 300
Value = int | Decimal | None


def language() -> str:
    return (get_language() or "fr")[:2]


def label(code: str) -> str:
    """An indicator's label in the current language (the engine's definitions)."""
    return d.get(code).label(language())


def unit(code: str) -> str:
    """An indicator's unit: count, eur, share, ratio or fte."""
    return str(d.get(code).unit)


def display(value: Any, unit_: str) -> str:
    """A value as the pages write it; None is “s” (not published)."""
    if value is None:
        return "s"
    if unit_ == "share":
        return pct(value)
    if unit_ == "meur":
        return meur(value)
    if unit_ == "eur":
        return eur(value)
    if unit_ == "ratio":
        return num(value, 2)
    if unit_ == "fte":
        return num(value, 1)
    return num(value)


def chart_unit(unit_: str) -> str:
    """The chart component's unit for an indicator's unit (ratios and FTE draw as plain numbers)."""
    return unit_ if unit_ in ("eur", "share") else "count"


@dataclass
class Figures:
    """One cluster's (or one set of clusters') indicator values for one year."""

    cluster_id: int | None
    year: int
    values: dict[str, Value] = field(default_factory=dict)

    def value(self, code: str) -> Value:
        """The value of one indicator by its code (the engine's codes)."""
        return self.values.get(code)

    @property
    def members(self) -> int:
        return int(self.values.get("members") or 0)

    @property
    def categories(self) -> Counter[str]:
        return Counter({c: int(self.values.get(f"members_{c}") or 0) for c in CATEGORIES
                        if self.values.get(f"members_{c}")})

    @property
    def budget(self) -> dict[str, Value]:
        return {s: self.values.get(s) for s in BUDGET_SOURCES}

    @property
    def funders(self) -> dict[str, Value]:
        return {f: self.values.get(f"funding_{f}") for f in FUNDERS}

    def as_dict(self) -> dict[str, object]:
        """Every value as plain data (for the fingerprint and the spreadsheets)."""
        return {"cluster": self.cluster_id, "year": self.year, **dict(sorted(self.values.items()))}


def _cached(key: str, compute):
    full = generational(f"reports:{key}")
    found = cache.get(full)
    if found is None:
        found = compute()
        cache.set(full, found, CACHE_SECONDS)
    return found


def series(years: list[int], cluster_ids: list[int] | None = None, *,
           as_of: dt.date | None = None) -> dict[int, dict[int, Figures]]:
    """Each cluster's values for these years: {year: {cluster id: figures}} (`engine.cluster_table`),
    as of a date when `as_of` is given."""
    table = engine.cluster_table(years, CODES, clusters=cluster_ids, as_of=as_of)
    ids = {cid for cid, _y in table} | set(cluster_ids or ())
    return {y: {cid: Figures(cid, y, dict(table.get((cid, y), {}))) for cid in ids} for y in years}


def year_figures(year: int, cluster_ids: list[int] | None = None) -> dict[int, Figures]:
    """Each cluster's values for one year, by cluster id."""
    return series([year], cluster_ids)[year]


def cached_year_figures(year: int) -> dict[int, Figures]:
    """`year_figures` of every cluster, kept in the shared cache until the register changes."""
    return _cached(f"figures:{year}", lambda: year_figures(year))


MEMBERS = ("members", *(f"members_{c}" for c in CATEGORIES))
"""The member counts only (one family of the engine: a cheaper query than every code)."""


def totals(years: list[int], cluster_ids: list[int], codes: tuple[str, ...] = CODES, *,
           as_of: dt.date | None = None) -> dict[int, Figures]:
    """The values over a set of clusters per year (`engine.aggregate`: an organisation counts once)."""
    rows = engine.aggregate(years, codes, cluster_ids=cluster_ids, as_of=as_of)
    return {y: Figures(None, y, dict(rows.get(y, {}))) for y in years}


def cached_totals(years: list[int], cluster_ids: list[int], codes: tuple[str, ...] = CODES) -> dict[int, Figures]:
    """`totals`, kept in the shared cache (key: the years, the codes and a digest of the cluster ids)."""
    digest = hashlib.sha256(f"{sorted(cluster_ids)}{codes}".encode()).hexdigest()[:16]
    return _cached(f"totals:{'-'.join(map(str, years))}:{digest}", lambda: totals(years, cluster_ids, codes))


def phase_clusters(code: str) -> set[int]:
    """The clusters certified for a phase (the engine's phase scope); empty when none."""
    try:
        return set(engine.cluster_ids(engine.Scope("phase", code)))
    except engine.ScopeError:
        return set()


def years_with_members() -> list[int]:
    """The years from the first with members to the reporting year (cached)."""
    def compute() -> list[int]:
        first, last = engine.first_year(), engine.latest_year()
        return list(range(first, last + 1)) if first is not None and last is not None else []

    return _cached("years", compute)
