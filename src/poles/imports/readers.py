"""Reading tabular input (CSV or XLSX) into numbered rows with normalised headers.

Whatever the bytes, reading ends in a `Table` or an `UnreadableFile` that says what is wrong (a
damaged workbook, an unknown encoding, a quote never closed…), never in another exception. CSV
text may be UTF-8, UTF-16 (with or without BOM, as Excel's "Unicode text" writes it) or
Windows-1252, separated by `;`, `,` or tabs. Cells holding a NUL character are refused, each
located by row and column: the register cannot store them (PostgreSQL refuses them) and they mean
a damaged file or a wrong encoding more often than text anyone typed.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from poles.imports.headers import match_headers

MAX_COLUMNS = 1000
"""Widest header read; a member list has about twenty columns."""
MAX_CELL_PROBLEMS = 100
"""Located cell problems kept; the rest are counted."""
SNIFF_CHARS = 64 * 1024
DELIMITERS = (";", "\t", ",")
"""Candidates in order of preference when two fit a sample equally well."""
NUL = "\x00"
SHOWN_NUL = "\u2400"

ZIP = b"PK\x03\x04"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF = b"%PDF"
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


class CellProblem(NamedTuple):
    """A cell (or row) that cannot be read, located as a spreadsheet numbers it."""

    row: int | None
    column: str | None
    reason: str
    value: str | None = None


class UnreadableFile(ValueError):
    """The file cannot be read as the expected format; `cells` locates problems when it can."""

    def __init__(self, reason: str, cells: Sequence[CellProblem] = ()):
        super().__init__(reason)
        self.cells = tuple(cells)

    def problems(self) -> list[CellProblem]:
        """What to report: the located cells, or the whole-file reason."""
        return list(self.cells) or [CellProblem(None, None, str(self))]


@dataclass
class Table:
    """Rows of a file: the header as written, and each row as {header: value} with its number."""

    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]


@dataclass
class _Problems:
    """Cell problems collected while reading, the first MAX_CELL_PROBLEMS kept."""

    kept: list[CellProblem] = field(default_factory=list)
    more: int = 0

    def add(self, problem: CellProblem) -> None:
        if len(self.kept) < MAX_CELL_PROBLEMS:
            self.kept.append(problem)
        else:
            self.more += 1

    def raise_any(self) -> None:
        if not self.kept:
            return
        cells = list(self.kept)
        if self.more:
            cells.append(CellProblem(None, None, ngettext(
                "… and %(count)d more cell or row with such problems",
                "… and %(count)d more cells or rows with such problems", self.more) % {"count": self.more}))
        count = len(self.kept) + self.more
        raise UnreadableFile(
            ngettext("%(count)d cell or row cannot be read", "%(count)d cells or rows cannot be read", count)
            % {"count": count}, cells)


def _header(names: list[str]) -> list[str]:
    """The header's names up to its last non-empty one; too wide or a name twice is an error."""
    names = list(names)
    while names and not names[-1].strip():
        names.pop()
    if len(names) > MAX_COLUMNS:
        raise UnreadableFile(_("the header has %(count)d columns; at most %(max)d are read")
                             % {"count": len(names), "max": MAX_COLUMNS})
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name.strip():
            continue
        if name in seen:
            raise UnreadableFile(
                _("the header names the column “%(name)s” twice (columns %(first)d and %(second)d)")
                % {"name": name, "first": seen[name], "second": position})
        seen[name] = position
    return names


def _check_nul(number: int, headers: list[str], values: Sequence[Any], problems: _Problems) -> None:
    for position, value in enumerate(values):
        if isinstance(value, str) and NUL in value:
            column = headers[position] if position < len(headers) and headers[position] else None
            problems.add(CellProblem(
                number, column or _("column %(n)d") % {"n": position + 1},
                _("contains a NUL character (shown ␀), which the register cannot store: the file is "
                  "damaged or not in UTF-8, UTF-16 or Windows-1252"),
                value.replace(NUL, SHOWN_NUL)))


# -- CSV ------------------------------------------------------------------------------------------

def _refuse_binary(raw: bytes) -> None:
    """Formats that are not CSV text, named, instead of a page of garbled characters."""
    if raw.startswith(ZIP):
        raise UnreadableFile(_("this is a ZIP archive (an XLSX workbook?), not CSV text: give an "
                               "XLSX workbook the .xlsx extension, or save the sheet as CSV"))
    if raw.startswith(OLE2):
        raise UnreadableFile(_("this is an Excel 97–2003 (.xls) or another Office file, not CSV text: "
                               "save it as .xlsx or as CSV"))
    if raw.startswith(PDF):
        raise UnreadableFile(_("this is a PDF document, not CSV text"))


def _utf16_without_bom(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes of the start fall on one parity, as in UTF-16.

    Text in UTF-8 or Windows-1252 holds no NUL at all; UTF-16 puts one in the high byte of every
    Latin-1 character. Letters beyond Latin-1 (Œ, œ, ’…) have other high bytes, so a share of a
    third suffices when the other parity holds (nearly) none.
    """
    sample = raw[:2000]
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= len(odd) / 3 and even.count(0) <= 0.02 * len(even):
        return "utf-16-le"
    if even.count(0) >= len(even) / 3 and odd.count(0) <= 0.02 * len(odd):
        return "utf-16-be"
    return None


def _decode(raw: bytes) -> str:
    """Text from UTF-8/16/32 with a BOM, UTF-16 without one, UTF-8, then Windows-1252."""
    encoding = next((name for bom, name in BOMS if raw.startswith(bom)), None) or _utf16_without_bom(raw)
    if encoding:
        try:
            return raw.decode(encoding).lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise UnreadableFile(
                _("the file starts like %(encoding)s text but is not valid %(encoding)s (byte %(at)d)")
                % {"encoding": encoding.upper().removesuffix("-SIG"), "at": error.start}) from None
    for name in ("utf-8", "cp1252"):
        try:
            return raw.decode(name)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("the file's text is neither UTF-8, UTF-16 nor Windows-1252: save it as "
                           "“CSV UTF-8”"))


def _fit(sample: str, delimiter: str) -> tuple[int, int]:
    """How well a delimiter fits: rows as wide as the header, then the header's width."""
    try:
        rows = [r for r in csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
                if any(c.strip() for c in r)]
    except csv.Error:
        return (0, 0)
    if not rows or len(rows[0]) < 2:
        return (0, 0)
    width = len(rows[0])
    return (sum(len(r) == width for r in rows[1:]), width)


def sniff_delimiter(text: str) -> str:
    """`;`, tab or `,`: the one that splits the start of the file into the most even table."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    return max(DELIMITERS, key=lambda d: _fit(sample, d))


def _csv_error(error: csv.Error, line: int) -> UnreadableFile:
    message = str(error)
    if "unexpected end of data" in message:
        reason = _("line %(line)d: a quoted value starts here and is never closed (a missing \")")
    elif "field larger than field limit" in message:
        reason = _("line %(line)d: a value longer than %(limit)d characters (a quote never closed?)")
    else:
        reason = _("line %(line)d: badly quoted value (%(error)s)")
    return UnreadableFile(reason % {"line": line, "limit": csv.field_size_limit(), "error": message})


def _records(text: str) -> Iterator[tuple[int, list[str]]]:
    """(record number, cells) for every record; a malformed one ends in UnreadableFile."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text), strict=True)
    number = 0
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_error(error, start) from None
        number += 1
        yield number, values


def _read_csv(raw: bytes, name: str, max_rows: int | None = None) -> Table:
    _refuse_binary(raw)
    text = _decode(raw)
    if not text.strip():
        raise UnreadableFile(_("the file is empty"))
    headers: list[str] | None = None
    rows = []
    problems = _Problems()
    has_nul = NUL in text
    for number, values in _records(text):
        if headers is None:
            if any(v.strip() for v in values):
                headers = _header(values)
                if has_nul:
                    _check_nul(number, headers, values, problems)
            continue
        if not any(v.strip() for v in values):
            continue
        if max_rows is not None and len(rows) >= max_rows:
            break
        if len(values) > len(headers) and any(v.strip() for v in values[len(headers):]):
            problems.add(CellProblem(number, None, _(
                "this row has %(found)d cells but the header has %(expected)d columns: a separator "
                "inside a value that is not quoted?") % {"found": len(values), "expected": len(headers)}))
        if has_nul:
            _check_nul(number, headers, values, problems)
        rows.append((number, dict(zip(headers, values, strict=False))))
    problems.raise_any()
    return Table(name, headers or [], rows)


# -- XLSX -----------------------------------------------------------------------------------------

def _not_a_workbook(detail: str) -> UnreadableFile:
    return UnreadableFile(_("not a readable XLSX workbook: %(detail)s") % {"detail": detail})


def _check_workbook_bytes(raw: bytes) -> None:
    """Name what the bytes are when they cannot be an XLSX workbook."""
    if not raw:
        raise UnreadableFile(_("the file is empty"))
    if raw.startswith(PDF):
        raise _not_a_workbook(_("this is a PDF document"))
    if raw.startswith(OLE2):
        raise _not_a_workbook(_("this is an Excel 97–2003 (.xls) file or a password-protected workbook; "
                                "save it as .xlsx without a password"))
    if not raw.startswith(ZIP) or not zipfile.is_zipfile(io.BytesIO(raw)):
        raise _not_a_workbook(_("the file is not the ZIP archive an .xlsx is (a truncated download, or "
                                "another format renamed .xlsx?)"))
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        parts = set(archive.namelist())
    if "[Content_Types].xml" not in parts or not any(p.startswith("xl/") for p in parts):
        raise _not_a_workbook(_("a ZIP archive, but without the parts of a spreadsheet"))


def _sheet_table(workbook: Any, name: str, max_rows: int | None = None) -> Table:
    if not workbook.worksheets:
        raise _not_a_workbook(_("the workbook has no worksheet"))
    iterator: Iterator[tuple[Any, ...]] = workbook.worksheets[0].iter_rows(values_only=True)
    headers: list[str] | None = None
    rows = []
    problems = _Problems()
    for number, values in enumerate(iterator, start=1):
        if headers is None:
            if any(v not in (None, "") for v in values):
                headers = _header(["" if v is None else str(v).strip() for v in values])
                _check_nul(number, headers, values, problems)
            continue
        values = values[: len(headers)]
        if not any(v not in (None, "") for v in values):
            continue
        if max_rows is not None and len(rows) >= max_rows:
            break
        _check_nul(number, headers, values, problems)
        rows.append((number, dict(zip(headers, values, strict=False))))
    if headers is None:
        raise UnreadableFile(_("the first sheet is empty"))
    problems.raise_any()
    return Table(name, headers, rows)


def _read_xlsx(raw: bytes, name: str, max_rows: int | None = None) -> Table:
    _check_workbook_bytes(raw)
    # openpyxl parses untrusted XML inside a ZIP, lazily: any exception it raises, at opening or
    # while reading rows (bad ZIP member, broken XML, missing part…), means a damaged workbook.
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 — see above
        raise _not_a_workbook(f"{type(error).__name__}: {error}") from None
    try:
        return _sheet_table(workbook, name, max_rows)
    except UnreadableFile:
        raise
    except Exception as error:  # noqa: BLE001 — see above
        raise _not_a_workbook(f"{type(error).__name__}: {error}") from None
    finally:
        workbook.close()


def read_table(path: Path | str, *, content: bytes | None = None, name: str | None = None,
               max_rows: int | None = None) -> Table:
    """Read a CSV (`;`, `,` or tab separated) or XLSX file; `content` for an uploaded file.

    `max_rows` stops after that many rows below the header (a preview needs the first few only).
    """
    path = Path(path)
    name = name or path.name
    if content is None:
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise UnreadableFile(_("no such file: %(path)s") % {"path": path}) from None
        except OSError as error:
            raise UnreadableFile(_("cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(content, name, max_rows)
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(content, name, max_rows)
    if suffix == ".xls":
        raise UnreadableFile(_("an .xls file is in the Excel 97–2003 format: save it as .xlsx or as CSV"))
    raise UnreadableFile(f"{name}: expected a .csv or .xlsx file")


def map_headers(headers: list[str], aliases: dict[str, set[str]]) -> tuple[dict[str, str], list[str]]:
    """Match written headers to canonical column names; returns (written → canonical, ignored)."""
    match = match_headers(headers, aliases)
    return match.mapping, match.ignored
