import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.registry.identifiers import (
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
    with pytest.raises(InvalidIdentifier, match="check digit"):
        clean_siren("552032535")
    with pytest.raises(InvalidIdentifier, match="9 digits"):
        clean_siren("1234")


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
