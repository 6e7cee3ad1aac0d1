"""Output schemas shared by several resources (one schema per audience level lives with its resource)."""

from __future__ import annotations

from ninja import Schema


class Created(Schema):
    id: int


class RenewalOut(Schema):
    cluster: int
    from_year: int
    to_year: int
    created: int
    skipped: int
