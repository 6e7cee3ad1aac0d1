"""Generated SIREN and SIRET numbers: Luhn-valid, unique, in a range apart from La Poste's."""

from __future__ import annotations

import random

from poles.registry.identifiers import LA_POSTE_SIREN

# Generated SIRENs start with "00": easy to recognise, and never La Poste's 356000000.
PREFIX = "00"


def check_digit(base: str) -> str:
    """The digit that makes `base` + digit pass Luhn (digits of `base` doubled from its right)."""
    total = 0
    for position, char in enumerate(reversed(base)):
        digit = int(char) * (2 if position % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return str(-total % 10)


def siren_factory(rng: random.Random):
    """A function returning a new unique, Luhn-valid generated SIREN at each call."""
    seen: set[str] = set()
    width = 9 - len(PREFIX) - 1

    def new() -> str:
        while True:
            base = PREFIX + f"{rng.randrange(10**width):0{width}d}"
            siren = base + check_digit(base)
            if siren not in seen and siren != LA_POSTE_SIREN:
                seen.add(siren)
                return siren

    return new


def head_office_siret(siren: str) -> str:
    """The SIRET of the head office (NIC 0001x) of a generated SIREN, Luhn-valid."""
    base = siren + "0001"
    return base + check_digit(base)
