"""Bounds checked on a file's raw bytes before it is read: a small XLSX cannot expand to a huge grid."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from poles.imports.limits import MAX_COLUMNS, TooLarge, check_extent, column_number

MB = 1024 * 1024


def workbook(fill) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["name", "siren"])
    fill(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(content: bytes, change) -> bytes:
    """The same workbook with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data)
    return out.getvalue()


@given(st.integers(min_value=1, max_value=16384))
def test_column_number_reads_spreadsheet_letters(number):
    assert column_number(get_column_letter(number).encode()) == number


def test_a_normal_member_list_passes():
    content = workbook(lambda sheet: [sheet.append([f"Org {n}", "552032534"]) for n in range(2000)])
    check_extent(content, "members.xlsx", max_rows=100_000, max_bytes=10 * MB)


def test_a_tiny_xlsx_with_a_far_row_is_refused_before_reading():
    content = workbook(lambda sheet: sheet.cell(row=200_000, column=1, value="x"))
    assert len(content) < 20_000
    with pytest.raises(TooLarge) as refused:
        check_extent(content, "bomb.xlsx", max_rows=100_000, max_bytes=10 * MB)
    assert (refused.value.what, refused.value.found, refused.value.limit) == ("rows", 200_000, 100_000)


def test_a_cell_in_column_xfd_is_refused():
    content = workbook(lambda sheet: sheet.cell(row=3, column=16384, value="x"))
    with pytest.raises(TooLarge) as refused:
        check_extent(content, "wide.xlsx", max_rows=100_000, max_bytes=10 * MB)
    assert refused.value.what == "columns" and refused.value.limit == MAX_COLUMNS


def test_a_declared_dimension_counts_even_without_cells():
    content = rewrite_sheet(workbook(lambda sheet: None),
                            lambda xml: xml.replace(b'ref="A1:B1"', b'ref="A1:C1048576"'))
    with pytest.raises(TooLarge) as refused:
        check_extent(content, "declared.xlsx", max_rows=100_000, max_bytes=10 * MB)
    assert refused.value.found == 1_048_576


def test_many_cells_are_refused_even_within_the_row_and_column_limits():
    content = workbook(lambda sheet: [sheet.cell(row=n, column=90, value="x") for n in range(2, 60_000, 997)]
                       + [sheet.cell(row=60_000, column=1, value="x")])
    with pytest.raises(TooLarge) as refused:
        check_extent(content, "cells.xlsx", max_rows=100_000, max_bytes=10 * MB)
    assert refused.value.what == "cells" and refused.value.found == 60_000 * 90


def test_a_workbook_that_unpacks_too_far_is_refused():
    content = rewrite_sheet(workbook(lambda sheet: None),
                            lambda xml: xml.replace(b"</worksheet>", b"<!--" + b" " * (30 * MB) + b"--></worksheet>"))
    assert len(content) < MB
    with pytest.raises(TooLarge) as refused:
        check_extent(content, "zipbomb.xlsx", max_rows=100_000, max_bytes=MB)
    assert refused.value.what == "bytes once unpacked"


def test_a_csv_with_too_many_lines_is_refused():
    content = b"nom;siren\n" + b"x;1\n" * 1001
    with pytest.raises(TooLarge) as refused:
        check_extent(content, "members.csv", max_rows=1000, max_bytes=MB)
    assert refused.value.what == "rows"
    check_extent(b"nom;siren\n" + b"x;1\n" * 999, "members.csv", max_rows=1000, max_bytes=MB)


def test_a_file_that_is_not_a_workbook_is_left_to_the_reader():
    check_extent(b"not a zip", "members.xlsx", max_rows=10, max_bytes=MB)
