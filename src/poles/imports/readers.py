"""Reading tabular input (CSV or XLSX) into numbered rows with normalised headers."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


class UnreadableFile(ValueError):
    """The file cannot be read as the expected format."""


def normalise_header(text: Any) -> str:
    """Lower case, no accents, words joined by single underscores: 'Code postal' → 'code_postal'."""
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")


@dataclass
class Table:
    """Rows of a file: the header as written, and each row as {header: value} with its number."""

    name: str
    headers: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("the file is neither UTF-8 nor Windows-1252 text")


def _read_csv(raw: bytes, name: str) -> Table:
    text = _decode(raw)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        headers = next(reader)
    except StopIteration:
        raise UnreadableFile("the file is empty") from None
    rows = []
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        rows.append((number, dict(zip(headers, values, strict=False))))
    return Table(name, headers, rows)


def _read_xlsx(raw: bytes, name: str) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        raise UnreadableFile(f"not a readable XLSX workbook ({error})") from None
    sheet = workbook.worksheets[0]
    iterator: Iterator[tuple[Any, ...]] = sheet.iter_rows(values_only=True)
    try:
        headers = [str(h).strip() if h is not None else "" for h in next(iterator)]
    except StopIteration:
        raise UnreadableFile("the first sheet is empty") from None
    rows = []
    for number, values in enumerate(iterator, start=2):
        if not any(v not in (None, "") for v in values):
            continue
        rows.append((number, dict(zip(headers, values, strict=False))))
    workbook.close()
    return Table(name, headers, rows)


def read_table(path: Path | str, *, content: bytes | None = None, name: str | None = None) -> Table:
    """Read a CSV (`;`, `,` or tab separated) or XLSX file; `content` for an uploaded file."""
    path = Path(path)
    name = name or path.name
    if content is None:
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            raise UnreadableFile(f"no such file: {path}") from None
        except OSError as error:
            raise UnreadableFile(f"cannot read {path}: {error.strerror}") from None
    suffix = Path(name).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        return _read_xlsx(content, name)
    if suffix in {".csv", ".txt", ".tsv"}:
        return _read_csv(content, name)
    raise UnreadableFile(f"{name}: expected a .csv or .xlsx file")


def map_headers(headers: list[str], aliases: dict[str, set[str]]) -> tuple[dict[str, str], list[str]]:
    """Match written headers to canonical column names; returns (written → canonical, unknown)."""
    lookup = {normalise_header(alias): canonical for canonical, names in aliases.items()
              for alias in names | {canonical}}
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for header in headers:
        canonical = lookup.get(normalise_header(header))
        if canonical and canonical not in mapping.values():
            mapping[header] = canonical
        elif header:
            unknown.append(header)
    return mapping, unknown
