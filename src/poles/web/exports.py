"""CSV and XLSX downloads of a table: the same columns and rows the page shows, as a spreadsheet reads them.

Both go through `poles.core.tables`, which keeps formulas out of every cell (CSV injection). A CSV
follows the reader's spreadsheet: in French `;` between cells and a decimal comma (French Excel
otherwise opens it in one column), UTF-8 with a BOM; in English `,` and `.`; `?csv=fr` or
`?csv=standard` chooses. Figures are rounded as the page shows them (a share as a percentage with
the page's decimals, amounts to the euro or the cent); choices are written by their label in the
reader's language. An XLSX keeps numbers as numbers, with a number format per column. The API's
CSV is another matter: machine-friendly (`,`, `.`, codes), see `poles.api.lists`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language

from poles.core.tables import FRENCH, SPREADSHEET, Dialect, csv_text, xlsx_bytes

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DIALECTS = {"fr": FRENCH, "standard": SPREADSHEET}
"""`?csv=` choices: "Excel (France)" and "standard"."""


@dataclass(frozen=True)
class Column:
    """A column of a download: its header and how its figures are written.

    kind: `text`, `int` (a count), `year`, `eur` (an amount, `decimals` after the point) or `share`
    (a fraction 0–1, written as a percentage with `decimals`).
    """

    label: Any
    kind: str = "text"
    decimals: int = 0

    def csv(self, value: Any) -> Any:
        """The value as the CSV writes it: rounded as displayed, a share as a percentage."""
        if value is None or self.kind in {"text", "year"} or isinstance(value, bool):
            return value
        if self.kind == "int":
            return int(value)
        number = Decimal(value) * (100 if self.kind == "share" else 1)
        return number.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    def xlsx(self, value: Any) -> Any:
        """The value as the workbook stores it: a number, rounded to what its format shows."""
        if value is None or self.kind == "text" or isinstance(value, bool):
            return value
        if self.kind in {"int", "year"}:
            return int(value)
        places = self.decimals + (2 if self.kind == "share" else 0)
        return Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    @property
    def number_format(self) -> str | None:
        """The XLSX number format: grouped thousands, euros, percentages."""
        decimals = "." + "0" * self.decimals if self.decimals else ""
        return {
            "int": "#,##0", "year": "0", "eur": f'#,##0{decimals}\\ "€"', "share": f"0{decimals}%",
        }.get(self.kind)


def columns_of(headers: Sequence[Any]) -> list[Column]:
    return [h if isinstance(h, Column) else Column(h) for h in headers]


def dialect_for(request: HttpRequest) -> Dialect:
    """The CSV dialect asked (`?csv=fr|standard`), else the one of the interface's language."""
    chosen = DIALECTS.get(request.GET.get("csv", ""))
    if chosen:
        return chosen
    return FRENCH if (get_language() or "fr").startswith("fr") else SPREADSHEET


def csv_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]],
                 dialect: Dialect = SPREADSHEET) -> HttpResponse:
    """A UTF-8 CSV (with BOM, so spreadsheet programs read accents right)."""
    columns = columns_of(headers)
    lines = ([c.csv(v) for c, v in zip(columns, row, strict=False)] for row in rows)
    text = csv_text([str(c.label) for c in columns], lines, dialect)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_response(filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An XLSX workbook with one sheet, numbers kept as numbers in their format."""
    columns = columns_of(headers)
    cells = ([c.xlsx(v) for c, v in zip(columns, row, strict=False)] for row in rows)
    content = xlsx_bytes(filename, [str(c.label) for c in columns], cells, [c.number_format for c in columns])
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def table_response(fmt: str, filename: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]],
                   dialect: Dialect = SPREADSHEET) -> HttpResponse:
    """The table in the asked format (csv or xlsx); `dialect` sets the CSV's separators."""
    if fmt == "xlsx":
        return xlsx_response(filename, headers, rows)
    return csv_response(filename, headers, rows, dialect)


def keyed_response(request: HttpRequest, filename: str, columns: Sequence[tuple[str, str, str]],
                   rows: Iterable[Mapping[str, Any]]) -> HttpResponse:
    """A table whose columns are (key, French header, English header) and rows dicts by key, in the
    asked format (`?format=csv|xlsx`, `?csv=fr|standard`), its headers in the reader's language."""
    english = (get_language() or "fr").startswith("en")
    fmt = request.GET.get("format", "csv")
    return table_response(fmt if fmt in FORMATS else "csv", filename, [en if english else fr for _k, fr, en in columns],
                          ([row[key] for key, _fr, _en in columns] for row in rows), dialect_for(request))
