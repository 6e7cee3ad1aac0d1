"""Find communes and regions from what sources write: a postcode, a city, a region name.

Resolution of (postcode, city), first answer wins:
1. the one commune serving the postcode whose name matches the city;
2. the one commune of the postcode's département(s) with that name (CEDEX and company postcodes
   are not in the postcode list; a name that contradicts the postcode wins when it is unique there);
3. the only commune serving the postcode, whatever the city says (a locality, a misspelling);
4. the only commune of France with that name.
Anything else — two matches at any step, nothing at all — gives None: never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from poles.territories.models import Commune, Postcode, Region
from poles.territories.names import (
    clean_postcode,
    fold,
    normalise_city,
    postcode_departements,
    region_code_for_name,
)


def _unique(codes: Iterable[str]) -> str | None:
    found = set(codes)
    return found.pop() if len(found) == 1 else None


@dataclass
class CommuneIndex:
    """Communes by postcode and by normalised name, built once, queried in memory."""

    by_postcode: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    name_of: dict[str, str] = field(default_factory=dict)
    departement_of: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls, communes: Iterable[tuple[str, str, str]], postcodes: Iterable[tuple[str, str]]
    ) -> CommuneIndex:
        """An index of (code, name, département) communes and (postcode, commune code) pairs."""
        index = cls()
        for code, name, departement in communes:
            key = normalise_city(name)
            index.name_of[code] = key
            index.departement_of[code] = departement
            index.by_name[key].append(code)
        for postcode, commune in postcodes:
            if commune in index.name_of:
                index.by_postcode[postcode].append(commune)
        return index

    @classmethod
    def from_db(cls, communes: QuerySet[Commune] | None = None) -> CommuneIndex:
        """The index of every commune in the database, or of a queryset of them (two queries)."""
        queryset = Commune.objects.all() if communes is None else communes
        rows = list(queryset.values_list("code", "name", "departement_id"))
        pairs = Postcode.objects.values_list("code", "commune_id")
        if communes is not None:
            pairs = pairs.filter(commune__in=[code for code, _, _ in rows])
        return cls.build(rows, pairs)

    def resolve(self, postcode: str | int | None, city: str | None) -> str | None:
        """The INSEE code of the commune a (postcode, city) pair designates, None if not exactly one."""
        code = clean_postcode(postcode)
        key = normalise_city(city) if city else ""
        serving = self.by_postcode.get(code, []) if code else []
        if key:
            named = [c for c in serving if self.name_of[c] == key]
            if named:
                return _unique(named)
            if code:
                departements = set(postcode_departements(code))
                local = [
                    c for c in self.by_name.get(key, []) if self.departement_of[c] in departements
                ]
                if local:
                    return _unique(local)
        if len(set(serving)) == 1:
            return serving[0]
        if key and not serving:
            return _unique(self.by_name.get(key, []))
        return None

    def resolve_many(
        self, pairs: Iterable[tuple[str | int | None, str | None]]
    ) -> list[str | None]:
        """Commune codes for many (postcode, city) pairs, in order."""
        return [self.resolve(postcode, city) for postcode, city in pairs]


def _communes_by_code(codes: Iterable[str | None]) -> dict[str, Commune]:
    wanted = {code for code in codes if code}
    return Commune.objects.select_related("departement__region").in_bulk(wanted) if wanted else {}


def find_commune(postcode: str | None, city: str | None) -> Commune | None:
    """The commune a postcode and/or city designates, None when unknown or ambiguous."""
    code = clean_postcode(postcode)
    nearby = None
    if code:
        nearby = Commune.objects.filter(
            Q(postcodes__code=code) | Q(departement_id__in=postcode_departements(code))
        ).distinct()
    found = CommuneIndex.from_db(nearby).resolve(code, city) if nearby is not None else None
    if found is None and city:
        found = CommuneIndex.from_db().resolve(code, city)
    return _communes_by_code([found]).get(found) if found else None


def find_communes(pairs: Sequence[tuple[str | None, str | None]]) -> list[Commune | None]:
    """Communes for thousands of (postcode, city) pairs with one index and one fetch, in order."""
    codes = CommuneIndex.from_db().resolve_many(pairs)
    communes = _communes_by_code(codes)
    return [communes.get(code) if code else None for code in codes]


def region_for_name(name: str | None) -> Region | None:
    """Today's region for a current or pre-2016 region name as sources write it, else None."""
    if not name or not name.strip():
        return None
    code = region_code_for_name(name)
    if code is None:
        key = fold(name)
        code = next((r.code for r in Region.objects.all() if fold(r.name) == key), None)
    return Region.objects.filter(code=code).first() if code else None
