"""Empty files to fill in for an import: the headers in the interface's language, and what each column takes.

The XLSX has the headers on its first sheet (the one the import reads) and a second sheet explaining
each column: required or not, which column it needs beside it, an example. The CSV has the header
line only (a line of explanations would be read as a member); the import page shows the same
explanations (`explanations`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from poles.core.tables import FRENCH, SPREADSHEET, Dialect, Sheet, csv_text, xlsx_workbook
from poles.imports.columns import ImportKind


@dataclass(frozen=True)
class Explanation:
    """One column of a template, explained in the interface's language."""

    header: str
    required: bool
    needs: str
    help: str
    example: str


def headers(kind: ImportKind) -> list[str]:
    """The template's header row, in the interface's language."""
    return [str(c.label) for c in kind.columns]


def explanations(kind: ImportKind) -> list[Explanation]:
    """Each column: its header, required or not, the columns it needs, what to write, an example."""
    return [
        Explanation(
            str(c.label), c.required, ", ".join(kind.label(n) for n in kind.needs_of(c.key)), str(c.help),
            "" if c.example is None else str(c.example),
        )
        for c in kind.columns
    ]


def dialect_for(language: str) -> Dialect:
    """The CSV a spreadsheet in this language opens in columns: `;` and decimal comma in French."""
    return FRENCH if language.startswith("fr") else SPREADSHEET


def template_csv(kind: ImportKind, language: str) -> str:
    """The header line, separated as a spreadsheet in `language` expects."""
    return csv_text(headers(kind), [], dialect_for(language))


def template_xlsx(kind: ImportKind) -> bytes:
    """A workbook: the headers to fill in on the first sheet, the explanations on the second."""
    columns = headers(kind)
    rows = [
        [e.header, pgettext("required column", "yes") if e.required else pgettext("required column", "no"),
         e.needs, e.help, e.example]
        for e in explanations(kind)
    ]
    return xlsx_workbook([
        Sheet(str(kind.title), columns, [], widths=[max(12, len(h) + 4) for h in columns]),
        Sheet(_("Read me"), [_("Column"), _("Required"), _("Needs the column"), _("What to write"), _("Example")],
              rows, widths=[30, 10, 24, 90, 20]),
    ])
