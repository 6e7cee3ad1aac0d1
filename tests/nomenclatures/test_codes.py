"""Our NACE key convention and the tolerant NAF parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.nomenclatures.codes import nace_key, nace_level, nace_parent, normalise_naf


@pytest.mark.parametrize(
    ("number", "section", "key", "level", "parent"),
    [
        ("C", "C", "C", 1, None),
        ("26", "C", "C26", 2, "C"),
        ("26.1", "C", "C26.1", 3, "C26"),
        ("26.11", "C", "C26.11", 4, "C26.1"),
        ("01.11", "A", "A01.11", 4, "A01.1"),
    ],
)
def test_nace_key_level_and_parent(number, section, key, level, parent):
    assert nace_key(number, section) == key
    assert nace_level(key) == level
    assert nace_parent(key) == parent


@pytest.mark.parametrize(("number", "section"), [("26", "c"), ("2611", "C"), ("26.111", "C")])
def test_nace_key_rejects_malformed_input(number, section):
    with pytest.raises(ValueError, match="found"):
        nace_key(number, section)


@given(
    st.integers(0, 99), st.integers(0, 99), st.sampled_from("ABCZ"), st.sampled_from(["", ".", " "])
)
def test_naf_written_any_common_way_normalises_to_insee_form(division, rest, letter, dot):
    written = f"{division:02d}{dot}{rest:02d}{letter.lower()}"
    assert normalise_naf(written) == f"{division:02d}.{rest:02d}{letter}"


@pytest.mark.parametrize("text", ["", "26", "26.11", "2611ZZ", "ABCDE", None, "\u0662\u0666.\u0661\u0661Z"])
def test_naf_normaliser_rejects_what_is_not_a_subclass(text):
    assert normalise_naf(text) is None
