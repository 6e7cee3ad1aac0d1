"""Headers as Word and Excel write them match the column they name; unknown ones are reported."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from poles.imports.headers import APOSTROPHES, QUOTES, SPACES, match_headers, normalise_header
from poles.imports.members import MEMBERS

ACCENTED = {"a": "àâä", "e": "éèêë", "i": "îï", "o": "ôö", "u": "ùûü", "c": "ç"}
KNOWN = sorted({(alias, key) for key, names in MEMBERS.aliases.items() for alias in names})
SEPARATORS = [" ", "  ", "'", '"', "_", "-", "/", ".", *APOSTROPHES, *QUOTES, *SPACES, "\u2013", " - "]


@st.composite
def typographic_variant(draw, text: str) -> str:
    """`text` as someone may type it: any apostrophe, quote or space, any case, accents added."""
    out = []
    for char in text:
        if not char.isalnum():
            out.append(draw(st.sampled_from(SEPARATORS)))
            continue
        if char in ACCENTED and draw(st.booleans()):
            char = draw(st.sampled_from(ACCENTED[char]))
        out.append(char.upper() if draw(st.booleans()) else char)
    wrap = draw(st.sampled_from([("", ""), ("«\u00a0", "\u00a0»"), ("“", "”"), (" ", "\u202f"), ("\ufeff", "")]))
    return wrap[0] + "".join(out) + wrap[1]


@given(data=st.data(), known=st.sampled_from(KNOWN))
def test_any_typographic_variant_of_a_known_header_matches_its_column(data, known):
    alias, key = known
    variant = data.draw(typographic_variant(alias))
    match = MEMBERS.match([variant])
    assert match.mapping == {variant: key}, (alias, variant)
    assert normalise_header(variant) == normalise_header(alias)


@given(headers=st.lists(st.text(min_size=1, max_size=20), max_size=8, unique=True))
def test_no_header_is_dropped_silently(headers):
    match = MEMBERS.match(headers)
    written = [h for h in headers if h.strip()]
    assert sorted(list(match.mapping) + match.ignored) == sorted(written)
    assert all(normalise_header(h) not in {normalise_header(a) for names in MEMBERS.aliases.values() for a in names}
               for h in match.unknown)


def test_the_curly_apostrophe_excel_writes_is_the_same_column():
    match = MEMBERS.match(["Nom", "Chiffre d’affaires", "Année des chiffres", "Commentaire interne"])
    assert match.mapping == {"Nom": "name", "Chiffre d’affaires": "turnover", "Année des chiffres": "figures_year"}
    assert match.unknown == ["Commentaire interne"]


def test_a_second_header_for_the_same_column_is_ignored_and_named():
    match = match_headers(["Ville", "Commune"], {"city": {"ville", "commune"}})
    assert match.mapping == {"Ville": "city"}
    assert match.duplicates == {"Commune": "Ville"}
    assert match.ignored == ["Commune"]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_column_label_in_every_language_matches_its_own_column(language):
    with translation.override(language):
        labels = [str(c.label) for c in MEMBERS.columns]
    match = MEMBERS.match(labels)
    assert list(match.mapping.values()) == [c.key for c in MEMBERS.columns]
    assert not match.ignored


def test_accents_case_and_ligatures_do_not_count():
    assert normalise_header("ŒUVRE  Année") == normalise_header("oeuvre annee") == "oeuvre_annee"
    assert normalise_header("N° SIREN") == "n_siren"
    assert normalise_header(None) == ""
