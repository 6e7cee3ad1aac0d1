"""Figures as of a date: which source answers for each cluster and year, and the frozen reports' values.

Pure module (no Django). A report "as of D" must give the same figures whenever it is regenerated
for D. For each cluster and year:

- when the cluster's yearly report of the annual survey was **validated on or before D** (a frozen
  snapshot), its figures are the snapshot's (`Source.REPORTS`): later register changes, and
  corrections the cluster declared, are as validated;
- otherwise the figures are the **register's rows as they stood on D** (`Source.REGISTER`): rows
  created after D (memberships, projects and their cluster links, fundings, cluster years,
  headcounts) are left out by their `created_at`; rows created before timestamps were kept
  (`created_at` empty) count at every date. Changes made to a row after D are not undone (the
  register keeps no history of values): the fingerprint of each report shows them.

Indicators the survey does not ask for (memberships, fees, member employment, projects, their cost
and R&D, public aid, leverage) always come from the register as of D.

The engine (`poles.indicators.engine`) applies this rule; the frozen reports are read through a
`FrozenReports` provider that the survey app registers (it sits above the engine).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from poles.indicators.definitions import BUDGET_PARTS, BY_CODE, FUNDERS, Source, Unit

PARIS = ZoneInfo("Europe/Paris")
Value = int | Decimal | None


@dataclass(frozen=True)
class Validation:
    """A validated (frozen) yearly report: which cluster and year, when it was validated (Paris date), its id."""

    cluster_id: int
    year: int
    validated_on: dt.date
    report_id: int


@dataclass(frozen=True)
class SourceOf:
    """Where one cluster's figures of one year come from, as of a date."""

    source: Source
    on: dt.date
    """The day the report was validated (REPORTS) or the day the register was read as of (REGISTER)."""
    report_id: int | None = None

    @property
    def frozen(self) -> bool:
        return self.source is Source.REPORTS


def source_of(year: int, validations: Iterable[Validation], as_of: dt.date) -> SourceOf:
    """The source of one cluster's `year` as of `as_of`: its latest report of that year validated on or
    before `as_of`, else the register as of `as_of` (a report validated later does not count yet)."""
    known = [v for v in validations if v.year == year and v.validated_on <= as_of]
    if not known:
        return SourceOf(Source.REGISTER, as_of)
    latest = max(known, key=lambda v: (v.validated_on, v.report_id))
    return SourceOf(Source.REPORTS, latest.validated_on, latest.report_id)


def plan(cluster_ids: Iterable[int], years: Iterable[int], validations: Iterable[Validation],
         as_of: dt.date) -> dict[tuple[int, int], SourceOf]:
    """The source of every (cluster, year) as of `as_of`."""
    by_cluster: dict[int, list[Validation]] = {}
    for v in validations:
        by_cluster.setdefault(v.cluster_id, []).append(v)
    years = sorted(set(years))
    return {(cid, year): source_of(year, by_cluster.get(cid, ()), as_of)
            for cid in sorted(set(cluster_ids)) for year in years}


def cutoff(as_of: dt.date) -> dt.datetime:
    """The first instant after `as_of` in Paris: rows created before it stood in the register on that day."""
    return dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time(), tzinfo=PARIS)


def paris_date(moment: dt.datetime) -> dt.date:
    """The day in Paris of an aware datetime (when a report was validated)."""
    return moment.astimezone(PARIS).date()


# --- the frozen reports' figures as the engine's raw values ---------------------------------------

BUDGET_CODES = tuple(name for name, *_rest in BUDGET_PARTS)
FUNDER_CODES = tuple(f"funding_{code}" for code, _fr, _en in FUNDERS)


def _number(text: object, unit: Unit) -> Value:
    if text is None or text == "":
        return None
    number = Decimal(str(text))
    return int(number) if unit is Unit.COUNT else number


def frozen_raw(values: Mapping[str, object]) -> dict[str, Value]:
    """The engine's raw sums of one cluster-year from a frozen report's values ({engine code: text}).

    Only the codes the engine declares are kept; the sums the engine derives from (funding_total
    from the funders, the contributors of member and budget figures) are added.
    """
    raw: dict[str, Value] = {code: _number(text, BY_CODE[code].unit) for code, text in values.items()
                             if code in BY_CODE}
    if raw.get("members") is not None:
        raw["clusters"] = 1 if raw["members"] else 0
    if any(code in raw for code in BUDGET_CODES):
        budget = any(raw.get(code) is not None for code in BUDGET_CODES)
        raw["budget_clusters"] = 1 if budget else 0
        if budget:
            for code in BUDGET_CODES:
                raw[code] = raw.get(code) or Decimal(0)
    funders = [raw.get(code) for code in FUNDER_CODES]
    if any(v is not None for v in funders):
        raw["funding_total"] = sum((Decimal(v or 0) for v in funders), Decimal(0))
    return raw


DERIVED_KEYS = ("clusters", "budget_clusters", "funding_total")
"""The raw sums `frozen_raw` adds beside the frozen codes (contributors, the total of the funders)."""


def sum_raw(rows: Iterable[Mapping[str, Value]]) -> dict[str, Value]:
    """The sums of several cluster-years' raw values (None where no row has a value)."""
    out: dict[str, Value] = {}
    for row in rows:
        for code, value in row.items():
            if value is None:
                out.setdefault(code, None)
                continue
            before = out.get(code)
            out[code] = value if before is None else before + value
    return out


class FrozenReports(Protocol):
    """What the engine needs of the annual survey (registered by the survey app)."""

    codes: frozenset[str]
    """The engine codes a frozen report holds."""

    def validations(self, cluster_ids: list[int] | None, years: list[int]) -> list[Validation]:
        """The validated reports of these clusters (all when None) and years, whenever validated."""

    def values(self, report_ids: list[int]) -> dict[int, dict[str, object]]:
        """{report id: {engine code: value as text}} of these frozen reports."""
