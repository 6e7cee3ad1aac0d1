"""The one CSV/XLSX writer: text never becomes a formula, numbers and dates keep their type."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from poles.core.tables import (
    DANGEROUS,
    EXCHANGE,
    FRENCH,
    MACHINE,
    SPREADSHEET,
    csv_cell,
    csv_line,
    csv_text,
    escape,
    unescape,
    xlsx_bytes,
)

PAYLOADS = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1:A2)", "\t=1+1", "\r=1+1",
            "=cmd|' /C calc'!A0"]
texts = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("=+-@\t\r'"), max_size=30)


def read_back(text: str, dialect=MACHINE) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=dialect.delimiter))


@given(texts)
@example("'=x")
@example("''+x")
@example("'")
@example("'abc")
def test_escape_is_reversible_and_never_starts_with_a_dangerous_character(text):
    escaped = escape(text)
    assert unescape(escaped) == text
    assert escaped[:1] not in DANGEROUS
    if escaped != text:
        assert escaped == "'" + text


@given(texts)
def test_a_text_cell_read_back_from_csv_is_inert_and_unescapes_to_the_text(text):
    for dialect in (MACHINE, SPREADSHEET, FRENCH, EXCHANGE):
        (cell,) = read_back(csv_text(["h"], [[text]], dialect), dialect)[1]
        assert cell[:1] not in DANGEROUS
        assert unescape(cell) == text


values = st.one_of(texts, st.none(), st.integers(), st.booleans(), st.decimals(allow_nan=False, places=2),
                   st.floats(allow_nan=False, allow_infinity=False), st.dates())


@given(st.lists(values, min_size=1, max_size=6), st.sampled_from([MACHINE, FRENCH, EXCHANGE]))
def test_the_short_path_of_a_line_writes_each_cell_as_csv_cell_does(row, dialect):
    cells = [csv_cell(v, dialect) for v in row]
    expected = dialect.delimiter.join(['""'] if cells == [""] else cells) + dialect.lineterminator
    assert csv_line(row, dialect) == expected


@pytest.mark.parametrize("payload", PAYLOADS)
def test_dangerous_text_gets_an_apostrophe_in_csv(payload):
    assert csv_cell(payload)[:2] in ("'=", "'+", "'-", "'@", "'\t", "'\r", "\"'")
    assert read_back(csv_text(["name"], [[payload]]))[1] == ["'" + payload]


def test_numbers_dates_and_booleans_keep_their_type_and_are_not_escaped():
    line = csv_text(["a", "b", "c", "d", "e", "f"],
                    [[-5, Decimal("-1234.50"), -0.25, dt.date(2025, 1, 2), True, None]]).splitlines()[1]
    assert line == "-5,-1234.50,-0.25,2025-01-02,true,"


def test_french_dialect_uses_semicolons_and_decimal_commas():
    text = csv_text(["Nom", "Montant"], [["Acme", Decimal("-98765.43")], ["=1+1", 2.5]], FRENCH)
    assert text.startswith("\ufeff")
    assert text.removeprefix("\ufeff").splitlines() == ["Nom;Montant", "Acme;-98765,43", "'=1+1;2,5"]


@pytest.mark.parametrize("text", ["x;=1+1", "x,=1+1", "x\t=1+1"])
def test_text_holding_any_usual_separator_is_quoted_whatever_the_delimiter(text):
    for dialect in (MACHINE, FRENCH):
        assert csv_cell(text, dialect) == f'"{text}"'


def test_a_row_of_one_empty_cell_is_not_an_empty_line():
    assert csv_text(["a"], [[""]]).splitlines()[1] == '""'


def sheet_cells(content: bytes):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows()]


def test_xlsx_writes_dangerous_text_as_quote_prefixed_string_cells():
    rows = sheet_cells(xlsx_bytes("t", ["name"], [[p] for p in PAYLOADS]))
    for cell, payload in zip((row[0] for row in rows[1:]), PAYLOADS, strict=True):
        assert cell.data_type == "s" and cell.quotePrefix
        assert cell.value == payload.replace("\r", "\n")  # XML parsers read a CR as a line feed


@settings(deadline=None, max_examples=50)  # each example writes and reads a workbook
@given(texts)
def test_no_xlsx_text_cell_is_ever_a_formula(text):
    (cell,) = sheet_cells(xlsx_bytes("t", ["h"], [[text]]))[1]
    assert cell.data_type != "f"
    if text:
        assert cell.data_type == "s"


def test_xlsx_keeps_numbers_dates_and_booleans_as_such():
    stamp = dt.datetime(2025, 1, 2, 10, 30, tzinfo=dt.UTC)
    cells = sheet_cells(xlsx_bytes("t", list("abcde"), [[-5, Decimal("-12.50"), dt.date(2025, 1, 2), stamp, False]]))[1]
    assert [c.value for c in cells] == [-5, -12.5, dt.datetime(2025, 1, 2), dt.datetime(2025, 1, 2, 10, 30), False]
    assert [c.data_type for c in cells] == ["n", "n", "d", "d", "b"]


def test_xlsx_replaces_characters_a_workbook_cannot_hold():
    (cell,) = sheet_cells(xlsx_bytes("a:b/c", ["h"], [["bad\x01char"]]))[1]
    assert cell.value == "bad\ufffdchar"
