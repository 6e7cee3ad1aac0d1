"""Generated SIRENs and SIRETs: valid, unique, in their own range."""

from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from poles.demo.sirens import PREFIX, check_digit, head_office_siret, siren_factory
from poles.registry.identifiers import LA_POSTE_SIREN, is_valid_siren, is_valid_siret, luhn_ok


@given(st.integers(min_value=0, max_value=2**32))
def test_siren_factory_gives_unique_luhn_valid_sirens_in_the_demo_range(seed):
    new = siren_factory(random.Random(seed))
    sirens = [new() for _ in range(200)]
    assert len(set(sirens)) == 200
    assert all(is_valid_siren(s) and s.startswith(PREFIX) and s != LA_POSTE_SIREN for s in sirens)
    assert all(is_valid_siret(head_office_siret(s)) for s in sirens)


@given(st.text(alphabet="0123456789", min_size=1, max_size=13))
def test_check_digit_completes_any_base(base):
    assert luhn_ok(base + check_digit(base))
