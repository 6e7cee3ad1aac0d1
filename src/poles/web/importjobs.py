"""Running a members import started from a page: inline for small files, else in a thread.

The importer is the CLI's (`poles.imports.members.MembersImporter`): same validation, same
row-level report, all-or-nothing. A thread's progress is written to the job row, which the page
polls with HTMX.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from django.db import close_old_connections, connection
from django.utils import timezone

from poles.imports.base import ImportFailed
from poles.imports.members import MembersImporter
from poles.web.models import ImportJob
from poles.web.pagecache import forget_pages

INLINE_LIMIT = 64 * 1024
PROGRESS_EVERY = 0.3
log = logging.getLogger(__name__)


def start(job: ImportJob) -> None:
    """Run the job now when small, else in a background thread."""
    if len(job.content) <= INLINE_LIMIT:
        run(job.pk)
        return
    thread = threading.Thread(target=_run_in_thread, args=(job.pk,), daemon=True, name=f"import-{job.pk}")
    thread.start()


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    finally:
        connection.close()


def run(job_id: int) -> ImportJob:
    """Check and (unless a dry run) import the job's file, recording progress and the report."""
    job = ImportJob.objects.select_related("cluster", "user").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or (total and done >= total):
            last[0] = now
            ImportJob.objects.filter(pk=job.pk).update(stage=stage[:100], done=done, total=total)

    importer = MembersImporter(
        Path(job.file_name), cluster=job.cluster, year=job.year, content=bytes(job.content),
        name=job.file_name, progress=progress, user=job.user, channel="page",
    )
    try:
        report = importer.run(dry_run=job.dry_run)
        status, result = ImportJob.Status.DONE, report.as_dict()
    except ImportFailed as failure:
        status, result = ImportJob.Status.FAILED, failure.report.as_dict()
    except Exception:  # noqa: BLE001 — the page shows a clear message, the log keeps the details
        log.exception("import job %s failed unexpectedly", job.pk)
        status = ImportJob.Status.FAILED
        result = {"ok": False, "errors": [{"row": None, "column": None, "value": None, "file": job.file_name,
                                           "reason": "unexpected failure while importing; nothing was written"}]}
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, report=result, finished=timezone.now(), stage="",
    )
    if status == ImportJob.Status.DONE and not job.dry_run:
        forget_pages()
    job.refresh_from_db()
    return job
