"""Company size categories from headcount, turnover and balance sheet, group links included.

EU Recommendation 2003/361 (micro, small, medium) and French décret 2008-1354 (ETI, large firm).
A threshold on headcount is strict (fewer than N persons); financial ceilings are inclusive
("not exceeding") and either turnover or balance sheet may satisfy them. When the figures at hand
cannot decide, the answer is UNKNOWN: never a guess.

Links between enterprises (annex, art. 3 and 6) are holdings: a holder owns a share of another
enterprise's capital. More than 50 % makes the two *linked*; linked is transitive ("through one or
more other enterprises"), so an enterprise's linked enterprises are its whole group: every
enterprise reached through control holdings up or down, i.e. the tree under the ultimate head
with all its branches, not only the chain up to the head. Every member of a group is measured on
the group's figures in full. From 25 % to 50 % makes the two *partners*: an enterprise of the
group holding, or held by, an enterprise outside it at that share adds that share of the other's
figures, the other's own group included (art. 6.2–6.4); partners of partners do not count. Below
25 % the holding does not count. Cycles of holdings are one group, not an endless walk.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

MILLION = Decimal(1_000_000)
CONTROL = Decimal(50)  # percent: above it, linked enterprises
PARTNER = Decimal(25)  # percent: from it up to CONTROL, partner enterprises


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


@dataclass(frozen=True)
class Holding:
    """`holder` owns `share` percent of `held`'s capital; None: control (> 50 %) without the share."""

    holder: int
    held: int
    share: Decimal | None = None

    @property
    def linked(self) -> bool:
        return self.share is None or self.share > CONTROL

    @property
    def partner(self) -> bool:
        return self.share is not None and PARTNER <= self.share <= CONTROL


class Links:
    """The groups of linked enterprises and the partner holdings between groups, from holdings."""

    def __init__(self, holdings: Iterable[Holding]) -> None:
        self._parent: dict[int, int] = {}
        partner_holdings: list[Holding] = []
        for holding in holdings:
            if holding.share is not None and not Decimal(0) <= holding.share <= Decimal(100):
                raise ValueError(f"a holding's share is a percentage from 0 to 100, found {holding.share}")
            if holding.linked:
                self._union(holding.holder, holding.held)
            elif holding.partner:
                self._parent.setdefault(holding.holder, holding.holder)
                self._parent.setdefault(holding.held, holding.held)
                partner_holdings.append(holding)
        members: dict[int, set[int]] = {}
        for enterprise in list(self._parent):
            members.setdefault(self._root(enterprise), set()).add(enterprise)
        self._members = {root: frozenset(group) for root, group in members.items()}
        self._partners: dict[int, list[tuple[int, Decimal]]] = {}
        for holding in partner_holdings:
            a, b = self._root(holding.holder), self._root(holding.held)
            if a == b:
                continue  # both in one group: already counted in full
            share = (holding.share or Decimal(0)) / Decimal(100)
            self._partners.setdefault(a, []).append((b, share))
            self._partners.setdefault(b, []).append((a, share))

    def _root(self, enterprise: int) -> int:
        parent = self._parent.setdefault(enterprise, enterprise)
        while parent != self._parent[parent]:
            self._parent[parent] = self._parent[self._parent[parent]]
            parent = self._parent[parent]
        self._parent[enterprise] = parent
        return parent

    def _union(self, a: int, b: int) -> None:
        root_a, root_b = self._root(a), self._root(b)
        if root_a != root_b:
            self._parent[max(root_a, root_b)] = min(root_a, root_b)

    def group(self, enterprise: int) -> frozenset[int]:
        """The enterprise and every enterprise linked to it (its whole group)."""
        if enterprise not in self._parent:
            return frozenset({enterprise})
        return self._members[self._root(enterprise)]

    def partners(self, enterprise: int) -> list[tuple[frozenset[int], Decimal]]:
        """Partner groups of the enterprise's group, each with the share (0–1) that counts."""
        if enterprise not in self._parent:
            return []
        return [(self._members[root], share) for root, share in self._partners.get(self._root(enterprise), [])]

    def measured_with(self, enterprise: int) -> frozenset[int]:
        """Every enterprise whose figures enter this one's category; the relation is symmetric, so
        these are also the enterprises whose category this one's figures or links enter."""
        found = set(self.group(enterprise))
        for group, _share in self.partners(enterprise):
            found |= group
        return frozenset(found)


def _consolidated(group: Iterable[int], figures: Mapping[int, Figures]) -> Figures:
    members = [figures.get(pk, Figures()) for pk in sorted(group)]
    return aggregate_group(members[0], members[1:]) if members else Figures()


def enterprise_figures(enterprise: int, figures: Mapping[int, Figures], links: Links) -> Figures:
    """The figures that measure an enterprise: its group in full, its partner groups pro rata.

    `figures` holds one year's figures of each enterprise; one missing makes the total unknown.
    """
    group = links.group(enterprise)
    own = figures.get(enterprise, Figures())
    linked = [figures.get(pk, Figures()) for pk in sorted(group) if pk != enterprise]
    partners = [(_consolidated(partner, figures), share) for partner, share in links.partners(enterprise)]
    return aggregate_group(own, linked, partners)
