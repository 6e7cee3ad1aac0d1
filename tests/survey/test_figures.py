"""The report's figures: the catalogue, reading what a person typed, register against declared."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.calls.reasons import en_number, fr_number
from poles.survey.figures import (
    BY_CODE,
    FIGURES,
    FUNDERS,
    INSTRUMENTS,
    MEMBER_CATEGORIES,
    as_text,
    frozen,
    parse,
    private_share,
    problems,
    read_declared,
    rows,
    shown,
)

amounts = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False)


@given(amounts)
def test_an_amount_written_the_french_or_the_english_way_reads_back(value):
    for written in (fr_number(value), en_number(value), f"{value}", f"{fr_number(value)} €"):
        parsed, problem = parse(written, "eur")
        assert problem is None and parsed == value, written


@given(st.integers(min_value=0, max_value=10**9))
def test_a_count_reads_back_and_its_text_form_is_whole(n):
    parsed, problem = parse(f"{n:,}".replace(",", "\u202f"), "count")
    assert problem is None and parsed == n
    assert as_text(parsed) == str(n)


@pytest.mark.parametrize(("text", "unit", "reason"), [
    ("douze", "count", "“douze” is not a number."),
    ("-3", "count", "A negative value makes no sense here."),
    ("2,5", "count", "A whole number is expected."),
    ("8,25", "fte", "At most 1 decimal place(s)."),
    ("1,0051", "eur", "At most 2 decimal place(s)."),
    ("1e15", "eur", "Value too large: check what you typed."),
    ("NaN", "eur", "“NaN” is not a number."),
])
def test_what_is_not_a_value_of_its_unit_is_refused_with_the_reason(text, unit, reason):
    value, problem = parse(text, unit)
    assert value is None and problem is not None and problem.en == reason


@given(st.integers(min_value=0, max_value=10**11))
def test_whole_amounts_with_english_thousands_commas_read_back(n):
    assert parse(f"{n:,}", "eur") == (n, None)


def test_an_empty_entry_keeps_the_register_value():
    assert parse("  ", "eur") == (None, None)
    values, errors = read_declared({"staff_fte": "", "members_total": "12", "unknown_code": "3"})
    assert values == {"members_total": "12"} and errors == {}


def test_stored_declared_values_that_no_longer_parse_name_their_figure():
    (problem,) = problems({"staff_fte": "8.25"})
    assert problem.en.startswith("staff (FTE):")
    assert problems({"staff_fte": "8.5", "budget_state": "1000.50"}) == ()


def test_a_figure_is_corrected_only_when_the_declared_value_differs_from_the_register():
    by_code = {r.figure.code: r for r in rows({"staff_fte": "8", "patents": None, "members_total": "4"},
                                              {"staff_fte": "8.0", "patents": "2", "members_total": "5"})}
    assert not by_code["staff_fte"].corrected
    assert by_code["patents"].corrected and by_code["patents"].value == "2"
    assert by_code["members_total"].corrected and by_code["members_total"].value == "5"
    assert not by_code["jobs_created"].corrected and by_code["jobs_created"].value is None


def test_the_frozen_figures_cover_the_whole_catalogue():
    snapshot = frozen({"staff_fte": "8"}, {"staff_fte": "9"})
    assert list(snapshot) == [f.code for f in FIGURES]
    assert snapshot["staff_fte"] == {"register": "8", "declared": "9", "value": "9", "corrected": True}


def test_the_private_share_is_fees_and_services_over_the_whole_budget():
    assert private_share({"budget_membership_fees": "300", "budget_services": "200", "budget_state": "500"}) \
        == Decimal("0.5")
    assert private_share({}) is None


def test_values_are_shown_the_reader_s_way():
    assert shown("1234567.5", "eur", "fr") == "1\u202f234\u202f567,5 €"
    assert shown("1234567.5", "eur", "en") == "€1,234,567.5"
    assert shown(None, "count") == "—"


def test_every_code_is_unique_and_labelled_in_both_languages():
    assert len(BY_CODE) == len(FIGURES)
    assert all(f.fr and f.en for f in FIGURES)


def test_the_catalogue_follows_the_register_s_categories_funders_and_instruments():
    from poles.projects.models import Funder, Funding
    from poles.web.figures import CATEGORY_ORDER

    assert [code for code, *_ in MEMBER_CATEGORIES] == [str(c) for c in CATEGORY_ORDER]
    assert [code for code, *_ in FUNDERS] == list(Funder.values)
    assert [code for code, *_ in INSTRUMENTS] == list(Funding.Instrument.values)
