import unicodedata

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from poles.registry.identifiers import (
    LA_POSTE_SIREN,
    InvalidIdentifier,
    clean_siren,
    clean_siret,
    is_valid_siren,
    is_valid_siret,
    luhn_ok,
)

# Published SIRENs of well-known French companies (Sirene register).
REAL_SIRENS = [
    "552032534",  # Danone
    "632012100",  # L'Oréal
    "855200887",  # Michelin (CGDE)
    "542051180",  # TotalEnergies SE
    "552059024",  # Thales
    "562082909",  # Safran
    "380129866",  # Orange
    "780129987",  # Renault SAS
    "356000000",  # La Poste
]


@pytest.mark.parametrize("siren", REAL_SIRENS)
def test_real_sirens_are_valid(siren):
    assert clean_siren(siren) == siren


def test_siren_accepts_spaces_and_dots_as_written_on_invoices():
    assert clean_siren("552 032 534") == "552032534"
    assert clean_siren("552.032.534") == "552032534"
    assert clean_siren("552\u00a0032\u00a0534") == "552032534"


@pytest.mark.parametrize("value", ["55203253", "5520325345", "55203253A", "", "552032535"])
def test_siren_rejects_wrong_length_letters_and_bad_check_digit(value):
    with pytest.raises(InvalidIdentifier):
        clean_siren(value)


def test_siren_error_says_why():
    with translation.override("en"):
        with pytest.raises(InvalidIdentifier, match="check digit"):
            clean_siren("552032535")
        with pytest.raises(InvalidIdentifier, match="9 digits"):
            clean_siren("1234")


def test_identifier_errors_are_in_french_for_french_users():
    with translation.override("fr"), pytest.raises(InvalidIdentifier, match="9 chiffres"):
        clean_siren("1234")
    with translation.override("fr"), pytest.raises(InvalidIdentifier, match="clé"):
        clean_siret("73282932000075")


def test_real_sirets_are_valid():
    assert is_valid_siret("73282932000074")
    assert is_valid_siret("732 829 320 00074")


def test_la_poste_sirets_pass_by_the_sum_of_their_digits():
    assert not luhn_ok("35600000049837")  # fails Luhn…
    assert is_valid_siret("35600000049837")  # …but its digits sum to 45, a multiple of 5
    assert is_valid_siret("35600000000048")  # the head office is an ordinary Luhn number
    assert not is_valid_siret("35600000049838")


def test_siret_of_another_company_gets_no_la_poste_exception():
    # Same digit sum rule would accept this, but it is not La Poste: Luhn applies.
    assert not is_valid_siret("55203253400016")


def with_check_digit(body: str) -> str:
    for digit in "0123456789":
        if luhn_ok(body + digit):
            return body + digit
    raise AssertionError("Luhn always has one check digit")


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_every_body_has_exactly_one_valid_check_digit(body):
    valid = [d for d in "0123456789" if is_valid_siren(body + d)]
    assert len(valid) == 1


@given(
    st.text(alphabet="0123456789", min_size=8, max_size=8),
    st.integers(min_value=0, max_value=8),
    st.integers(min_value=1, max_value=9),
)
def test_any_single_digit_error_is_caught(body, position, shift):
    siren = with_check_digit(body)
    wrong = siren[:position] + str((int(siren[position]) + shift) % 10) + siren[position + 1:]
    assert not is_valid_siren(wrong)


@given(st.text(alphabet="0123456789", min_size=13, max_size=13))
def test_siret_requires_a_valid_siren_part(body):
    siret = with_check_digit(body)
    if siret.startswith("356000000"):
        return
    assert is_valid_siret(siret) == is_valid_siren(siret[:9])
    if is_valid_siret(siret):
        assert clean_siret(siret) == siret


ASCII_DIGITS = "0123456789"
# Digits of other scripts that str.isdigit() and int() accept (Arabic-Indic, Devanagari, full-width…).
OTHER_DIGITS = st.characters(categories=("Nd",), exclude_characters=ASCII_DIGITS)
OTHER_NUMERALS = st.characters(categories=("Nd", "No", "Nl"), exclude_characters=ASCII_DIGITS)


@pytest.mark.parametrize("value", [
    "\u0667\u0663\u0662\u0668\u0662\u0669\u0663\u0662\u0660",  # 732829320 in Arabic-Indic digits
    "73282932\u00b2",  # superscript two: isdigit() but not int()
    "\uff17\uff13\uff12\uff18\uff12\uff19\uff13\uff12\uff10",  # full-width, which stdnum would map
    "73282932\u0660",
])
def test_siren_refuses_digits_other_than_ascii(value):
    with pytest.raises(InvalidIdentifier):
        clean_siren(value)
    with pytest.raises(InvalidIdentifier):
        clean_siret(value + "00074")
    assert not luhn_ok(value)


@given(st.text(alphabet=ASCII_DIGITS, min_size=8, max_size=8), st.integers(0, 7), OTHER_DIGITS)
def test_a_valid_siren_with_one_digit_in_another_script_is_refused(body, position, other):
    # Same numeric value at the same place: only the script differs from a valid SIREN.
    body = body[:position] + str(unicodedata.digit(other)) + body[position + 1:]
    siren = with_check_digit(body)
    assert clean_siren(siren) == siren
    spoofed = siren[:position] + other + siren[position + 1:]
    with pytest.raises(InvalidIdentifier):
        clean_siren(spoofed)
    with pytest.raises(InvalidIdentifier):
        clean_siret(spoofed + "00012")


NEAR_IDENTIFIERS = st.text(st.one_of(st.sampled_from("0123456789 .-"), st.characters()), max_size=16)


@given(NEAR_IDENTIFIERS, OTHER_NUMERALS, NEAR_IDENTIFIERS)
def test_any_string_containing_a_non_ascii_digit_is_refused(before, numeral, after):
    value = before + numeral + after
    assert not is_valid_siren(value)
    assert not is_valid_siret(value)


@given(
    st.text(alphabet=ASCII_DIGITS, min_size=8, max_size=8),
    st.lists(st.sampled_from([" ", ".", "-", "\u00a0", "\u202f"]), min_size=9, max_size=9),
)
def test_valid_sirens_round_trip_through_the_separators_people_type(body, separators):
    siren = with_check_digit(body)
    written = "".join(digit + sep for digit, sep in zip(siren, separators, strict=True))
    assert clean_siren(written) == siren
    assert clean_siren(clean_siren(written)) == siren
    siret = with_check_digit(siren + "0001")
    if not siret.startswith(LA_POSTE_SIREN):
        assert clean_siret(" ".join([siret[:3], siret[3:6], siret[6:9], siret[9:]])) == siret


def test_la_poste_sirets_follow_stdnum_and_errors_name_the_rule():
    with translation.override("en"), pytest.raises(InvalidIdentifier, match="multiple of 5"):
        clean_siret("35600000049838")
