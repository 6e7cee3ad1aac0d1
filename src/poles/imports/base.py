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

from django.db import transaction

from poles.core.bulk import insert_rows
from poles.core.changes import announce
from poles.core.models import AuditEntry

Progress = Callable[[str, int, int], None]
"""progress(stage, done, total): called as work advances (total 0 when unknown)."""

MAX_ERRORS_SHOWN = 50


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
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        shown = "" if self.value in (None, "") else f" (found {str(self.value)[:60]!r})"
        return f"{', '.join(where) or 'input'}: {self.reason}{shown}"


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
    notes: list[str] = field(default_factory=list)
    journal: list[tuple[str, Any, Any, str, dict[str, Any]]] = field(default_factory=list, repr=False)
    """(action, model, pk, label, changes) of every row created or updated, for the audit trail."""

    @property
    def ok(self) -> bool:
        return not self.errors

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
            "notes": self.notes,
        }

    def error_text(self, limit: int = MAX_ERRORS_SHOWN) -> str:
        lines = [str(error) for error in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"… and {len(self.errors) - limit} more errors")
        return "\n".join(lines)


class ImportFailed(Exception):
    """The input has errors; nothing was written. Carries the report."""

    def __init__(self, report: ImportReport):
        super().__init__(f"{len(report.errors)} error(s) in the input; nothing was written")
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
        self.report = ImportReport(source=self.source)

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
    def error(self, row: int | None, column: str | None, reason: str, value: Any = None,
              file: str | None = None) -> None:
        self.report.errors.append(RowError(row, column, reason, value, file))

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
        if self.report.errors:
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
        insert_rows(AuditEntry, rows)
