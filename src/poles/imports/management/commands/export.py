"""`poles export --out DIR`: the whole register as one CSV per table plus schema.json."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
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
            raise CommandError(f"{out} exists and is not a directory", returncode=INPUT_ERROR)
        try:
            with Progress(console=Console(stderr=True), transient=True) as bar:
                task = bar.add_task("exporting tables", total=None)
                counts = export_register(out, lambda stage, done, total: bar.update(task, completed=done, total=total))
        except PermissionError as error:
            raise CommandError(f"cannot write into {out}: {error.strerror}", returncode=INPUT_ERROR) from None
        table = Table(title=f"register exported to {out}")
        table.add_column("file")
        table.add_column("rows", justify="right")
        for name, count in counts.items():
            table.add_row(f"{name}.csv", str(count))
        Console().print(table)
