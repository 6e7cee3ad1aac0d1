"""The place-name normalisers: folding, city keys, postcodes, region names."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.territories.names import (
    clean_postcode,
    fold,
    normalise_city,
    postcode_departements,
    region_code_for_name,
)

FRENCH_LETTERS = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæ"
words = st.text(alphabet=FRENCH_LETTERS, min_size=1, max_size=12).filter(
    lambda w: fold(w) not in {"ST", "STE", "SAINT", "SAINTE", "CEDEX", "ARRONDISSEMENT"}
)
names = st.lists(words, min_size=1, max_size=4)
separators = st.sampled_from([" ", "-", "  ", " - ", "'"])


@given(names, separators)
def test_city_key_ignores_case_accents_and_separators(parts, separator):
    written = separator.join(parts)
    assert normalise_city(written) == normalise_city(" ".join(parts).upper())
    assert normalise_city(written) == fold(" ".join(parts))


@given(st.text(max_size=40))
def test_city_key_is_ascii_words_and_stable(text):
    key = normalise_city(text)
    assert normalise_city(key) == key
    assert re.fullmatch(r"([A-Z0-9]+( [A-Z0-9]+)*)?", key)


@given(names, st.sampled_from(["ST", "St", "st.", "St-"]), st.sampled_from(["SAINT", "Saint-"]))
def test_city_key_expands_saint(parts, short, long):
    rest = " ".join(parts)
    assert normalise_city(f"{short} {rest}") == normalise_city(f"{long} {rest}")


@given(names, st.one_of(st.just(""), st.integers(1, 20).map(str)))
def test_city_key_drops_cedex_and_what_follows(parts, number):
    city = " ".join(parts)
    assert normalise_city(f"{city} CEDEX {number}") == normalise_city(city)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("PARIS 13", "PARIS"),
        ("Paris 13e Arrondissement", "PARIS"),
        ("LYON 3E", "LYON"),
        ("Marseille 1er", "MARSEILLE"),
        ("MARSEILLE 13EME", "MARSEILLE"),
        ("Toulouse Cedex 9", "TOULOUSE"),
        ("Ste-Foy-lès-Lyon", "SAINTE FOY LES LYON"),
        ("St Étienne", "SAINT ETIENNE"),
        ("L'Haÿ-les-Roses", "L HAY LES ROSES"),
        ("Œuilly", "OEUILLY"),
    ],
)
def test_city_key_of_names_as_sources_write_them(written, key):
    assert normalise_city(written) == key


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("31000", "31000"),
        (" 01400 ", "01400"),
        (1400, "01400"),
        ("F-75013", "75013"),
        ("310", None),
        ("", None),
        (None, None),
        ("123456", None),
        ("\u0667\u0665\u0660\u0660\u0669", None),  # 75009 in Arabic-Indic digits
        ("7500\u0669", None),  # not 07500: a digit of another script is not dropped silently
        ("\uff17\uff15\uff10\uff10\uff19", None),  # full-width
    ],
)
def test_clean_postcode_pads_spreadsheet_numbers_and_rejects_the_rest(written, expected):
    assert clean_postcode(written) == expected


@pytest.mark.parametrize(
    ("postcode", "departements"),
    [("31000", ("31",)), ("20000", ("2A", "2B")), ("97400", ("974",)), ("nope", ())],
)
def test_postcode_points_to_its_departements(postcode, departements):
    assert postcode_departements(postcode) == departements


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Ile-de-France", "11"),
        ("Île-de-France", "11"),
        ("Rhône-Alpes", "84"),
        ("RHONE ALPES", "84"),
        ("Auvergne", "84"),
        ("Midi-Pyrénées", "76"),
        ("Languedoc-Roussillon", "76"),
        ("Provence-Alpes-Côte d'Azur", "93"),
        ("Région Sud", "93"),
        ("Nord-Pas-de-Calais", "32"),
        ("Picardie", "32"),
        ("Alsace", "44"),
        ("Poitou-Charentes", "75"),
        ("Basse-Normandie", "28"),
        ("Franche-Comté", "27"),
        ("Centre", "24"),
        ("Région Bretagne", "53"),
        ("Réunion", "04"),
    ],
)
def test_region_names_old_and_new_give_todays_region(name, code):
    assert region_code_for_name(name) == code


def test_unknown_region_name_gives_none():
    assert region_code_for_name("Atlantis") is None
