"""`poles labels_reminders [--date YYYY-MM-DD] [--dry-run]`: e-mail the reminders of expiring labels (daily)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from poles.web.labelreminders import send_reminders


class Command(BaseCommand):
    help = "E-mail the managers of clusters whose excellence label expires soon (90, 30, 7 days, on the day)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="The day to run for (default: today), YYYY-MM-DD.")
        parser.add_argument("--dry-run", action="store_true", help="List the reminders due; send and record nothing.")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as error:
            raise CommandError(f"--date: expected YYYY-MM-DD, found {date!r}", returncode=2) from error
        sent = send_reminders(today, dry_run=dry_run)
        for s in sent:
            self.stdout.write(f"{s.cluster}: {s.level} label expires {s.expires.isoformat()} "
                              f"({s.days_left} d, milestone {s.milestone}) → {len(s.addresses)} address(es)")
        verb = "due" if dry_run else "sent"
        self.stdout.write(f"{len(sent)} reminder(s) {verb}.")
