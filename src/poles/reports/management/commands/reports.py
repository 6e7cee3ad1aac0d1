"""`poles reports --year YYYY [--cluster SLUG] --out DIR`: the year's reports as PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from poles.registry.programme import FIRST_YEAR, last_allowed_year
from poles.reports.documents import today
from poles.reports.run import FORMATS, ReportError, generate

INPUT_ERROR = 2


class Command(BaseCommand):
    help = ("Write the national synthesis and every active cluster's annual report (PDF and XLSX) for a year, "
            "as of a date (today by default): each cluster-year from its annual report validated by then, else "
            "from the register as it stood; each states that date, its sources and a fingerprint of its figures.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True, help="the year the reports describe")
        parser.add_argument("--cluster", help="only this cluster's report (its slug)")
        parser.add_argument("--out", required=True, help="directory to write the files into")
        parser.add_argument("--format", dest="formats", default="pdf,xlsx", help="pdf, xlsx or both (default)")
        parser.add_argument("--jobs", type=int, default=2, help="processes laying out PDFs (default 2)")
        parser.add_argument("--as-of", dest="as_of", help="the date the figures are as of, YYYY-MM-DD (default today)")

    def handle(self, *args, **options) -> None:
        year = options["year"]
        if not FIRST_YEAR <= year <= last_allowed_year():
            raise CommandError(f"--year: expected a year between {FIRST_YEAR} and {last_allowed_year()}, "
                               f"found {year}", returncode=INPUT_ERROR)
        formats = tuple(f.strip() for f in options["formats"].split(",") if f.strip())
        if not formats or any(f not in FORMATS for f in formats):
            raise CommandError(f"--format: expected pdf, xlsx or pdf,xlsx, found {options['formats']!r}",
                               returncode=INPUT_ERROR)
        as_of = None
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f"--as-of: expected a date YYYY-MM-DD, found {options['as_of']!r}",
                                   returncode=INPUT_ERROR) from None
            if as_of > today():
                raise CommandError(f"--as-of: expected a date up to today ({today().isoformat()}), found "
                                   f"{as_of.isoformat()}", returncode=INPUT_ERROR)
        console = Console(stderr=True)
        started = time.perf_counter()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False, disable=not console.is_terminal) as bar:
            job = bar.add_task("reports", total=None)

            def on_progress(done: int, total: int, name: str) -> None:
                bar.update(job, completed=done, total=total, description=name or "reports")

            try:
                files = generate(year, Path(options["out"]), cluster=options["cluster"],
                                 formats=formats, jobs=max(1, options["jobs"]), on_progress=on_progress,
                                 as_of=as_of)
            except ReportError as error:
                raise CommandError(str(error), returncode=INPUT_ERROR) from None
        self.stdout.write(f"{len(files)} files written to {options['out']} in {time.perf_counter() - started:.1f} s")
