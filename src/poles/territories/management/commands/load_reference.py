"""`poles load_reference [--if-empty]`: territories and nomenclatures from the installed packages."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from poles.nomenclatures import sources as nomenclature_sources
from poles.nomenclatures.loaders import load_nomenclatures
from poles.territories import sources as territory_sources
from poles.territories.loaders import load_territories
from poles.territories.models import Region
from poles.territories.upsert import LoadCounts


class Command(BaseCommand):
    help = (
        "Load NUTS, regions, départements, communes, postcodes, NACE, NAF and the EU industrial "
        "ecosystems from the installed packages (idempotent)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when regions are already loaded"
        )

    def handle(self, *args, **options):
        console = Console(file=_Stream(self.stdout))
        if options["if_empty"] and Region.objects.exists():
            console.print(_("Reference data already loaded: nothing to do (--if-empty)."))
            return
        try:
            territory_sources.package_dir(territory_sources.ETALAB_PACKAGE)
            nomenclature_sources.package_dir(nomenclature_sources.CODES_NAF_PACKAGE)
            versions = territory_sources.versions() | nomenclature_sources.versions()
        except territory_sources.ReferenceDataMissing as error:
            raise CommandError(str(error), returncode=2) from error
        started = time.perf_counter()
        with Progress(
            TextColumn("{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=not console.is_terminal,
        ) as bar:
            tasks: dict[str, int] = {}

            def progress(step: str, done: int, total: int) -> None:
                if step not in tasks:
                    tasks[step] = bar.add_task(step, total=total or 1)
                bar.update(tasks[step], completed=done if total else 1, total=total or 1)

            try:
                counts = load_territories(progress) | load_nomenclatures(progress)
            except territory_sources.ReferenceDataMissing as error:
                raise CommandError(str(error), returncode=2) from error
        console.print(summary(counts))
        console.print(
            _("Loaded in %(seconds)s s from %(sources)s")
            % {
                "seconds": f"{time.perf_counter() - started:.1f}",
                "sources": ", ".join(f"{name} {version}" for name, version in versions.items()),
            }
        )


class _Stream:
    """Django's stdout wrapper as a plain stream for rich (no newline added to each write)."""

    def __init__(self, wrapper) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> int:
        self.wrapper.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


def summary(counts: dict[str, LoadCounts]) -> Table:
    """A table of created/updated/unchanged/deleted rows per reference table."""
    table = Table(title=_("Reference data"))
    for n, column in enumerate((_("table"), _("created"), _("updated"), _("unchanged"), _("deleted"))):
        table.add_column(column, justify="left" if n == 0 else "right")
    for name, count in counts.items():
        table.add_row(
            name, *(str(n) for n in (count.created, count.updated, count.unchanged, count.deleted))
        )
    return table
