"""Finding communes and regions from what sources write."""

from __future__ import annotations

import pytest

from poles.territories.lookup import CommuneIndex, find_commune, find_communes, region_for_name
from poles.territories.models import Postcode

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("postcode", "city", "code"),
    [
        ("31000", "Toulouse", "31555"),
        ("31000", None, "31555"),
        (None, "TOULOUSE", "31555"),
        ("31036", "TOULOUSE CEDEX 1", "31555"),
        ("75013", "PARIS 13", "75056"),
        ("75013", "Paris 13e Arrondissement", "75056"),
        ("69003", "LYON 3E", "69123"),
        ("13013", "MARSEILLE 13EME", "13055"),
        ("93200", "ST DENIS", "93066"),
        ("97400", "St-Denis", "97411"),
        ("1400", "L'Abergement-Clémenciat", "01001"),
        ("20000", "AJACCIO", "2A004"),
        ("31000", "Blagnac", "31069"),
        ("92400", "PARIS LA DEFENSE", "92026"),
    ],
)
def test_find_commune_from_postcode_and_city(postcode, city, code):
    assert find_commune(postcode, city).code == code


@pytest.mark.parametrize(
    ("postcode", "city"),
    [
        (None, "Saint-Denis"),  # several communes of that name, no postcode to choose
        ("01100", None),  # a postcode serving several communes, no name to choose
        (None, "Atlantis"),
        (None, None),
        ("", ""),
    ],
)
def test_find_commune_gives_none_when_unknown_or_ambiguous(postcode, city):
    assert find_commune(postcode, city) is None


def test_find_communes_resolves_thousands_of_pairs_like_find_commune(django_assert_max_num_queries):
    pairs = [
        (code, name)
        for code, name in Postcode.objects.values_list("code", "commune__name").order_by("id")[
            :3000
        ]
    ]
    pairs += [(None, "Saint-Denis"), ("31036", "Toulouse cedex"), ("01100", None)]
    with django_assert_max_num_queries(6):  # two for the index, fetches of up to 999 communes
        communes = find_communes(pairs)
    assert len(communes) == len(pairs)
    assert sum(c is not None for c in communes) >= 2990
    sample = list(range(0, len(pairs), 97)) + [len(pairs) - 3, len(pairs) - 2, len(pairs) - 1]
    for i in sample:
        assert communes[i] == find_commune(*pairs[i]), pairs[i]


def test_every_commune_is_found_by_one_of_its_postcodes_and_its_name():
    index = CommuneIndex.from_db()
    pairs = list(Postcode.objects.values_list("code", "commune__name", "commune_id"))
    missed = [(p, n, c) for p, n, c in pairs if index.resolve(p, n) != c]
    assert not missed[:10]


def test_found_commune_brings_its_departement_and_region():
    commune = find_commune("33000", "Bordeaux")
    assert commune.departement.nuts_id == "FRI12"
    assert commune.departement.region.name == "Nouvelle-Aquitaine"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Ile-de-France", "11"),
        ("Rhône-Alpes", "84"),
        ("Provence-Alpes-Côte d'Azur", "93"),
        ("Midi-Pyrénées", "76"),
        ("NORD PAS DE CALAIS", "32"),
        ("Grand Est", "44"),
        ("Guadeloupe", "01"),
    ],
)
def test_region_for_name_knows_current_and_pre_2016_names(name, code):
    assert region_for_name(name).code == code


def test_region_for_name_knows_every_loaded_region_by_its_own_name():
    from poles.territories.models import Region

    for region in Region.objects.all():
        assert region_for_name(region.name.upper()) == region


@pytest.mark.parametrize("name", ["Atlantis", "", None, "   "])
def test_region_for_name_gives_none_for_unknown_names(name):
    assert region_for_name(name) is None


def test_commune_index_builds_without_the_database():
    index = CommuneIndex.build(
        [("1", "Saint-Jean", "31"), ("2", "Saint-Jean", "74"), ("3", "Ville", "31")],
        [("31000", "1"), ("31000", "3"), ("74000", "2")],
    )
    assert index.resolve("31000", "St Jean") == "1"
    assert index.resolve(None, "ST-JEAN") is None
    assert index.resolve("31999", "Ville Cedex") == "3"
    assert index.resolve("31000", None) is None
