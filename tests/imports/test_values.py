import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.imports.values import (
    excel_serial_to_date,
    parse_bool,
    parse_date,
    parse_decimal,
    parse_int,
    parse_money,
)


@pytest.mark.parametrize(
    "text, expected",
    [("1234", "1234"), ("1 234,50", "1234.50"), ("1234.5", "1234.5"), ("1\u202f234 €", "1234"),
     ("1,234.50", "1234.50"), (1234, "1234"), (12.5, "12.5"), ("-3", "-3")],
)
def test_decimal_reads_french_and_english_writing(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["douze", "12 EUR 50", "1.2.3", "abc", "1,2,3"])
def test_decimal_rejects_text_never_zero(text):
    with pytest.raises(ValueError, match="nombre"):
        parse_decimal(text)


@pytest.mark.parametrize("empty", [None, "", "  ", "-", "NA", "n/a"])
def test_empty_cells_are_missing(empty):
    assert parse_decimal(empty) is None
    assert parse_date(empty) is None


@given(st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False))
def test_decimal_round_trips_french_formatting(value):
    text = f"{value:,.2f}".replace(",", " ").replace(".", ",")
    assert parse_decimal(text) == value


@given(st.decimals(min_value=0, max_value=10**12, places=3, allow_nan=False))
def test_money_is_rounded_to_the_cent(value):
    assert parse_money(str(value)) == value.quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_money_refuses_negative_amounts():
    with pytest.raises(ValueError, match="au moins 0"):
        parse_money("-5")


def test_int_refuses_fractions():
    assert parse_int("12") == 12
    with pytest.raises(ValueError, match="entier"):
        parse_int("12.5")


def test_excel_day_numbers_become_dates():
    assert excel_serial_to_date(1) == dt.date(1899, 12, 31)
    assert excel_serial_to_date(44197) == dt.date(2021, 1, 1)
    assert parse_date("44197") == dt.date(2021, 1, 1)
    assert parse_date(44197.0) == dt.date(2021, 1, 1)


@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_excel_serial_round_trip(day):
    serial = (day - dt.date(1899, 12, 30)).days
    assert parse_date(serial) == day


@pytest.mark.parametrize("text, expected", [("2021-09-01", dt.date(2021, 9, 1)), ("01/09/2021", dt.date(2021, 9, 1)),
                                            (dt.datetime(2021, 9, 1, 12), dt.date(2021, 9, 1))])
def test_dates_in_usual_writings(text, expected):
    assert parse_date(text) == expected


def test_date_rejects_text():
    with pytest.raises(ValueError, match="date"):
        parse_date("next monday")


@pytest.mark.parametrize("text, expected", [("oui", True), ("Non", False), ("TRUE", True), (False, False), ("1", True)])
def test_bool(text, expected):
    assert parse_bool(text) is expected


def test_bool_rejects_other_words():
    with pytest.raises(ValueError):
        parse_bool("peut-être")
