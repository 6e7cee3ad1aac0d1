"""Indicator values as people read them, in French (default) or English: one writer for CLI and reports."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal

from poles.indicators.definitions import Unit

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def _grouped(value: Decimal, places: int, lang: str) -> str:
    text = f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN):,.{places}f}"
    if lang.startswith("en"):
        return text
    return text.replace(",", NARROW_NBSP).replace(".", ",")


def format_value(value: int | Decimal | None, unit: Unit, lang: str = "fr", *, withheld: bool = False) -> str:
    """'15 844', '31,2 %', '33 133 720 €', '2,48' in French; '15,844', '31.2%', '€33,133,720', '2.48' in English.

    A withheld value reads "s" (statistical secrecy), a missing one "—".
    """
    if withheld:
        return "s"
    if value is None:
        return "—"
    number = Decimal(value)
    en = lang.startswith("en")
    if unit is Unit.SHARE:
        text = _grouped(number * 100, 1, lang)
        return f"{text}%" if en else f"{text}{NBSP}%"
    if unit is Unit.EUR:
        text = _grouped(number, 0, lang)
        return f"€{text}" if en else f"{text}{NBSP}€"
    if unit is Unit.RATIO:
        return _grouped(number, 2, lang)
    if unit is Unit.FTE:
        return _grouped(number, 1, lang)
    return _grouped(number, 0, lang)
