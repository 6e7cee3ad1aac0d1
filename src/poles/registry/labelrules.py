"""Excellence-label rules without Django: levels, validity, expiry windows, phase requirements, reminders.

The policy (seed 000, DGE, "Progress toward excellence"): "To be selected in stages 3 and 4, clusters
should be certified by the ECEI bronze label, delivered by ESCA." A phase's requirement is data on
the `Phase` (its lowest accepted level); these functions decide from plain values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

LEVELS: tuple[str, ...] = ("bronze", "silver", "gold")
"""The ESCA levels, lowest first."""
RANK: dict[str, int] = {level: rank for rank, level in enumerate(LEVELS, start=1)}
EXPIRY_WINDOW_DAYS = 90
"""The programme's page lists the labels that expire within this many days."""
REMINDER_DAYS: tuple[int, ...] = (90, 30, 7, 0)
"""Days before expiry at which the managers are reminded, once each (0: the day it expires)."""


@dataclass(frozen=True)
class Held:
    """A label as the rules see it: its level and validity dates."""

    level: str
    awarded: dt.date
    expires: dt.date | None = None


def is_level(value: str) -> bool:
    """Whether `value` is one of the three levels (bronze, silver, gold)."""
    return value in RANK


def dates_ok(awarded: dt.date, expires: dt.date | None) -> bool:
    """An expiry, when there is one, comes strictly after the award."""
    return expires is None or expires > awarded


def is_valid(label: Held, on: dt.date) -> bool:
    """Whether the label is in force on `on` (awarded on or before, not yet past its expiry day)."""
    return label.awarded <= on and (label.expires is None or on <= label.expires)


def at_least(level: str, required: str) -> bool:
    """Whether `level` meets `required` (gold meets silver and bronze; an unknown level meets nothing)."""
    return RANK.get(level, 0) >= RANK[required] > 0


def best_level(labels: Iterable[Held], on: dt.date) -> str:
    """The highest level in force on `on`, or '' when none is."""
    valid = [lb.level for lb in labels if is_valid(lb, on) and is_level(lb.level)]
    return max(valid, key=RANK.__getitem__, default="")


def meets(required: str, labels: Iterable[Held], on: dt.date) -> bool:
    """Whether the labels in force on `on` meet the phase's requirement ('' requires nothing)."""
    if not required:
        return True
    best = best_level(labels, on)
    return bool(best) and at_least(best, required)


def days_left(expires: dt.date, today: dt.date) -> int:
    """Days from `today` to the expiry day (0 on the day, negative once past)."""
    return (expires - today).days


def is_expiring(label: Held, today: dt.date, window: int = EXPIRY_WINDOW_DAYS) -> bool:
    """Whether the label is in force today and expires within `window` days (the expiry day included)."""
    if label.expires is None or not is_valid(label, today):
        return False
    return 0 <= days_left(label.expires, today) <= window


def check_date(start_year: int, end_year: int, decision: dt.date | None, today: dt.date) -> dt.date:
    """The day a phase's requirement is checked: today during the phase, else the certification's
    decision day (or the phase's first day when there is none)."""
    if start_year <= today.year <= end_year:
        return today
    return decision or dt.date(start_year, 1, 1)


def due_reminder(left: int, sent: Iterable[int], milestones: Sequence[int] = REMINDER_DAYS) -> int | None:
    """The milestone to remind at now, or None: the nearest milestone already reached (`left` ≤ it)
    and not yet sent. A run that was missed sends one reminder, never one per milestone passed."""
    if left < 0:
        return None
    reached = [m for m in milestones if left <= m]
    if not reached:
        return None
    nearest = min(reached)
    return None if nearest in set(sent) else nearest


def passed_milestones(left: int, milestones: Sequence[int] = REMINDER_DAYS) -> list[int]:
    """Every milestone reached at `left` days (recorded as sent with the one reminder sent)."""
    return sorted((m for m in milestones if left <= m), reverse=True)


POLICY_SOURCE = (
    "DGE, V. Deschamps, “How the French model of competitiveness clusters is relevant and efficient” "
    "(seed 000): “To be selected in stages 3 and 4, clusters should be certified by the ECEI bronze "
    "label, delivered by ESCA.”"
)
PHASE_REQUIREMENTS: dict[str, str] = {"III": "bronze", "IV": "bronze"}
"""The lowest level each phase requires, as the policy states it (POLICY_SOURCE); phase V's
specification is not in the seeds, so it requires none until the programme records one."""
