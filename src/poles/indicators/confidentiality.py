"""Who may read an indicator's value: the statistical-secrecy rule, as a pure function.

- Programme-wide readers (administrators, national officers) read every value.
- Public indicators are public at every scope (they are the profile's and directory's figures).
- A confidential indicator is read by the teams and officers who read every cluster of the scope
  at the confidential level (a cluster's managers read their own cluster's), and otherwise only as
  an aggregate in which at least `MINIMUM_CLUSTERS` contributing clusters are not the reader's own:
  a reader never sees, nor can derive by subtracting their own figures, fewer than 3 others'.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

MINIMUM_CLUSTERS = 3


@dataclass(frozen=True)
class Reader:
    """What the rule needs to know of a reader (built from `poles.access.roles.Scope`)."""

    sees_all: bool = False
    confidential_cluster_ids: frozenset[int] = field(default_factory=frozenset)


PUBLIC = Reader()
EVERYTHING = Reader(sees_all=True)


def may_read(
    reader: Reader, *, confidential: bool, scope_cluster_ids: Collection[int], contributors: int
) -> bool:
    """Whether `reader` may read an indicator over these clusters with `contributors` contributing."""
    if reader.sees_all or not confidential:
        return True
    scope = set(scope_cluster_ids)
    own = scope & reader.confidential_cluster_ids
    if scope and own == scope:
        return True
    return contributors - len(own) >= MINIMUM_CLUSTERS
