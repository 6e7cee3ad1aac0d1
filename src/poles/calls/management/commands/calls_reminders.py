"""`poles calls_reminders`: remind consortia of their late reports (run daily, e.g. from cron)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from poles.calls.followup import late_reports, remind_late


class Command(BaseCommand):
    help = "Remind the consortia of the reports past due (at most once a week per report)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="The day to check as, YYYY-MM-DD (default: today, Paris time).")
        parser.add_argument("--dry-run", action="store_true", help="List the late reports, send nothing.")

    def handle(self, *args, **options) -> None:
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: expected YYYY-MM-DD, found {options['date']!r}") from error
        if options["dry_run"]:
            for report in late_reports(today):
                self.stdout.write(f"{report.application.acronym}\t{report.kind}\t{report.due_on.isoformat()}")
            return
        sent = remind_late(today)
        self.stdout.write(f"{sent} reminder(s) sent")
