"""Matching French regions and départements to NUTS units (pure rule, then on the real lists)."""

from __future__ import annotations

import pytest

from poles.territories import sources
from poles.territories.nuts import NutsUnit, level_of, match_departements, match_regions

UNITS = [
    NutsUnit("FR", "France", 0, "FR"),
    NutsUnit("FRB", "Centre — Val de Loire", 1, "FR"),
    NutsUnit("FRB0", "Centre — Val de Loire", 2, "FR"),
    NutsUnit("FRB01", "Cher", 3, "FR"),
    NutsUnit("FRY", "RUP FR — Régions Ultrapériphériques Françaises", 1, "FR"),
    NutsUnit("FRY4", "La Réunion", 2, "FR"),
    NutsUnit("FRY40", "La Réunion", 3, "FR"),
    NutsUnit("DE1", "Baden-Württemberg", 1, "DE"),
]


def test_region_gets_the_lowest_level_unit_of_its_name():
    assert match_regions([("24", "Centre-Val de Loire"), ("04", "La Réunion")], UNITS) == {
        "24": "FRB",
        "04": "FRY4",
    }


def test_region_without_a_unit_of_its_name_is_left_out():
    assert match_regions([("99", "Baden-Württemberg")], UNITS) == {}


def test_departement_gets_the_level3_unit_of_its_name_under_its_region():
    regions = {"24": "FRB", "04": "FRY4"}
    departements = [("18", "Cher", "24"), ("974", "La Réunion", "04"), ("36", "Indre", "24")]
    assert match_departements(departements, regions, UNITS) == {"18": "FRB01", "974": "FRY40"}


def test_departement_is_not_matched_outside_its_region():
    assert match_departements([("18", "Cher", "04")], {"04": "FRY4"}, UNITS) == {}


@pytest.mark.parametrize(("code", "level"), [("FR", 0), ("FRI", 1), ("FRI1", 2), ("FRI12", 3)])
def test_level_is_told_by_the_code_length(code, level):
    assert level_of(code) == level


@pytest.mark.parametrize("code", ["F", "FRI123", "12345"])
def test_level_of_rejects_what_is_not_a_nuts_code(code):
    with pytest.raises(ValueError, match="not a NUTS code"):
        level_of(code)


def test_every_region_and_departement_of_the_packages_gets_its_nuts_unit():
    units = sources.read_nuts_2021()
    regions = sources.read_regions()
    departements = sources.read_departements()
    region_nuts = match_regions([(r.code, r.name) for r in regions], units)
    departement_nuts = match_departements(
        [(d.code, d.name, d.region) for d in departements], region_nuts, units
    )
    assert region_nuts == {
        "11": "FR1",
        "24": "FRB",
        "27": "FRC",
        "28": "FRD",
        "32": "FRE",
        "44": "FRF",
        "52": "FRG",
        "53": "FRH",
        "75": "FRI",
        "76": "FRJ",
        "84": "FRK",
        "93": "FRL",
        "94": "FRM",
        "01": "FRY1",
        "02": "FRY2",
        "03": "FRY3",
        "04": "FRY4",
        "06": "FRY5",
    }
    assert len(departement_nuts) == 101
    assert {code: departement_nuts[code] for code in ["33", "75", "2A", "2B", "971", "976"]} == {
        "33": "FRI12",
        "75": "FR101",
        "2A": "FRM01",
        "2B": "FRM02",
        "971": "FRY10",
        "976": "FRY50",
    }
