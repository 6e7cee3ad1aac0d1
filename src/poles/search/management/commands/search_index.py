"""`poles search_index --rebuild`: index every cluster, organisation and project again."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from poles.search import index

KINDS = {"cluster": gettext_lazy("clusters"), "organisation": gettext_lazy("organisations"),
         "project": gettext_lazy("projects")}
"""What the index holds, in the reader's language."""


def _kind(kind: str) -> str:
    return str(KINDS.get(kind, kind))


class Command(BaseCommand):
    help = "Rebuild the full-text search index (triggers included), or report its size."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rebuild", action="store_true", help="index every row again")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="database alias (default: default)")

    def handle(self, *args, **options) -> None:
        using = options["database"]
        if not index.ready(using):
            raise CommandError(_("the search tables are missing: run `poles migrate` first"), returncode=2)
        if not options["rebuild"]:
            for kind, (indexed, rows) in index.sizes(using).items():
                self.stdout.write(_("%(kind)s: %(indexed)s indexed of %(rows)s")
                                  % {"kind": _kind(kind), "indexed": indexed, "rows": rows})
            return
        console = Console(stderr=True, quiet=options["verbosity"] == 0)
        started = time.perf_counter()
        with Progress(TextColumn("{task.description:<14}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as bar:
            tasks: dict[str, object] = {}

            def progress(kind: str, done: int, total: int) -> None:
                if kind not in tasks:
                    tasks[kind] = bar.add_task(_kind(kind), total=total or 1)
                bar.update(tasks[kind], completed=done if total else 1, total=total or 1)

            counts = index.rebuild(using, progress)
        self.stdout.write(_("indexed %(counts)s in %(seconds)s s") % {
            "counts": ", ".join(f"{n} {_kind(kind)}" for kind, n in counts.items()),
            "seconds": f"{time.perf_counter() - started:.1f}"})
        if not index.unaccent_available(using):
            self.stderr.write(_("PostgreSQL's unaccent extension is missing: accents are folded for Latin letters only."))
