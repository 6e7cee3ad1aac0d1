"""Bounds on an uploaded file's grid, measured before it is read.

A 60 KB XLSX can declare a million rows or a cell in column XFD: the reader would then build
millions of cells. These checks look at the raw bytes only (the XLSX's zip directory and sheet
XML, the CSV's lines), stop as soon as a bound is passed, and never build a cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath

MAX_COLUMNS = 100
"""A member list has about twenty columns; a sheet wider than this is not one."""
MAX_CELLS = 2_000_000
"""Rows × columns the reader may build (about 40,000 rows of 50 columns)."""
EXPANSION = 20
"""An XLSX may unpack to at most this many times the upload limit."""

_CELL_REF = re.compile(rb'\br="([A-Z]{0,3})(\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"')
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")


class TooLarge(ValueError):
    """The file passes a bound: `what` is rows, columns, cells or "bytes once unpacked"."""

    def __init__(self, what: str, found: int, limit: int) -> None:
        super().__init__(what, found, limit)
        self.what, self.found, self.limit = what, found, limit

    def __str__(self) -> str:
        return f"the file has more than {self.limit:,} {self.what} ({self.found:,} found)"


def column_number(letters: bytes) -> int:
    """b'A' → 1, b'AB' → 28, b'XFD' → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def check_extent(content: bytes, name: str, *, max_rows: int, max_bytes: int) -> None:
    """Raise TooLarge when the file's grid would pass `max_rows`, MAX_COLUMNS or MAX_CELLS."""
    suffix = PurePath(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        _check_xlsx(content, max_rows=max_rows, max_bytes=max_bytes)
    else:
        _check_csv(content, max_rows=max_rows)


def _bounds(rows: int, columns: int, max_rows: int) -> None:
    if rows > max_rows:
        raise TooLarge("rows", rows, max_rows)
    if columns > MAX_COLUMNS:
        raise TooLarge("columns", columns, MAX_COLUMNS)
    if rows * columns > MAX_CELLS:
        raise TooLarge("cells", rows * columns, MAX_CELLS)


def _check_csv(content: bytes, *, max_rows: int) -> None:
    lines = max(content.count(b"\n"), content.count(b"\r"))
    first = re.split(rb"[\r\n]", content[:1 << 20], maxsplit=1)[0]
    columns = 1 + max(first.count(b";"), first.count(b","), first.count(b"\t"))
    _bounds(lines, columns, max_rows)


def _check_xlsx(content: bytes, *, max_rows: int, max_bytes: int) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a workbook: the reader says so in its own words
    unpacked = sum(member.file_size for member in members)
    if unpacked > EXPANSION * max_bytes:
        raise TooLarge("bytes once unpacked", unpacked, EXPANSION * max_bytes)
    for member in members:
        if "worksheets/" in member.filename and member.filename.endswith(".xml"):
            _check_sheet(archive, member, max_rows)


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo, max_rows: int) -> None:
    """Stream the sheet XML: the declared dimension, row tags and the farthest cell reference."""
    rows = columns = tags = 0
    tail = b""
    try:
        with archive.open(member) as sheet:
            while chunk := sheet.read(1 << 20):
                text = tail + chunk
                cut = text.rfind(b">") + 1  # scan whole tags only; the rest waits for the next chunk
                scanned, tail = text[:cut], text[cut:][-(1 << 20):]
                rows, columns, tags = _scan(scanned, rows, columns, tags)
                _bounds(max(rows, tags), max(columns, 1), max_rows)
            rows, columns, tags = _scan(tail, rows, columns, tags)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        if isinstance(error, TooLarge):
            raise
        return
    _bounds(max(rows, tags), max(columns, 1), max_rows)


def _scan(text: bytes, rows: int, columns: int, tags: int) -> tuple[int, int, int]:
    for letters, number in _CELL_REF.findall(text):
        rows = max(rows, int(number))
        if letters:
            columns = max(columns, column_number(letters))
    for first_col, first_row, last_col, last_row in _DIMENSION.findall(text):
        rows = max(rows, int(last_row or first_row))
        columns = max(columns, column_number(last_col or first_col))
    return rows, columns, tags + len(_ROW_TAG.findall(text))
