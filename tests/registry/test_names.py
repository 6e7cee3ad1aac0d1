from hypothesis import given
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


@given(st.text(max_size=600), st.text(max_size=200))
def test_keys_fit_the_column_and_are_stable(name, city):
    key = name_key(name, city)
    assert len(key) <= KEY_MAX
    assert key == name_key(name.upper(), city.upper()) or fold(name) != fold(name.upper())
