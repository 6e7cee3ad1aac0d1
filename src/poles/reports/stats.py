"""Pure rules of the dashboards and reports: medians, ranks among peers, the secrecy threshold.

No Django here: the views and the report builder hand plain numbers in, so the rules are tested
on their own (tests/reports/test_stats.py, with hypothesis).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

Number = int | Decimal

MINIMUM_CLUSTERS = 3
"""An aggregate is published only when it covers at least this many clusters (statistical secrecy)."""


def median(values: Iterable[Number | None]) -> Decimal | None:
    """The median of the known values (mean of the two middle ones for an even count), None if none."""
    known = sorted(Decimal(v) for v in values if v is not None)
    if not known:
        return None
    middle = len(known) // 2
    if len(known) % 2:
        return known[middle]
    return (known[middle - 1] + known[middle]) / 2


def rank(value: Number | None, peers: Sequence[Number | None]) -> int | None:
    """Competition rank of `value` among `peers` (1 = highest; ties share the best rank), None if unknown."""
    if value is None:
        return None
    return 1 + sum(1 for v in peers if v is not None and v > value)


def percentile_rank(value: Number | None, peers: Sequence[Number | None]) -> Decimal | None:
    """Share of the known peers strictly below `value`, plus half of those equal (0 to 1)."""
    known = [v for v in peers if v is not None]
    if value is None or not known:
        return None
    below = sum(1 for v in known if v < value)
    equal = sum(1 for v in known if v == value)
    return (Decimal(below) + Decimal(equal) / 2) / len(known)


def publishable(clusters: int) -> bool:
    """Whether an aggregate over `clusters` clusters may be shown to the public."""
    return clusters >= MINIMUM_CLUSTERS


def share(part: Number, whole: Number) -> Decimal | None:
    """part / whole as a Decimal, None when the whole is zero."""
    return Decimal(part) / Decimal(whole) if whole else None


def growth(previous: Number | None, current: Number | None) -> Decimal | None:
    """Growth rate from one value to the next, None when either is unknown or the first is zero."""
    if previous is None or current is None or not previous:
        return None
    return (Decimal(current) - Decimal(previous)) / Decimal(previous)


def fingerprint(figures: Mapping[str, object]) -> str:
    """A short digest of a report's figures: two runs at the same date print the same one."""
    text = json.dumps(figures, sort_keys=True, default=str, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()[:16]


def peer_median(values: Sequence[Number | None]) -> Decimal | None:
    """The median of the peers' known values, withheld (None) when fewer than `MINIMUM_CLUSTERS` are known."""
    known = [v for v in values if v is not None]
    return median(known) if publishable(len(known)) else None


def peer_rank(value: Number | None, values: Sequence[Number | None]) -> int | None:
    """The rank among the peers, withheld (None) when fewer than `MINIMUM_CLUSTERS` values are known."""
    known = [v for v in values if v is not None]
    return rank(value, known) if publishable(len(known)) else None
