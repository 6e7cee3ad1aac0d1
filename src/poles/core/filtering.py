"""Helpers of the list filters shared by pages and API (`<app>/filters.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")
# The widest integer column of SQLite and PostgreSQL (bigint): beyond it SQLite raises OverflowError.
INTEGER_MIN, INTEGER_MAX = -(2**63), 2**63 - 1


class FilterError(ValueError):
    """A filter value that cannot be applied; the message names the parameter and the value."""


def text(params: dict, name: str) -> str:
    """The stripped text of a parameter, '' when absent."""
    value = params.get(name)
    return str(value).strip() if value is not None else ""


def is_digits(value: str) -> bool:
    """True for ASCII digits 0–9 only (`str.isdigit()` also takes '²' and other scripts' digits)."""
    return value.isascii() and value.isdigit()


def row_id(value: str) -> int | None:
    """`value` as a row id when it is ASCII digits a bigint column holds, else None (no 500 on '²')."""
    if not is_digits(value):
        return None
    number = int(value)
    return number if number <= INTEGER_MAX else None


def is_whole_number(value: str) -> bool:
    """True for ASCII digits with an optional minus (`int()` also takes '٣', '+3' and '3_000')."""
    return _WHOLE_NUMBER.fullmatch(value) is not None


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:40] + "…")


def _bounded(name: str, value: str) -> int:
    number = int(value)
    if not INTEGER_MIN <= number <= INTEGER_MAX:
        raise FilterError(
            _("%(name)s: expected a whole number between %(min)s and %(max)s, found %(value)s")
            % {"name": name, "min": INTEGER_MIN, "max": INTEGER_MAX, "value": _shown(value)}
        )
    return number


def integer(params: dict, name: str) -> int | None:
    """An integer parameter, None when absent; FilterError when not a whole number a column holds."""
    value = text(params, name)
    if not value:
        return None
    if not is_whole_number(value):
        raise FilterError(
            _("%(name)s: expected a whole number, found %(value)s") % {"name": name, "value": _shown(value)}
        )
    return _bounded(name, value)


def reference(params: dict, name: str) -> int | str | None:
    """A row named by its id (ASCII digits) or by its slug; None when absent."""
    value = text(params, name)
    if not value:
        return None
    return _bounded(name, value) if is_digits(value) else value


def choice(params: dict, name: str, allowed: Iterable[str]) -> str:
    """A parameter that must be one of `allowed` ('' when absent)."""
    value = text(params, name).lower()
    allowed = list(allowed)
    if value and value not in allowed:
        raise FilterError(
            _("%(name)s: expected one of %(allowed)s, found %(value)s")
            % {"name": name, "allowed": ", ".join(allowed), "value": _shown(value)}
        )
    return value


def boolean(params: dict, name: str) -> bool | None:
    """true/false/1/0/yes/no, None when absent."""
    value = text(params, name).lower()
    if not value:
        return None
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise FilterError(
        _("%(name)s: expected true or false, found %(value)s") % {"name": name, "value": _shown(value)}
    )
