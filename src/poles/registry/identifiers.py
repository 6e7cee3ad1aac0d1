"""French company identifiers: SIREN (9 digits) and SIRET (14 digits), checked by python-stdnum.

Only ASCII digits count: `str.isdigit()` and stdnum's own cleaning accept other scripts' digits
(Arabic-Indic, full-width, superscripts), which would store one company under a second natural key.
The separators people type (spaces of any kind, dots, hyphens) are removed first. La Poste's SIRETs
follow INSEE's exception (digits summing to a multiple of 5), which stdnum implements.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

LA_POSTE_SIREN = "356000000"
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]")
_SHOWN = 40  # characters of a wrong value quoted back in an error message


class InvalidIdentifier(ValueError):
    """An identifier that is not a well-formed, check-digit-valid SIREN or SIRET."""


def compact(value: str) -> str:
    """The identifier without spaces, dots, hyphens or non-breaking spaces."""
    return _SEPARATORS.sub("", str(value))


def ascii_digits(value: str, length: int | None = None) -> bool:
    """True when `value` is made of ASCII digits 0–9 only (and has `length` of them when given)."""
    if not re.fullmatch(r"[0-9]+", value, flags=re.ASCII):
        return False
    return length is None or len(value) == length


def luhn_ok(digits: str) -> bool:
    """True when the ASCII digit string passes the Luhn (mod 10) check."""
    return ascii_digits(digits) and luhn.is_valid(digits)


def _shown(value: str) -> str:
    text = str(value)
    return text if len(text) <= _SHOWN else text[:_SHOWN] + "…"


def clean_siren(value: str) -> str:
    """The compact SIREN, or InvalidIdentifier saying why it is not one."""
    siren = compact(value)
    if not ascii_digits(siren, 9):
        raise InvalidIdentifier(
            _("A SIREN has 9 digits (0 to 9), found “%(value)s”.") % {"value": _shown(value)}
        )
    try:
        return stdnum_siren.validate(siren)
    except StdnumError:
        raise InvalidIdentifier(
            _("SIREN %(siren)s fails its check digit (Luhn).") % {"siren": siren}
        ) from None


def clean_siret(value: str) -> str:
    """The compact SIRET, or InvalidIdentifier saying why it is not one."""
    siret = compact(value)
    if not ascii_digits(siret, 14):
        raise InvalidIdentifier(
            _("A SIRET has 14 digits (0 to 9), found “%(value)s”.") % {"value": _shown(value)}
        )
    try:
        return stdnum_siret.validate(siret)
    except StdnumError:
        pass
    if siret.startswith(LA_POSTE_SIREN):
        message = _("SIRET %(siret)s of La Poste fails its check: its digits do not sum to a multiple of 5.")
    elif not luhn_ok(siret[:9]):
        message = _("SIRET %(siret)s does not start with a valid SIREN (check digit, Luhn).")
    else:
        message = _("SIRET %(siret)s fails its check digit (Luhn).")
    raise InvalidIdentifier(message % {"siret": siret})


def is_valid_siren(value: str) -> bool:
    """True for a well-formed SIREN with a valid check digit."""
    try:
        clean_siren(value)
    except InvalidIdentifier:
        return False
    return True


def is_valid_siret(value: str) -> bool:
    """True for a well-formed SIRET with a valid check (La Poste's rule for its own)."""
    try:
        clean_siret(value)
    except InvalidIdentifier:
        return False
    return True
