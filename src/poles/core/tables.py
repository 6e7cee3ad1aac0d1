"""One writer for every CSV and XLSX the project produces: no text cell can become a formula.

Spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@`, tab or carriage return as a
formula (CSV injection, OWASP). Text cells so starting are written with a leading apostrophe in
CSV and as quote-prefixed string cells in XLSX; numbers, dates and booleans keep their type, so a
negative amount stays a number. The CSV escape is reversible (`unescape`): `poles export` then
`poles load` gives back the exact text. Text holding any usual separator (`,` `;` tab) is quoted
whatever the file's delimiter, so a program that splits on another one cannot start a cell inside
it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

DANGEROUS = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet read a cell as a formula."""
QUOTE = "'"
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_SEPARATORS = ',;\t"\r\n'
_NEEDS_QUOTES = re.compile('[,;\t"\r\n]')
_ESCAPE_FIRST = DANGEROUS | {QUOTE}
XLSX_TITLE = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Dialect:
    """How a CSV is written: delimiter, decimal separator, line end, and a BOM for spreadsheets."""

    delimiter: str = ","
    decimal: str = "."
    lineterminator: str = "\r\n"
    bom: bool = False


SPREADSHEET = Dialect(bom=True)
"""Page downloads: UTF-8 with BOM so spreadsheet programs read accents right, `,` and `.`."""
FRENCH = Dialect(delimiter=";", decimal=",", bom=True)
"""Page downloads for a French spreadsheet: `;` between cells, decimal comma."""
MACHINE = Dialect()
"""The API's CSV lists: `,`, `.`, no BOM."""
EXCHANGE = Dialect(lineterminator="\n")
"""`poles export`: `,`, `.`, Unix line ends."""


def is_dangerous(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula."""
    return text[:1] in DANGEROUS


def escape(text: str) -> str:
    """`text` made inert for a CSV cell: an apostrophe before a dangerous first character.

    A text that already starts with apostrophes followed by a dangerous character gets one more,
    so that `unescape` gives back exactly what was written.
    """
    first = text[:1]
    if first in DANGEROUS or (first == QUOTE and _ESCAPED.match(text)):
        return QUOTE + text
    return text


def unescape(text: str) -> str:
    """The inverse of `escape`: `unescape(escape(x)) == x` for every text."""
    return text[1:] if _ESCAPED.match(text) else text


def is_number(value: Any) -> bool:
    """Numbers keep their type in a table (booleans are not numbers here)."""
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def is_typed(value: Any) -> bool:
    """None, booleans, numbers and dates: written as they are, never escaped."""
    return value is None or isinstance(value, bool | dt.date | dt.time) or is_number(value)


def plain(value: Any, dialect: Dialect = MACHINE) -> str:
    """A value as text before any escape: '' for None, ISO dates, decimals without exponent."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", dialect.decimal)
    if isinstance(value, float):
        return repr(value).replace(".", dialect.decimal)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def csv_cell(value: Any, dialect: Dialect = MACHINE) -> str:
    """One CSV field as written in the file: text escaped, then quoted when it must be."""
    if value is None:
        return ""
    if type(value) is int:
        return str(value)
    if not isinstance(value, str) and is_typed(value):
        text = plain(value, dialect)
        return f'"{text}"' if dialect.delimiter in text else text
    text = escape(value if isinstance(value, str) else str(value))
    if _NEEDS_QUOTES.search(text) or (dialect.delimiter not in _SEPARATORS and dialect.delimiter in text):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(values: Sequence[Any], dialect: Dialect = MACHINE) -> str:
    """One CSV record with its line end (a lone empty field is written `""`, as csv.writer does).

    Plain text, None and int, most of any table, take a short path here; `csv_cell` does the rest.
    """
    cells = []
    odd_delimiter = dialect.delimiter not in _SEPARATORS
    for value in values:
        kind = type(value)
        if kind is str and not odd_delimiter:
            if value[:1] in _ESCAPE_FIRST:
                value = escape(value)
            if _NEEDS_QUOTES.search(value):
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        elif value is None:
            cells.append("")
        elif kind is int:
            cells.append(str(value))
        else:
            cells.append(csv_cell(value, dialect))
    if cells == [""]:
        cells = ['""']
    return dialect.delimiter.join(cells) + dialect.lineterminator


def csv_lines(headers: Sequence[Any], rows: Iterable[Sequence[Any]], dialect: Dialect = MACHINE) -> Iterator[str]:
    """The header line (after a BOM when the dialect asks for it), then one line per row."""
    yield ("\ufeff" if dialect.bom else "") + csv_line(headers, dialect)
    for row in rows:
        yield csv_line(row, dialect)


def csv_text(headers: Sequence[Any], rows: Iterable[Sequence[Any]], dialect: Dialect = MACHINE) -> str:
    """The whole CSV as one string."""
    return "".join(csv_lines(headers, rows, dialect))


def write_csv(handle: IO[str], headers: Sequence[Any], rows: Iterable[Sequence[Any]],
              dialect: Dialect = MACHINE) -> int:
    """Write the CSV to an open text file (opened with newline=''); returns the number of rows."""
    lines = csv_lines(headers, rows, dialect)
    handle.write(next(lines))
    count = 0
    for line in lines:
        handle.write(line)
        count += 1
    return count


def _xlsx_value(sheet: Any, value: Any, number_format: str | None = None) -> Any:
    """A value for an XLSX cell: numbers, dates and booleans as themselves, text as a string cell."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int | float | Decimal):
        number = float(value) if isinstance(value, Decimal) else value
        if not number_format:
            return number
        cell = WriteOnlyCell(sheet, value=number)
        cell.number_format = number_format
        return cell
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date | dt.time):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(value))
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if is_dangerous(text):
        cell.quotePrefix = True
    return cell


def sheet_title(name: str) -> str:
    """A valid worksheet title: no []:*?/\\ and at most 31 characters."""
    return XLSX_TITLE.sub("-", name)[:31] or "Sheet"


@dataclass
class Sheet:
    """One worksheet: a header row (bold), rows, and optionally a number format and a width per column."""

    title: str
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    number_formats: Sequence[str | None] = ()
    widths: Sequence[float | None] = ()


def xlsx_workbook(sheets: Iterable[Sheet]) -> bytes:
    """An XLSX workbook of these sheets: numbers as numbers (in their format), text never a formula."""
    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(sheet_title(spec.title))
        for position, width in enumerate(spec.widths, start=1):
            if width:
                sheet.column_dimensions[get_column_letter(position)].width = width
        header = []
        for value in spec.headers:
            cell = _xlsx_value(sheet, value)
            if isinstance(cell, Cell):
                cell.font = BOLD
            header.append(cell)
        sheet.append(header)
        formats = list(spec.number_formats)
        for row in spec.rows:
            sheet.append([_xlsx_value(sheet, v, formats[i] if i < len(formats) else None)
                          for i, v in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]],
               number_formats: Sequence[str | None] = ()) -> bytes:
    """An XLSX workbook with one sheet: numbers as numbers, text as string cells, never formulas."""
    return xlsx_workbook([Sheet(title, headers, rows, number_formats)])
