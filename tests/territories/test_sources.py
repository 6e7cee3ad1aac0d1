"""What the installed packages hold, read as the loaders read it."""

from __future__ import annotations

from collections import Counter

import pytest

from poles.territories import sources


def test_package_lists_18_regions_of_which_5_overseas():
    regions = sources.read_regions()
    assert len(regions) == 18
    assert sorted(r.code for r in regions if r.overseas) == ["01", "02", "03", "04", "06"]


def test_package_lists_101_departements():
    departements = sources.read_departements()
    assert len(departements) == 101
    assert {"2A", "2B", "971", "976", "75"} <= {d.code for d in departements}


def test_only_current_communes_of_the_101_departements_are_read():
    communes = sources.read_communes()
    departements = {d.code for d in sources.read_departements()}
    assert 34_800 <= len(communes) <= 35_000
    assert {c.departement for c in communes} == departements
    codes = Counter(c.code for c in communes)
    assert codes.most_common(1)[0][1] == 1
    assert "13201" not in codes  # Marseille's 1st arrondissement is not a commune
    toulouse = next(c for c in communes if c.code == "31555")
    assert (
        toulouse.name == "Toulouse"
        and "31000" in toulouse.postcodes
        and toulouse.population > 400_000
    )


def test_nuts_2021_holds_the_27_countries_and_their_units():
    units = sources.read_nuts_2021()
    levels = Counter(u.level for u in units)
    assert levels[0] == 27
    assert levels[3] > 1_100
    by_code = {u.code: u for u in units}
    assert by_code["FRI12"].name == "Gironde"
    assert by_code["FR"].name == "France"
    assert by_code["EL"].name == "Greece"
    assert all(u.parent_code in by_code for u in units if u.level)


def test_missing_node_modules_says_to_run_make_setup(monkeypatch, tmp_path):
    monkeypatch.setenv("POLES_NODE_MODULES", str(tmp_path))
    with pytest.raises(sources.ReferenceDataMissing, match=r"run `make setup` \(npm ci\) first"):
        sources.read_regions()
