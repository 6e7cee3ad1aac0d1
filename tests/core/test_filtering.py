"""Row ids read from user text: ASCII digits a bigint column holds, nothing else."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from poles.core.filtering import INTEGER_MAX, row_id


def test_row_id_reads_ascii_digits():
    assert row_id("42") == 42
    assert row_id(str(INTEGER_MAX)) == INTEGER_MAX


def test_row_id_refuses_other_digits_signs_and_overflow():
    for raw in ["²", "٣", "４２", "-1", "+1", "1_000", " 1", "", str(INTEGER_MAX + 1)]:
        assert row_id(raw) is None, raw


@given(st.text())
def test_row_id_is_an_int_only_for_ascii_digits(raw):
    found = row_id(raw)
    assert found is None or (raw.isascii() and raw.isdigit() and found == int(raw) <= INTEGER_MAX)
