"""Parsers for cell values as spreadsheets and open-data files write them.

Each returns the parsed value or None for an empty cell, and raises ValueError with a reason a
user can act on for anything else.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

EXCEL_EPOCH = dt.date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_TRUE = {"1", "true", "vrai", "oui", "yes", "y", "o", "x"}
_FALSE = {"0", "false", "faux", "non", "no", "n", ""}
_CURRENCY = re.compile(r"^(€|EUR)\s*|\s*(€|EUR)$", re.IGNORECASE)
_EMPTY = {"", "-", "na", "n/a", "nan", "none", "null"}


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _EMPTY)


def parse_decimal(value: Any, *, minimum: Decimal | None = None) -> Decimal | None:
    """'1 234,50', '1234.5', 1234 or 1234.5 → Decimal; text is an error, never zero."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("expected a number, found a true/false value"))
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = _SPACES.sub("", _CURRENCY.sub("", str(value).strip()))
        if text.count(",") == 1 and text.count(".") == 0:
            text = text.replace(",", ".")
        elif text.count(",") >= 1 and text.count(".") == 1 and text.rfind(",") < text.rfind("."):
            text = text.replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("expected a number")) from None
    if not number.is_finite():
        raise ValueError(_("expected a finite number"))
    if minimum is not None and number < minimum:
        raise ValueError(_("expected a number of at least %(minimum)s") % {"minimum": minimum})
    return number


def parse_int(value: Any, *, minimum: int | None = None) -> int | None:
    """A whole number (1 234, '12', 12.0); a fraction is an error."""
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(_("expected a whole number"))
    result = int(number)
    if minimum is not None and result < minimum:
        raise ValueError(_("expected a whole number of at least %(minimum)s") % {"minimum": minimum})
    return result


def excel_serial_to_date(serial: float) -> dt.date:
    """Excel's day number (1900 date system, as Excel counts it) → date."""
    if not 1 <= serial < 2958466:
        raise ValueError(_("expected an Excel day number between 1 and 2958465"))
    return EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: Any) -> dt.date | None:
    """A date from a datetime, an ISO or dd/mm/yyyy string, or an Excel day number."""
    if is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return excel_serial_to_date(float(value))
    text = str(value).strip()
    if re.fullmatch(r"[0-9]+(\.[0-9]+)?", text):
        return excel_serial_to_date(float(text))
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("expected a date (YYYY-MM-DD, DD/MM/YYYY or an Excel day number)"))


def parse_bool(value: Any) -> bool:
    """True/False, 1/0, oui/non, vrai/faux, yes/no."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("expected yes/no (oui/non, true/false, 1/0)"))


def parse_text(value: Any, *, max_length: int | None = None) -> str:
    """Text stripped of surrounding blanks; too long is an error."""
    if value is None:
        return ""
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if max_length is not None and len(text) > max_length:
        raise ValueError(ngettext("text longer than %(count)d character", "text longer than %(count)d characters", max_length) % {"count": max_length})
    return text


CENT = Decimal("0.01")


def parse_money(value: Any) -> Decimal | None:
    """A non-negative amount in EUR, rounded half-up to the cent as the register stores money."""
    number = parse_decimal(value, minimum=Decimal(0))
    return None if number is None else number.quantize(CENT, rounding=ROUND_HALF_UP)
