"""`poles export --out DIR`: the whole register as one CSV per table plus schema.json."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from poles.imports.console import INPUT_ERROR
from poles.imports.exchange import export_register


class Command(BaseCommand):
    help = "Export the register: one CSV per table and a Data Package descriptor (schema.json)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="directory to write into")

    def handle(self, *args, **options) -> None:
        out: Path = options["out"]
        if out.exists() and not out.is_dir():
            raise CommandError(_("%(path)s exists and is not a directory") % {"path": out}, returncode=INPUT_ERROR)
        try:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task(_("exporting tables"), total=None)
                counts = export_register(out, lambda stage, done, total: bar.update(task, completed=done, total=total))
        except PermissionError as error:
            raise CommandError(_("cannot write into %(path)s: %(reason)s") % {"path": out, "reason": error.strerror},
                               returncode=INPUT_ERROR) from None
        table = Table(title=_("Register exported to %(path)s") % {"path": out})
        table.add_column(_("file"))
        table.add_column(_("rows"), justify="right")
        for name, count in counts.items():
            table.add_row(f"{name}.csv", str(count))
        Console().print(table)
