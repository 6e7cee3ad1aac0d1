"""Loading the territories into the database: contents, NUTS links, idempotency."""

from __future__ import annotations

import pytest

from poles.territories.loaders import load_territories
from poles.territories.models import Commune, Departement, NutsRegion, Postcode, Region

pytestmark = pytest.mark.django_db


def test_reference_load_fills_regions_departements_and_communes(reference_data):
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    assert 34_800 <= Commune.objects.count() <= 35_000
    assert Postcode.objects.count() > Commune.objects.count()
    assert NutsRegion.objects.filter(level=0).count() == 27
    assert set(reference_data.counts) >= {
        "nuts",
        "regions",
        "departements",
        "communes",
        "postcodes",
    }


def test_postcode_31000_serves_toulouse():
    assert list(Commune.objects.filter(postcodes__code="31000").values_list("name", flat=True)) == [
        "Toulouse"
    ]


def test_gironde_is_nuts3_fri12_in_nouvelle_aquitaine_fri():
    gironde = Departement.objects.select_related("region", "nuts").get(code="33")
    assert gironde.nuts_id == "FRI12"
    assert gironde.region.nuts_id == "FRI"
    assert gironde.nuts.parent.parent_id == "FRI"


def test_every_departement_and_region_has_its_nuts_unit():
    assert not Departement.objects.filter(nuts__isnull=True).exists()
    assert not Departement.objects.exclude(nuts__level=3).exists()
    assert not Region.objects.filter(nuts__isnull=True).exists()
    assert set(Region.objects.filter(overseas=True).values_list("nuts__level", flat=True)) == {2}
    assert set(Region.objects.filter(overseas=False).values_list("nuts__level", flat=True)) == {1}


def test_region_slug_and_overseas_flag():
    assert Region.objects.get(code="93").slug == "provence-alpes-cote-dazur"
    assert Region.objects.get(code="11").slug == "ile-de-france"
    assert sorted(Region.objects.filter(overseas=True).values_list("code", flat=True)) == [
        "01",
        "02",
        "03",
        "04",
        "06",
    ]


def test_second_load_changes_nothing():
    before = list(Commune.objects.values_list("code", "name", "departement_id", "population"))
    counts = load_territories()
    assert not any(count.changed for count in counts.values()), counts
    assert counts["communes"].unchanged == len(before)
    assert (
        list(Commune.objects.values_list("code", "name", "departement_id", "population")) == before
    )


def test_load_repairs_edited_rows_and_drops_stale_postcodes():
    Commune.objects.filter(code="31555").update(name="Tolosa", population=1)
    Postcode.objects.create(code="99999", commune_id="31555")
    steps = []
    counts = load_territories(progress=lambda step, done, total: steps.append(step))
    assert counts["communes"].updated == 1
    assert counts["postcodes"].deleted == 1 and counts["postcodes"].created == 0
    toulouse = Commune.objects.get(code="31555")
    assert toulouse.name == "Toulouse" and toulouse.population > 400_000
    assert {"communes", "postcodes", "regions"} <= set(steps)
