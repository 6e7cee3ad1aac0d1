"""Helpers of the list filters shared by pages and API (`<app>/filters.py`)."""

from __future__ import annotations

from collections.abc import Iterable


class FilterError(ValueError):
    """A filter value that cannot be applied; the message names the parameter and the value."""


def text(params: dict, name: str) -> str:
    """The stripped text of a parameter, '' when absent."""
    value = params.get(name)
    return str(value).strip() if value is not None else ""


def integer(params: dict, name: str) -> int | None:
    """An integer parameter, None when absent; FilterError when not a whole number."""
    value = text(params, name)
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        raise FilterError(f"{name}: expected a whole number, found {value!r}") from None


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
