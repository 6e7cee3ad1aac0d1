import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from poles.registry.names import KEY_MAX, fold, fold_city, name_key


def test_case_accents_and_punctuation_do_not_count():
    assert name_key("Université de Lyon", "LYON") == name_key("UNIVERSITE DE LYON", "Lyon")
    assert name_key("Arts & Métiers", "Paris") == name_key("arts et metiers", "paris")


def test_cedex_and_arrondissements_do_not_count():
    assert fold_city("Paris Cedex 13") == "paris"
    assert fold_city("Lyon 3e") == "lyon"
    assert fold_city("St-Étienne Cedex 2") == "saint etienne"


def test_different_words_stay_different_organisations():
    assert name_key("CNRS", "Paris") != name_key("Centre national de la recherche scientifique", "Paris")
    assert name_key("CNRS", "Paris") != name_key("CNRS", "Marseille")


@pytest.mark.parametrize("spellings", [
    ("Müller GmbH|Großostheim", "MÜLLER GMBH|GROSSOSTHEIM", "Müller GmbH|Grossostheim",
     "MÜLLER GMBH|GROẞOSTHEIM", "müller gmbh|großostheim"),
    ("Œuvre du Cœur|Cœuvres-et-Valsery", "ŒUVRE DU CŒUR|CŒUVRES-ET-VALSERY", "oeuvre du coeur|Coeuvres et Valsery"),
    ("İstanbul Teknik Üniversitesi|İstanbul", "istanbul teknik universitesi|Istanbul",
     "ISTANBUL TEKNIK ÜNIVERSITESI|ıstanbul"),
    ("Ærø Æblemost|Ærøskøbing", "aero aeblemost|AEROSKOBING"),
    ("ﬁnance ＆ co|Paris", "FINANCE & CO|PARIS"),
])
def test_every_capitalisation_of_a_name_gives_one_key(spellings):
    keys = {name_key(*spelling.split("|")) for spelling in spellings}
    assert len(keys) == 1, keys


def test_sharp_s_and_ligatures_are_spelt_out():
    assert name_key("Müller GmbH", "Großostheim") == "name:muller gmbh|grossostheim"
    assert fold("Œuvre") == fold("œuvre") == "oeuvre"
    assert fold("İzmir") == fold("IZMIR") == "izmir"


@pytest.mark.parametrize("name, city, key", [
    ("Arts & Métiers", "Paris Cedex 13", "name:arts et metiers|paris"),
    ("Université Grenoble Alpes", "GRENOBLE CEDEX 9", "name:universite grenoble alpes|grenoble"),
    ("ACME S.A.S.", "St-Étienne", "name:acme s a s|saint etienne"),
    ("Lab_42 (UMR 5525)", "Lyon 3e", "name:lab 42 umr 5525|lyon"),
])
def test_keys_already_stored_for_ascii_and_accented_names_do_not_change(name, city, key):
    assert name_key(name, city) == key


def _previous_ascii_fold(text: str) -> str:
    """The fold of earlier versions for ASCII text: keys they stored must still match."""
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " et ")).strip()


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_names_keep_the_keys_of_earlier_versions(name):
    assert fold(name) == _previous_ascii_fold(name)


@given(st.text(max_size=600), st.text(max_size=200))
@example("Müller GmbH", "Großostheim")
@example("ŒUVRE", "İSTANBUL")
@example("ß", "ẞ")
def test_keys_fit_the_column_and_are_the_same_for_every_capitalisation(name, city):
    key = name_key(name, city)
    assert len(key) <= KEY_MAX
    for change in (str.upper, str.lower, str.casefold, str.title, str.swapcase):
        assert name_key(change(name), change(city)) == key, change.__name__


@given(st.text())
def test_fold_is_idempotent_and_case_free(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert folded == fold(text.upper()) == fold(text.lower()) == fold(text.casefold())
