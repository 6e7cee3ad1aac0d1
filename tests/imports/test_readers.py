"""Reading CSV and XLSX bytes: every encoding and separator a spreadsheet writes, clear errors else."""

import csv
import io

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from poles.imports.readers import MAX_COLUMNS, UnreadableFile, read_table, sniff_delimiter

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"]
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèàçôÉ ÀŒœ'\"-", min_size=1, max_size=12).filter(str.strip)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def csv_bytes(rows: list[list[str]], *, delimiter: str, encoding: str, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


@settings(deadline=None)
@given(
    header=st.lists(words, min_size=2, max_size=5, unique=True),
    body=st.lists(st.lists(words, min_size=5, max_size=5), min_size=1, max_size=5),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(ENCODINGS),
)
def test_any_table_reads_back_whatever_its_encoding_and_separator(header, body, delimiter, encoding):
    rows = [row[: len(header)] for row in body]
    raw = csv_bytes([header, *rows], delimiter=delimiter, encoding=encoding)
    table = read_table("members.csv", content=raw)
    assert table.headers == header
    assert [values for _number, values in table.rows] == [dict(zip(header, r, strict=True)) for r in rows]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_excel_unicode_text_with_a_bom_and_tabs_is_decoded(encoding):
    raw = csv_bytes([["Raison sociale", "Ville"], ["Société Générale", "Paris"]], delimiter="\t",
                    encoding=encoding, bom=True)
    assert raw[:2] in (b"\xff\xfe", b"\xfe\xff")
    table = read_table("unicode.txt", content=raw)
    assert table.rows == [(2, {"Raison sociale": "Société Générale", "Ville": "Paris"})]


def test_commas_inside_quoted_values_do_not_win_over_semicolons():
    text = 'Nom;Ville;CA\n"Acme, Inc";Lyon;1,5\n"B, C";Paris;2,5\n'
    assert sniff_delimiter(text) == ";"
    assert read_table("m.csv", content=text.encode()).rows[0][1] == {"Nom": "Acme, Inc", "Ville": "Lyon", "CA": "1,5"}


def test_a_single_column_with_commas_stays_one_column():
    assert read_table("m.csv", content=b"nom\nAcme, Inc\n").rows == [(2, {"nom": "Acme, Inc"})]


def test_old_mac_line_ends_and_leading_blank_lines_are_read():
    assert read_table("m.csv", content=b"nom;ville\rAcme;Lyon\r").rows == [(2, {"nom": "Acme", "ville": "Lyon"})]
    assert read_table("m.csv", content=b"\n\nnom;ville\nAcme;Lyon\n").rows == [(4, {"nom": "Acme", "ville": "Lyon"})]


def test_nul_characters_are_refused_cell_by_cell():
    raw = b"nom;ville\nAc\x00me;Lyon\nGood;Lyon\nB;Ren\x00nes\n"
    with pytest.raises(UnreadableFile) as failure:
        read_table("m.csv", content=raw)
    located = [(c.row, c.column, c.value) for c in failure.value.cells]
    assert located == [(2, "nom", "Ac\u2400me"), (4, "ville", "Ren\u2400nes")]
    assert "NUL" in failure.value.cells[0].reason


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        ("nom;ville\n東京;大阪\n".encode("shift_jis"), "neither UTF-8, UTF-16 nor Windows-1252"),
        (b"\xff\xfeA\x00\x00\xd8", "not valid UTF-16"),
        (b'nom;ville\n"Acme;Lyon\nB;C\n', "line 2: a quoted value starts here and is never closed"),
        (b'nom;ville\n"' + b"x" * 200_000 + b'";Lyon\n', "line 2: a value longer than"),
        (b'nom;ville;nom\nA;B;C\n', "the header names the column “nom” twice (columns 1 and 3)"),
        ((";".join([f"c{i}" for i in range(10_000)]) + "\nx\n").encode(),
         f"the header has 10000 columns; at most {MAX_COLUMNS} are read"),
        (b"PK\x03\x04rest of a zip", "this is a ZIP archive (an XLSX workbook?), not CSV text"),
        (b"%PDF-1.4\n", "this is a PDF document, not CSV text"),
    ],
)
def test_unreadable_csv_says_what_is_wrong(raw, message):
    with pytest.raises(UnreadableFile) as failure:
        read_table("m.csv", content=raw)
    assert message in str(failure.value)


def test_a_row_wider_than_the_header_is_refused_with_its_number():
    raw = b"nom;ville\nAcme;Lyon\nAcme; SARL;Lyon\n" + ";".join(["x"] * 10_000).encode() + b"\n"
    with pytest.raises(UnreadableFile) as failure:
        read_table("m.csv", content=raw)
    assert [(c.row, c.reason[:30]) for c in failure.value.cells] == [
        (3, "this row has 3 cells but the h"), (4, "this row has 10000 cells but t")]


def test_trailing_empty_cells_are_not_extra_columns():
    assert read_table("m.csv", content=b"nom;ville;;\nAcme;Lyon;;\n").rows == [(2, {"nom": "Acme", "ville": "Lyon"})]
