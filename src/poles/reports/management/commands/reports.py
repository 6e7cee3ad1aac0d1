"""`poles reports --year YYYY [--cluster SLUG] --out DIR`: the year's reports as PDF and XLSX."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from poles.core.i18n import in_every_language
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
            raise CommandError(in_every_language(
                lambda: _("--year: expected a year between %(first)s and %(last)s, found %(year)s")
                % {"first": FIRST_YEAR, "last": last_allowed_year(), "year": year}, separator=" / "),
                returncode=INPUT_ERROR)
        formats = tuple(f.strip() for f in options["formats"].split(",") if f.strip())
        if not formats or any(f not in FORMATS for f in formats):
            raise CommandError(in_every_language(
                lambda: _("--format: expected pdf, xlsx or pdf,xlsx, found %(found)r") % {"found": options["formats"]},
                separator=" / "), returncode=INPUT_ERROR)
        as_of = None
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(in_every_language(
                    lambda: _("--as-of: expected a date YYYY-MM-DD, found %(found)r") % {"found": options["as_of"]},
                    separator=" / "), returncode=INPUT_ERROR) from None
            if as_of > today():
                raise CommandError(in_every_language(
                    lambda: _("--as-of: expected a date up to today (%(today)s), found %(found)s")
                    % {"today": today().isoformat(), "found": as_of.isoformat()}, separator=" / "),
                    returncode=INPUT_ERROR)
        console = Console(stderr=True)
        started = time.perf_counter()
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=console, transient=False, disable=not console.is_terminal) as bar:
            job = bar.add_task(_("reports"), total=None)

            def on_progress(done: int, total: int, name: str) -> None:
                bar.update(job, completed=done, total=total, description=name or _("reports"))

            try:
                files = generate(year, Path(options["out"]), cluster=options["cluster"],
                                 formats=formats, jobs=max(1, options["jobs"]), on_progress=on_progress,
                                 as_of=as_of)
            except ReportError as error:
                raise CommandError(str(error), returncode=INPUT_ERROR) from None
        self.stdout.write(_("%(n)s files written to %(out)s in %(seconds)s s") % {
            "n": number_format(len(files), force_grouping=True), "out": options["out"],
            "seconds": number_format(time.perf_counter() - started, 1)})
