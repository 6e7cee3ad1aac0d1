"""Running an importer from the command line: rich progress bar, summary table, exit codes."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from poles.core.models import Source
from poles.imports.base import TABLE_NAMES, Importer, ImportFailed, ImportReport

INPUT_ERROR = 2


def summary_table(report: ImportReport) -> Table:
    """The counts of an import, one row per table, in the reader's language."""
    title = _("Import: %(source)s") % {"source": dict(Source.choices).get(report.source, report.source)}
    if report.dry_run:
        title = _("%(title)s (dry run: nothing written)") % {"title": title}
    table = Table(title=title)
    for n, column in enumerate((_("table"), _("created"), _("updated"), _("unchanged"), _("skipped"))):
        table.add_column(column, justify="left" if n == 0 else "right")
    for name in report.tables():
        table.add_row(str(TABLE_NAMES.get(name, name)), str(report.created[name]), str(report.updated[name]),
                      str(report.unchanged[name]), str(report.skipped[name]))
    return table


def run_import(importer_factory: Any, *, dry_run: bool, as_json: bool) -> ImportReport:
    """Run with a progress bar on stderr; raise CommandError(returncode=2) on invalid input."""
    console = Console(stderr=True)
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal and as_json,
    ) as bar:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_(stage), total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        importer: Importer = importer_factory(progress=progress)
        try:
            report = importer.run(dry_run=dry_run)
        except ImportFailed as failure:
            if as_json:
                sys.stdout.write(json.dumps(failure.report.as_dict(), ensure_ascii=False, indent=2) + "\n")
            raise CommandError(
                str(failure) + "\n" + failure.report.error_text(),
                returncode=INPUT_ERROR,
            ) from None
    if as_json:
        sys.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out = Console()
        out.print(summary_table(report))
        for note in report.notes:
            out.print(_("note: %(note)s") % {"note": _(note)})
        if not report.changed and not report.dry_run:
            out.print(_("Nothing changed: the register already holds this data."))
    return report
