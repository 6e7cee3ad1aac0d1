"""Money in the API: a string of decimals with its currency, never a float."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema

CURRENCY = "EUR"


class Money(Schema):
    amount: str
    currency: str = CURRENCY


def money(value: Decimal | None) -> dict | None:
    """{"amount": "1234.50", "currency": "EUR"}, or None for an unknown amount."""
    if value is None:
        return None
    return {"amount": f"{Decimal(value):.2f}", "currency": CURRENCY}
