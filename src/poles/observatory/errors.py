"""The observatory's exceptions: every input problem is an `ObservatoryError` (a `ValueError`)."""

from __future__ import annotations


class ObservatoryError(ValueError):
    """Base class of the errors the observatory raises on bad input or options."""


class InputFormatError(ObservatoryError):
    """A malformed input file; names the file, the line (1-based) and the reason."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        from poles.observatory.i18n import _

        where = _("{path}, line {line}").format(path=path, line=line) if line is not None else path
        super().__init__(_("{where}: {reason}").format(where=where, reason=reason))


class SelectionError(ObservatoryError):
    """A filter, year, level or country that selects nothing, or an unknown dimension."""


class OptionError(ObservatoryError):
    """An option with a value outside what it accepts."""
