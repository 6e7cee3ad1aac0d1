"""CSV and XLSX downloads of a table: the same columns and rows the page shows.

Both go through `poles.core.tables`, which keeps formulas out of every cell (CSV injection).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

from poles.core.tables import SPREADSHEET, Dialect, csv_text, xlsx_bytes

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]],
                 dialect: Dialect = SPREADSHEET) -> HttpResponse:
    """A UTF-8 CSV (with BOM, so spreadsheet programs read accents right)."""
    response = HttpResponse(csv_text(headers, rows, dialect), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An XLSX workbook with one sheet, numbers kept as numbers."""
    response = HttpResponse(xlsx_bytes(filename, headers, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(fmt: str, filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]],
                   dialect: Dialect = SPREADSHEET) -> HttpResponse:
    """The table in the asked format (csv or xlsx); `dialect` sets the CSV's separators."""
    if fmt == "xlsx":
        return xlsx_response(filename, headers, rows)
    return csv_response(filename, headers, rows, dialect)
