"""`poles import {members,anr,cordis} …`: load a source into the register, all or nothing."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from poles.imports.console import INPUT_ERROR, run_import


class Command(BaseCommand):
    help = "Import a source into the register: every row validated, all or nothing, idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="source", required=True, metavar="{members,anr,cordis}")
        common = {"dry_run": ("--dry-run", "validate and count, write nothing"),
                  "json": ("--json", "print the report as JSON")}

        def add_common(p: CommandParser) -> None:
            for flag, text in common.values():
                p.add_argument(flag, action="store_true", help=text)

        members = sub.add_parser("members", help="a cluster's member list (CSV or XLSX)")
        members.add_argument("file", type=Path)
        members.add_argument("--cluster", required=True, help="the cluster's slug")
        members.add_argument("--year", required=True, type=int, help="membership year")
        add_common(members)

        anr = sub.add_parser("anr", help="ANR/PIA open data (projects + partners XLSX)")
        anr.add_argument("--projects", required=True, type=Path)
        anr.add_argument("--partners", required=True, type=Path)
        add_common(anr)

        cordis = sub.add_parser("cordis", help="CORDIS H2020 participations (CSV, .gz allowed)")
        cordis.add_argument("file", type=Path)
        add_common(cordis)

    def handle(self, *args, **options) -> None:
        source = options["source"]
        if source == "anr":
            from poles.imports.anr import AnrImporter

            def factory(progress):
                return AnrImporter(options["projects"], options["partners"], progress=progress)
        elif source == "cordis":
            from poles.imports.cordis import CordisImporter

            def factory(progress):
                return CordisImporter(options["file"], progress=progress)
        else:
            from poles.imports.members import MembersImporter, UnknownCluster

            try:
                MembersImporter.check_cluster(options["cluster"])
            except UnknownCluster as error:
                raise CommandError(str(error), returncode=INPUT_ERROR) from None

            def factory(progress):
                return MembersImporter(
                    options["file"], cluster=options["cluster"], year=options["year"], progress=progress
                )
        run_import(factory, dry_run=options["dry_run"], as_json=options["json"])
