"""The shared shape of every import: read → validate every row → upsert all-or-nothing → report.

An importer collects every row error before writing anything; with any error it writes nothing.
Upserts go by natural keys, so a second run over the same file changes nothing.
"""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from poles.core.bulk import BATCH, chunks, insert_rows
from poles.core.changes import announce
from poles.core.models import AuditEntry

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as work advances (total 0 when unknown)."""

MAX_ERRORS_KEPT = 200
"""Errors a report keeps by default (setting POLES_IMPORT_MAX_ERRORS); the rest are only counted."""


@dataclass(frozen=True)
class RowError:
    """One problem in the input, located by row number (as a spreadsheet shows it) and column."""

    row: int | None
    column: str | None
    reason: str
    value: Any = None
    file: str | None = None

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        shown = "" if self.value in (None, "") else " " + _("(found “%(value)s”)") % {"value": str(self.value)[:60]}
        return _("%(where)s: %(reason)s") % {"where": ", ".join(where) or _("input"), "reason": self.reason} + shown


@dataclass
class ImportReport:
    """What an import did or would do: counts per table, errors, notes."""

    source: str
    dry_run: bool = False
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    errors: list[RowError] = field(default_factory=list)
    """The first `max_errors` errors; `error_count` counts them all."""
    notes: list[str] = field(default_factory=list)
    max_errors: int = MAX_ERRORS_KEPT
    errors_omitted: int = 0
    journal: list[tuple[str, Any, Any, str, dict[str, Any]]] = field(default_factory=list, repr=False)
    """(action, model, pk, label, changes) of every row created or updated, for the audit trail."""

    def add_error(self, error: RowError) -> None:
        """Keep the error while under the cap, else only count it: a huge bad file stays small."""
        if len(self.errors) < self.max_errors:
            self.errors.append(error)
        else:
            self.errors_omitted += 1

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_omitted

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def tables(self) -> list[str]:
        names = set(self.created) | set(self.updated) | set(self.unchanged) | set(self.skipped)
        return sorted(names)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "skipped": dict(self.skipped),
            "errors": [
                {"file": e.file, "row": e.row, "column": e.column, "reason": e.reason,
                 "value": None if e.value is None else str(e.value)}
                for e in self.errors
            ],
            "error_count": self.error_count,
            "errors_omitted": self.errors_omitted,
            "notes": self.notes,
        }

    def error_text(self, limit: int | None = None) -> str:
        """One line per kept error (or the first `limit`), then how many more there are."""
        shown = self.errors[:limit]
        lines = [str(error) for error in shown]
        if self.error_count > len(shown):
            more = self.error_count - len(shown)
            lines.append(ngettext("… and %(count)s more error", "… and %(count)s more errors", more)
                         % {"count": f"{more:,}"})
        return "\n".join(lines)


class ImportFailed(Exception):
    """The input has errors; nothing was written. Carries the report."""

    def __init__(self, report: ImportReport):
        super().__init__(ngettext("%(count)s error in the input; nothing was written",
                                  "%(count)s errors in the input; nothing was written", report.error_count)
                         % {"count": f"{report.error_count:,}"})
        self.report = report


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def file_digest(paths: Iterable[Path]) -> str:
    """SHA-256 over the input files, recorded with the import in the audit trail."""
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


class Importer(ABC):
    """Base class: subclasses implement `validate()` (collect errors, prepare rows) and `write()`."""

    source: str = "import"

    def __init__(self, *, progress: Progress | None = None, user: Any = None, channel: str = "import"):
        self.progress: Progress = progress or (lambda stage, done, total: None)
        self.user = user if getattr(user, "is_authenticated", False) else None
        self.channel = channel
        self.report = ImportReport(source=self.source, max_errors=settings.POLES_IMPORT_MAX_ERRORS)

    # -- to implement -------------------------------------------------------------------------
    def input_files(self) -> list[Path]:
        return []

    @abstractmethod
    def validate(self) -> None:
        """Read and check every row, appending RowErrors to self.report.errors."""

    @abstractmethod
    def write(self) -> None:
        """Upsert the validated rows, counting in self.report."""

    def audit_cluster_id(self) -> int | None:
        return None

    # -- the shared run -----------------------------------------------------------------------
    def stage(self, name: str) -> Callable[[int, int], None]:
        """A `progress(done, total)` callback for one named stage, e.g. for `upsert.sync`."""
        return lambda done, total: self.progress(name, done, total)

    def error(self, row: int | None, column: str | None, reason: str, value: Any = None,
              file: str | None = None) -> None:
        self.report.add_error(RowError(row, column, reason, value, file))

    def cell(self, file: str | None, row: int, column: str, parse: Callable[[Any], Any], value: Any) -> Any:
        """`parse(value)`, or None with the row error recorded when it does not parse."""
        try:
            return parse(value)
        except ValueError as error:
            self.error(row, column, str(error), value, file=file)
            return None

    def run(self, *, dry_run: bool = False) -> ImportReport:
        """Validate everything, then write in one transaction (rolled back for a dry run)."""
        self.report.dry_run = dry_run
        self.validate()
        if not self.report.ok:
            raise ImportFailed(self.report)
        try:
            with transaction.atomic():
                self.write()
                if self.report.changed:
                    self._audit()
                    announce()  # pages show it once committed; a dry run's rollback drops it
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        return self.report

    def _audit(self) -> None:
        """One entry for the run (files, digest, counts) and one per row created or updated."""
        files = self.input_files()
        cluster_id = self.audit_cluster_id()
        user = self.user
        run = {
            "user_id": user.pk if user else None, "channel": self.channel,
            "action": AuditEntry.Action.UPDATE, "model": f"import:{self.source}",
            "object_pk": file_digest(files)[:64] if files else "",
            "object_repr": ", ".join(path.name for path in files)[:200],
            "changes": {
                "created": dict(self.report.created), "updated": dict(self.report.updated),
                "unchanged": dict(self.report.unchanged), "skipped": dict(self.report.skipped),
            },
            "cluster_id": cluster_id,
        }
        rows = [run] + [
            {"user_id": run["user_id"], "channel": self.channel, "action": action,
             "model": model._meta.label, "object_pk": str(pk), "object_repr": label,
             "changes": changes, "cluster_id": cluster_id}
            for action, model, pk, label, changes in self.report.journal
        ]
        step = self.stage(gettext_noop("writing audit trail"))
        step(0, len(rows))
        for done, batch in enumerate(chunks(rows, BATCH), start=1):
            insert_rows(AuditEntry, batch)
            step(min(done * BATCH, len(rows)), len(rows))


TABLE_NAMES = {
    "organisations": gettext_lazy("organisations"),
    "memberships": gettext_lazy("memberships"),
    "group links": gettext_lazy("group links"),
    "organisation figures": gettext_lazy("organisation figures"),
    "organisations kept as supplied elsewhere": gettext_lazy("organisations kept as supplied elsewhere"),
    "projects": gettext_lazy("projects"),
    "fundings": gettext_lazy("fundings"),
    "participations": gettext_lazy("participations"),
    "participations (partner not named in the source)": gettext_lazy(
        "participations (partner not named in the source)"),
}
"""The tables a report counts, in the reader's language (reports keep the English keys)."""


def table_name(table: str) -> str:
    """A report's table in the reader's language, capitalised to start a line."""
    name = str(TABLE_NAMES.get(table, table))
    return name[:1].upper() + name[1:]


def _count_text(key: str, count: int) -> str:
    """The phrase for `count` rows created, updated, unchanged or skipped, with its plural form."""
    if key == "created":
        return ngettext("%(count)s row created", "%(count)s rows created", count)
    if key == "updated":
        return ngettext("%(count)s row updated", "%(count)s rows updated", count)
    if key == "unchanged":
        return ngettext("%(count)s row unchanged", "%(count)s rows unchanged", count)
    return ngettext("%(count)s row", "%(count)s rows", count)


def summary(report: dict[str, Any]) -> list[str]:
    """One line per table of a report (`ImportReport.as_dict()`), e.g. "Adhésions : 3 lignes créées"."""
    counts = {key: report.get(key) or {} for key in ("created", "updated", "unchanged", "skipped")}
    tables = sorted({table for numbers in counts.values() for table in numbers}, key=lambda t: (
        list(TABLE_NAMES).index(t) if t in TABLE_NAMES else len(TABLE_NAMES), t))
    lines = []
    for table in tables:
        parts = []
        for key, count in ((key, counts[key].get(table)) for key in counts):
            if count:
                parts.append(_count_text(key, count) % {"count": formats.number_format(count, force_grouping=True)})
        if parts:
            lines.append(_("%(table)s: %(counts)s") % {"table": table_name(table), "counts": ", ".join(parts)})
    return lines
