"""Company size categories from headcount, turnover and balance sheet, group links included.

EU Recommendation 2003/361 (micro, small, medium) and French décret 2008-1354 (ETI, large firm).
A threshold on headcount is strict (fewer than N persons); financial ceilings are inclusive
("not exceeding") and either turnover or balance sheet may satisfy them. When the figures at hand
cannot decide, the answer is UNKNOWN: never a guess.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

MILLION = Decimal(1_000_000)


class SizeCategory(enum.StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    ETI = "eti"
    LARGE = "large"
    UNKNOWN = "unknown"

    @property
    def is_sme(self) -> bool:
        """Micro, small and medium enterprises are SMEs (PME) in the EU sense."""
        return self in {SizeCategory.MICRO, SizeCategory.SMALL, SizeCategory.MEDIUM}


@dataclass(frozen=True)
class Ceiling:
    """A category's bounds: fewer than `staff` persons and turnover or balance sheet within."""

    category: SizeCategory
    staff: int
    turnover: Decimal
    balance_sheet: Decimal


CEILINGS: tuple[Ceiling, ...] = (
    Ceiling(SizeCategory.MICRO, 10, 2 * MILLION, 2 * MILLION),
    Ceiling(SizeCategory.SMALL, 50, 10 * MILLION, 10 * MILLION),
    Ceiling(SizeCategory.MEDIUM, 250, 50 * MILLION, 43 * MILLION),
    Ceiling(SizeCategory.ETI, 5000, 1500 * MILLION, 2000 * MILLION),
)


@dataclass(frozen=True)
class Figures:
    """One enterprise's (or group's) figures for a year; None where unknown."""

    staff: Decimal | None = None
    turnover: Decimal | None = None
    balance_sheet: Decimal | None = None


def _within(figures: Figures, ceiling: Ceiling) -> bool | None:
    """True when a known figure is within its ceiling, False when both exceed, None if undecided."""
    known = [
        value <= limit
        for value, limit in (
            (figures.turnover, ceiling.turnover),
            (figures.balance_sheet, ceiling.balance_sheet),
        )
        if value is not None
    ]
    if any(known):
        return True
    if len(known) == 2:
        return False
    return None


def size_category(figures: Figures) -> SizeCategory:
    """The size category of an enterprise whose figures already include its group links."""
    if figures.staff is None:
        return SizeCategory.UNKNOWN
    for ceiling in CEILINGS:
        if figures.staff < ceiling.staff:
            within = _within(figures, ceiling)
            if within is None:
                return SizeCategory.UNKNOWN
            if within:
                return ceiling.category
    return SizeCategory.LARGE


def _add(values: Iterable[Decimal | None]) -> Decimal | None:
    total = Decimal(0)
    for value in values:
        if value is None:
            return None
        total += value
    return total


def aggregate_group(
    own: Figures,
    linked: Iterable[Figures] = (),
    partners: Iterable[tuple[Figures, Decimal]] = (),
) -> Figures:
    """Figures of an enterprise with its links (2003/361 art. 6).

    Linked enterprises (control, > 50 %) count in full; partner enterprises (25–50 %) count in
    proportion to the share held. A figure missing anywhere makes the total unknown.
    """
    parts: list[tuple[Figures, Decimal]] = [(own, Decimal(1))]
    parts += [(figures, Decimal(1)) for figures in linked]
    for figures, share in partners:
        if not Decimal(0) <= share <= Decimal(1):
            raise ValueError(f"a partner's share is between 0 and 1, found {share}")
        parts.append((figures, share))

    def scaled(attr: str) -> Decimal | None:
        values: list[Decimal | None] = []
        for figures, share in parts:
            value = getattr(figures, attr)
            values.append(None if value is None else value * share)
        return _add(values)

    return Figures(
        staff=scaled("staff"),
        turnover=scaled("turnover"),
        balance_sheet=scaled("balance_sheet"),
    )
