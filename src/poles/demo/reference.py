"""A read-only snapshot of the reference data the generator draws from (one query per table)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

from poles.nomenclatures.models import Ecosystem, NafCode
from poles.territories.models import Commune, Postcode, Region

CITIES = 12


class DemoError(Exception):
    """The demo register cannot be built as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Place:
    code: str  # INSEE commune code
    name: str
    postcode: str


@dataclass(frozen=True)
class RegionPlaces:
    """A region's communes with a postcode, and cumulative population weights to draw from."""

    places: tuple[Place, ...]
    cum_weights: tuple[float, ...]
    cities: tuple[Place, ...]  # the most populous communes, where universities and labs are


@dataclass(frozen=True)
class Reference:
    regions: dict[str, str]  # INSEE code → name
    places: dict[str, RegionPlaces]  # region code → communes
    place_by_code: dict[str, Place]
    region_of: dict[str, str]  # commune code → region code
    naf: frozenset[str]
    ecosystems: tuple[tuple[str, str], ...]  # (code, English name)

    def ecosystem_codes(self, words: tuple[str, ...]) -> list[str]:
        """Codes of the ecosystems whose English name holds one of the words."""
        wanted = [_squash(word) for word in words]
        return [code for code, name in self.ecosystems if any(w in _squash(name) for w in wanted)]


def _squash(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def load_reference() -> Reference:
    """Regions, communes with a postcode, NAF codes and ecosystems, or DemoError when absent."""
    regions = dict(Region.objects.order_by("code").values_list("code", "name"))
    if not regions:
        raise DemoError("no reference data (regions are empty): run `poles load_reference` first")
    postcodes: dict[str, str] = {}
    for commune, code in Postcode.objects.order_by("commune_id", "code").values_list(
        "commune_id", "code"
    ):
        postcodes.setdefault(commune, code)
    by_region: dict[str, list[tuple[Place, int]]] = {}
    place_by_code: dict[str, Place] = {}
    region_of: dict[str, str] = {}
    rows = Commune.objects.order_by("code").values_list(
        "code", "name", "departement__region_id", "population"
    )
    for code, name, region, population in rows:
        if code not in postcodes:
            continue
        place = Place(code, name, postcodes[code])
        place_by_code[code] = place
        region_of[code] = region
        by_region.setdefault(region, []).append((place, population or 1))
    if not place_by_code:
        raise DemoError("no communes with postcodes: run `poles load_reference` first")
    places = {
        region: RegionPlaces(
            tuple(p for p, _ in items), tuple(accumulate(float(w) for _, w in items)),
            tuple(p for p, _ in sorted(items, key=lambda item: (-item[1], item[0].code))[:CITIES]),
        )
        for region, items in by_region.items()
    }
    naf = frozenset(NafCode.objects.values_list("code", flat=True))
    if not naf:
        raise DemoError("no NAF codes: run `poles load_reference` first")
    ecosystems = tuple(Ecosystem.objects.order_by("code").values_list("code", "name_en"))
    return Reference(regions, places, place_by_code, region_of, naf, ecosystems)
