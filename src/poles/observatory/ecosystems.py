"""The EU's 14 industrial ecosystems as a roll-up of NACE Rev. 2 divisions.

The mapping ships as `data/nace_ecosystems.csv` (columns `nace_division, ecosystem_code,
ecosystem_name_en, ecosystem_name_fr`); the register reads the same file to fill its Ecosystem
table, so its columns are stable. Source and caveats: docs/observatory.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

MAPPING_COLUMNS = ("nace_division", "ecosystem_code", "ecosystem_name_en", "ecosystem_name_fr")


@dataclass(frozen=True)
class EcosystemDivision:
    """One NACE division (Eurostat style, e.g. `C10`) and the ecosystem it is counted in."""

    nace_division: str
    ecosystem_code: str
    ecosystem_name_en: str
    ecosystem_name_fr: str


@lru_cache(maxsize=1)
def load_mapping() -> tuple[EcosystemDivision, ...]:
    """The division → ecosystem mapping shipped with the package, one entry per division."""
    text = (
        resources.files("poles.observatory")
        .joinpath("data/nace_ecosystems.csv")
        .read_text(encoding="utf-8")
    )
    reader = csv.DictReader(text.splitlines())
    if tuple(reader.fieldnames or ()) != MAPPING_COLUMNS:
        raise RuntimeError(
            f"nace_ecosystems.csv must have the columns {', '.join(MAPPING_COLUMNS)}"
        )
    return tuple(EcosystemDivision(**{k: row[k] for k in MAPPING_COLUMNS}) for row in reader)


def ecosystem_names(language: str = "en") -> dict[str, str]:
    """`{ecosystem_code: name}` in English (`en`) or French (`fr`)."""
    return {
        row.ecosystem_code: row.ecosystem_name_fr if language == "fr" else row.ecosystem_name_en
        for row in load_mapping()
    }


def mapping_columns() -> dict[str, list[str]]:
    """The mapping as columns (for an Ibis or Arrow table)."""
    rows = load_mapping()
    return {
        "nace_division": [r.nace_division for r in rows],
        "ecosystem_code": [r.ecosystem_code for r in rows],
    }
