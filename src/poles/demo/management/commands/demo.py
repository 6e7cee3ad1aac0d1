"""`poles demo`: build the deterministic demo register (55 clusters, ≈18,000 members, ≈2,000 projects)."""

from __future__ import annotations

import json
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from poles.demo.build import DEFAULT_SEED, STAGES, build_register
from poles.demo.calls import add_call_workflows
from poles.demo.reference import DemoError, load_reference
from poles.demo.signals import register_written
from poles.demo.write import clashes, delete_generated, register_is_empty, write_register

INPUT_ERROR = 2
TABLE_NAMES = {
    "clusters": gettext_lazy("clusters"),
    "organisations": gettext_lazy("organisations"),
    "memberships": gettext_lazy("memberships"),
    "calls": gettext_lazy("calls"),
    "projects": gettext_lazy("projects"),
    "cluster_regions": gettext_lazy("cluster regions"),
    "cluster_ecosystems": gettext_lazy("cluster ecosystems"),
    "cluster_years": gettext_lazy("cluster years"),
    "contacts": gettext_lazy("contacts"),
    "eu_projects": gettext_lazy("EU projects"),
    "certifications": gettext_lazy("certifications"),
    "figures": gettext_lazy("figures"),
    "labels": gettext_lazy("labels"),
    "project_clusters": gettext_lazy("project clusters"),
    "participations": gettext_lazy("participations"),
    "fundings": gettext_lazy("fundings"),
    "call files (workflow)": gettext_lazy("call files (workflow)"),
    "survey reports": gettext_lazy("survey reports"),
}
"""The demo's stages and tables in the reader's language (the summary in JSON keeps the keys)."""


def _name(key: str) -> str:
    return str(TABLE_NAMES.get(key, key.replace("_", " ")))


def number(value: float, decimals: int = 0) -> str:
    """A count as the reader's language writes it (1 234 in French, 1,234 in English)."""
    return formats.number_format(value, decimals, force_grouping=True)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--today takes a date as YYYY-MM-DD, found {value!r}", returncode=INPUT_ERROR) from None


class Command(BaseCommand):
    help = (
        "Build the demo register: the 55 clusters with generated members, memberships 2019–2025, "
        "projects, fundings and calls, all marked is_generated. Needs `poles load_reference` first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--if-empty", action="store_true",
                          help="do nothing when the register already holds rows")
        mode.add_argument("--replace", action="store_true",
                          help="delete the generated rows (is_generated) first, keep the others")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"random seed (default {DEFAULT_SEED}); same seed, same register")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="1.0 = national size (≈18,000 members, ≈2,000 projects)")
        parser.add_argument("--today", default=None,
                            help="reference date for open calls and project statuses (default: today)")
        parser.add_argument("--json", action="store_true", help="print the summary as JSON")

    def handle(self, *args, **options) -> None:
        today = _date(options["today"]) if options["today"] else date.today()
        try:
            self._run(options, today)
        except DemoError as error:
            raise CommandError(str(error), returncode=INPUT_ERROR) from None

    def _run(self, options: dict, today: date) -> None:
        if not register_is_empty():
            if options["if_empty"]:
                self.stdout.write(_("The register already holds rows: demo register not loaded."))
                return
            if not options["replace"]:
                raise DemoError(
                    "the register is not empty: pass --replace to rebuild the generated rows "
                    "(real rows are kept), or --if-empty to leave it as it is"
                )
        console = Console(stderr=True, quiet=options["json"] or options["verbosity"] == 0)
        started = time.perf_counter()
        ref = load_reference()
        deleted: dict[str, int] = {}
        with Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console, transient=False) as progress:
            generating = progress.add_task(_("generating"), total=len(STAGES))
            register = build_register(
                ref, seed=options["seed"], scale=options["scale"], today=today,
                on_stage=lambda name: progress.update(
                    generating, advance=1, description=_("generating %(name)s") % {"name": _name(name)}),
            )
            progress.update(generating, description=_("generated"))
            if options["replace"]:
                deleted = delete_generated()
            found = clashes(register)
            if found:
                raise DemoError(
                    f"{len(found)} generated keys are already taken by rows not generated "
                    f"(first: {', '.join(found[:3])}); the demo register would collide with them"
                )

            def on_table(name: str, total: int):
                task = progress.add_task(_("writing %(name)s") % {"name": _name(name)}, total=total)
                return lambda n: progress.advance(task, n)

            written = write_register(register, on_table=on_table)
            workflow = progress.add_task(_("calls at every stage"), total=1)
            clock = time.perf_counter()
            files = add_call_workflows(seed=options["seed"], today=today)
            self.workflow_seconds = time.perf_counter() - clock
            progress.advance(workflow)
            written["call files (workflow)"] = sum(files.values())
            for _receiver, counts in register_written.send(sender=self.__class__, seed=options["seed"], today=today):
                written.update(counts or {})
        seconds = time.perf_counter() - started
        self._summary(options, written, deleted, seconds)

    def _summary(self, options: dict, written: dict[str, int], deleted: dict[str, int],
                 seconds: float) -> None:
        rows = sum(written.values())
        if options["json"]:
            self.stdout.write(json.dumps({
                "seed": options["seed"], "scale": options["scale"], "written": written,
                "deleted": deleted, "rows": rows, "seconds": round(seconds, 2),
                "workflow_seconds": round(getattr(self, "workflow_seconds", 0.0), 2),
            }, indent=2))
            return
        table = Table(title=_("Demo register (seed %(seed)s, scale %(scale)s)")
                      % {"seed": options["seed"], "scale": options["scale"]})
        table.add_column(_("table"))
        table.add_column(_("rows"), justify="right")
        for name, count in written.items():
            table.add_row(_name(name), number(count))
        table.add_row(_("total"), number(rows))
        Console(file=self.stdout).print(table)
        if deleted:
            self.stdout.write(_("Deleted first: %(n)s generated rows.") % {"n": number(sum(deleted.values()))})
        self.stdout.write(_("%(rows)s rows in %(seconds)s s (%(rate)s rows/s).") % {
            "rows": number(rows), "seconds": number(round(seconds, 1), 1),
            "rate": number(round(rows / seconds))})
