"""A reason in French and English: what every pure rule of the calls returns beside pass or fail.

The pure modules of `poles.calls` import no Django, so they cannot use gettext; each reason is
written in both languages where it is made, and the page or e-mail picks the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from poles.core.reasons import Reason

__all__ = ["CallDataError", "Outcome", "Reason", "en_number", "fr_number"]


@dataclass(frozen=True)
class Outcome:
    """Whether one rule holds, and why (said either way)."""

    rule: str
    passed: bool
    reason: Reason

    def as_dict(self) -> dict[str, object]:
        """JSON form, as stored in a submission's eligibility report."""
        return {"rule": self.rule, "passed": self.passed, "reason": self.reason.as_dict()}


class CallDataError(ValueError):
    """A call's data (rules, rates, grid, form, caps) is malformed; `reason` says where, in both languages."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(reason.en)
        self.reason = reason


def fr_number(value: int | Decimal) -> str:
    """A number the French way: narrow no-break space for thousands, comma for decimals."""
    return f"{value:,}".replace(",", "\u202f").replace(".", ",")


def en_number(value: int | Decimal) -> str:
    """A number the English way: comma for thousands, point for decimals."""
    return f"{value:,}"
