"""French company identifiers: SIREN (9 digits) and SIRET (14 digits), checked by Luhn.

La Poste (SIREN 356000000) is the exception INSEE publishes: it has too many establishments for
Luhn over five digits, so a SIRET of La Poste is also valid when the sum of its 14 digits is a
multiple of 5 (its head office, 35600000000048, is an ordinary Luhn number).
"""

from __future__ import annotations

import re

LA_POSTE_SIREN = "356000000"
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f]")


class InvalidIdentifier(ValueError):
    """An identifier that is not a well-formed, check-digit-valid SIREN or SIRET."""


def compact(value: str) -> str:
    """The identifier without spaces, dots, dashes or non-breaking spaces."""
    return _SEPARATORS.sub("", str(value))


def luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn (mod 10) check."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def clean_siren(value: str) -> str:
    """The compact SIREN, or InvalidIdentifier saying why it is not one."""
    siren = compact(value)
    if not siren.isdigit() or len(siren) != 9:
        raise InvalidIdentifier(f"a SIREN has 9 digits, found {value!r}")
    if not luhn_ok(siren):
        raise InvalidIdentifier(f"SIREN {siren} fails its check digit (Luhn)")
    return siren


def clean_siret(value: str) -> str:
    """The compact SIRET, or InvalidIdentifier saying why it is not one."""
    siret = compact(value)
    if not siret.isdigit() or len(siret) != 14:
        raise InvalidIdentifier(f"a SIRET has 14 digits, found {value!r}")
    if siret.startswith(LA_POSTE_SIREN):
        if not luhn_ok(siret) and sum(int(c) for c in siret) % 5 != 0:
            raise InvalidIdentifier(
                f"SIRET {siret} of La Poste fails its check (neither Luhn nor digits summing to a multiple of 5)"
            )
        return siret
    clean_siren(siret[:9])
    if not luhn_ok(siret):
        raise InvalidIdentifier(f"SIRET {siret} fails its check digit (Luhn)")
    return siret


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
