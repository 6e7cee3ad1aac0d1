"""`poles load DIR`: read an export back into an empty register, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

from poles.imports.console import run_import
from poles.imports.exchange import RegisterLoader


class Command(BaseCommand):
    help = "Load a `poles export` directory into an empty register (e.g. SQLite → PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="validate and count, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args, **options) -> None:
        run_import(lambda progress: RegisterLoader(options["directory"], progress=progress),
                   dry_run=options["dry_run"], as_json=options["json"])
