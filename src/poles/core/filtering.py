"""Helpers of the list filters shared by pages and API (`<app>/filters.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterable

_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


class FilterError(ValueError):
    """A filter value that cannot be applied; the message names the parameter and the value."""


def text(params: dict, name: str) -> str:
    """The stripped text of a parameter, '' when absent."""
    value = params.get(name)
    return str(value).strip() if value is not None else ""


def is_digits(value: str) -> bool:
    """True for ASCII digits 0–9 only (`str.isdigit()` also takes '²' and other scripts' digits)."""
    return value.isascii() and value.isdigit()


def is_whole_number(value: str) -> bool:
    """True for ASCII digits with an optional minus (`int()` also takes '٣', '+3' and '3_000')."""
    return _WHOLE_NUMBER.fullmatch(value) is not None


def integer(params: dict, name: str) -> int | None:
    """An integer parameter, None when absent; FilterError when not a whole number."""
    value = text(params, name)
    if not value:
        return None
    if not is_whole_number(value):
        raise FilterError(f"{name}: expected a whole number, found {value!r}")
    return int(value)


def choice(params: dict, name: str, allowed: Iterable[str]) -> str:
    """A parameter that must be one of `allowed` ('' when absent)."""
    value = text(params, name).lower()
    allowed = list(allowed)
    if value and value not in allowed:
        raise FilterError(f"{name}: expected one of {', '.join(allowed)}, found {value!r}")
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
    raise FilterError(f"{name}: expected true or false, found {value!r}")
