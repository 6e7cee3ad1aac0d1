"""Member imports started from a page, run as tasks by the worker (`poles worker`).

The importer is the CLI's (`MembersImporter`): same validation, same report, all-or-nothing.
An upload is first a preview (`preview`: how each column was understood, the first rows parsed);
`confirm` queues it. Messages are written in the language of the page that uploaded the file.
The page enqueues a task (a small file runs at once, through the same function); the worker
publishes progress to the shared cache and beats while it runs. A job whose worker died (no beat
for POLES_JOB_LEASE seconds) runs again — imports are all-or-nothing and idempotent — up to
`ImportJob.MAX_ATTEMPTS` runs, then it is marked failed with the reason. The uploaded file is
dropped from the job as soon as the job ends.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils import timezone, translation

from poles.core import progress
from poles.core.busy import is_busy
from poles.core.tasks import TaskResultStatus, abandon, task
from poles.imports.base import ImportFailed, Progress
from poles.imports.members import MembersImporter
from poles.web.models import ImportJob

PROGRESS_EVERY = 0.3
BUSY_DELAY = dt.timedelta(seconds=30)
log = logging.getLogger(__name__)
Status = ImportJob.Status


def job_key(job_id: int) -> str:
    """The job's name in the progress store."""
    return f"import:{job_id}"


@task()
def run_import_job(job_id: int, attempt: int, inline: bool = False) -> str:
    """The task: run job `job_id` when it still waits for its run number `attempt` + 1."""
    return execute(job_id, attempt, inline=inline).status


def preview(job: ImportJob) -> dict[str, Any]:
    """How the job's file is understood (columns, first rows), in the job's language, writing nothing."""
    importer = MembersImporter(Path(job.file_name), cluster=job.cluster, year=job.year, content=bytes(job.content),
                               name=job.file_name)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return importer.preview()


def check_upload(job: ImportJob) -> None:
    """Store the preview of a new upload; a file that cannot be read fails at once, its reasons as errors."""
    shown = preview(job)
    if not shown["unreadable"]:
        job.report = {"preview": shown}
        job.save(update_fields=["report"])
        return
    errors = [{**problem, "file": job.file_name} for problem in shown["unreadable"]]
    report = {"ok": False, "errors": errors, "error_count": len(errors), "errors_omitted": 0, "notes": []}
    ImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, report=report, finished=timezone.now(),
                                               content=b"")
    job.refresh_from_db()


def confirm(job: ImportJob) -> bool:
    """Queue a previewed job (once: a second confirmation does nothing); False when it was not waiting."""
    if not ImportJob.objects.filter(pk=job.pk, status=Status.PREVIEW).update(status=Status.QUEUED):
        return False
    job.refresh_from_db()
    start(job)
    return True


def start(job: ImportJob) -> None:
    """Run a small file now (through the task function), else queue it for the worker."""
    if job.size <= settings.POLES_IMPORT_INLINE_BYTES:
        run_import_job.call(job.pk, job.attempts, inline=True)
    else:
        enqueue(job)


def enqueue(job: ImportJob, *, delay: dt.timedelta | None = None) -> None:
    """Queue the job's next run; `delay` lets a busy database settle first."""
    runner = run_import_job if delay is None else run_import_job.using(run_after=timezone.now() + delay)
    result = runner.enqueue(job.pk, job.attempts)
    ImportJob.objects.filter(pk=job.pk).update(task_id=str(result.id))


def _enqueue_later(job: ImportJob, *, delay: dt.timedelta | None) -> None:
    """Queue the job for the worker; if the database is still busy, the next recovery pass will."""
    try:
        enqueue(job, delay=delay)
    except OperationalError as error:
        if not is_busy(error):
            raise
        log.warning("import job %s: database busy; left for the next recovery pass", job.pk)


def execute(job_id: int, attempt: int, *, inline: bool = False) -> ImportJob:
    """Claim the job for run `attempt` + 1, import its file, record the report; returns the job."""
    try:
        claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED, attempts=attempt).update(
            status=Status.RUNNING, attempts=attempt + 1, started=timezone.now(), stage="", done=0, total=0,
        )
    except OperationalError as error:
        if not is_busy(error):
            raise
        _enqueue_later(ImportJob.objects.get(pk=job_id), delay=None if inline else BUSY_DELAY)
        return ImportJob.objects.get(pk=job_id)
    job = ImportJob.objects.select_related("cluster", "user").get(pk=job_id)
    if not claimed:
        return job  # another run has it, or it has ended: a duplicate task does nothing
    key = job_key(job.pk)
    every = max(settings.POLES_JOB_LEASE / 6, 0.5)
    beating: AbstractContextManager[Any] = nullcontext() if inline else progress.Heartbeat(key, every)
    try:
        with beating:
            status, result, rows = _import(job, key)
    except BaseException:  # the worker is being stopped (SIGTERM twice, Ctrl-C): run again later
        _retry_or_fail(job.pk, attempt + 1, "worker_stopped")
        raise
    if status is None:
        _retry_or_fail(job.pk, attempt + 1, "busy", delay=BUSY_DELAY)
    else:
        _finish(job, attempt + 1, status, result, rows)
    job.refresh_from_db()
    return job


def _import(job: ImportJob, key: str) -> tuple[str | None, dict[str, Any], int]:
    """(status, report, rows) of one run; status None when the database stayed busy."""
    importer = MembersImporter(
        Path(job.file_name), cluster=job.cluster, year=job.year, content=bytes(job.content),
        name=job.file_name, progress=_reporter(key), user=job.user, channel="page",
    )
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            report = importer.run(dry_run=job.dry_run)
    except ImportFailed as failure:
        return Status.FAILED, failure.report.as_dict(), 0
    except OperationalError as error:
        if is_busy(error):
            return None, failed("busy"), 0
        log.exception("import job %s failed unexpectedly", job.pk)
        return Status.FAILED, failed("unexpected"), 0
    except Exception:  # noqa: BLE001 — the page shows a clear message, the log keeps the details
        log.exception("import job %s failed unexpectedly", job.pk)
        return Status.FAILED, failed("unexpected"), 0
    return Status.DONE, report.as_dict(), len(importer.rows)


def _reporter(key: str) -> Progress:
    """The importer's progress callback: to the shared cache, at most every PROGRESS_EVERY s."""
    last = {"at": 0.0, "stage": ""}

    def report(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage != last["stage"] or now - last["at"] >= PROGRESS_EVERY or (total and done >= total):
            last.update(at=now, stage=stage)
            progress.publish(key, stage, done, total)

    return report


def failed(reason: str) -> dict[str, Any]:
    """The report of a run that ended without checking the file: `reason` names why."""
    return {"ok": False, "errors": [], "error_count": 0, "failure": reason}


def _finish(job: ImportJob, run: int, status: str, result: dict[str, Any], rows: int) -> None:
    """Record the outcome of run `run` (unless a newer run took the job) and drop the file."""
    ImportJob.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=run).update(
        status=status, report=result, finished=timezone.now(), stage="", done=rows, total=rows, content=b"",
    )
    progress.forget(job_key(job.pk))


def _retry_or_fail(job_id: int, run: int, reason: str, *, delay: dt.timedelta | None = None) -> str:
    """Run `run` of the job ended without an outcome: queue it again, or fail it after the last try."""
    job = ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=run).defer("report").first()
    if job is None:
        return ""
    if run < ImportJob.MAX_ATTEMPTS and job.content:
        if ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=run).update(
                status=Status.QUEUED, stage=""):
            enqueue(job, delay=delay)
            return Status.QUEUED
        return ""
    ImportJob.objects.filter(pk=job_id, status=Status.RUNNING, attempts=run).update(
        status=Status.FAILED, report=failed(reason), finished=timezone.now(), stage="", content=b"",
    )
    progress.forget(job_key(job_id))
    return Status.FAILED


def recover_stale_jobs(ids: list[int] | None = None) -> dict[int, str]:
    """Jobs left running by a dead worker (no beat for a lease) run again or fail: {id: status}.

    Also re-queues a waiting job whose task is gone or has ended without running it.
    """
    lease = settings.POLES_JOB_LEASE
    cutoff = time.time() - lease
    outcome: dict[int, str] = {}
    running = ImportJob.objects.filter(status=Status.RUNNING).only("pk", "attempts", "started", "task_id")
    if ids is not None:
        running = running.filter(pk__in=ids)
    for job in running:
        seen = max(progress.last_beat(job_key(job.pk)) or 0.0, job.started.timestamp() if job.started else 0.0)
        if seen > cutoff:
            continue
        log.warning("import job %s: no heartbeat for %s s; its worker stopped", job.pk, lease)
        abandon(job.task_id, f"no heartbeat from the worker for {lease} s: it stopped while running the task")
        if status := _retry_or_fail(job.pk, job.attempts, "worker_lost"):
            outcome[job.pk] = status
    outcome.update(_requeue_lost_tasks(ids, lease))
    return outcome


def _requeue_lost_tasks(ids: list[int] | None, lease: int) -> dict[int, str]:
    """Waiting jobs whose task is gone, ended without running them, or was never queued (busy)."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(run_import_job.get_backend(), DatabaseBackend):
        return {}
    waiting = ImportJob.objects.filter(
        status=Status.QUEUED, created__lt=timezone.now() - dt.timedelta(seconds=lease),
    ).only("pk", "attempts", "task_id")
    if ids is not None:
        waiting = waiting.filter(pk__in=ids)
    outcome = {}
    for job in waiting:
        try:
            alive = bool(job.task_id) and DBTaskResult.objects.filter(
                id=job.task_id, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]).exists()
        except (ValidationError, ValueError):
            alive = False
        if not alive:
            log.warning("import job %s: its task %s is gone; queued again", job.pk, job.task_id)
            enqueue(job)
            outcome[job.pk] = Status.QUEUED
    return outcome


def live(job: ImportJob) -> ImportJob:
    """The job with its live progress from the store; a job whose worker died is recovered first."""
    if job.status == Status.RUNNING and progress.is_shared() and recover_stale_jobs([job.pk]):
        job.refresh_from_db()
    if job.active and (record := progress.read(job_key(job.pk))):
        job.stage, job.done, job.total = record["stage"], record["done"], record["total"]
    return job
