"""Writing the reports of a year: the national synthesis and every active cluster's, PDF and XLSX.

`generate` is the one function: the CLI (`poles reports`, with a progress bar) and the task
(`run_reports`, progress in the shared cache, shown by the reports page) both call it. The
register is read once (`Dataset.load`); the PDFs are laid out by WeasyPrint in `jobs` worker
processes (it is CPU-bound), which receive finished HTML and never touch the database.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from poles.core import progress
from poles.core.i18n import in_every_language
from poles.core.tasks import task
from poles.registry.models import Cluster
from poles.reports import documents as D
from poles.reports.models import ReportRun
from poles.reports.pdf import unavailable_reason, write_pdf

FORMATS = ("pdf", "xlsx")
Progress = Callable[[int, int, str], None]


class ReportError(ValueError):
    """A request for reports that cannot be met (unknown cluster, no data for the year), said in every
    language, French first (the command's reader's language is unknown)."""


def generate(year: int, out: Path, *, cluster: str | None = None,
             formats: tuple[str, ...] = FORMATS, jobs: int = 1, on_progress: Progress | None = None,
             as_of: dt.date | None = None) -> list[Path]:
    """Write the reports of `year` as of `as_of` (today when None) into `out` (one cluster's only with
    `cluster`, a slug); returns the paths."""
    if "pdf" in formats and (reason := unavailable_reason()):
        raise ReportError(reason)
    if cluster is not None:
        pk = Cluster.objects.filter(slug=cluster).values_list("pk", flat=True).first()
        if pk is None:
            raise ReportError(in_every_language(
                lambda: _("--cluster: no cluster with the slug %(slug)r") % {"slug": cluster}, separator=" / "))
        data = D.Dataset.load(year, history_of=[pk], as_of=as_of)
        if not any(c.id == pk for c in data.clusters):
            raise ReportError(in_every_language(
                lambda: _("--cluster: %(slug)r was not in the register on %(date)s")
                % {"slug": cluster, "date": data.as_of.isoformat()}, separator=" / "))
        documents = [D.cluster_report(data, next(c for c in data.clusters if c.id == pk))]
    else:
        data = D.Dataset.load(year, as_of=as_of)
        documents = [D.national_report(data), *(D.cluster_report(data, c) for c in data.active)]
    out.mkdir(parents=True, exist_ok=True)
    total, done, written = len(documents) * len(formats), 0, []

    def step(name: str) -> None:
        nonlocal done
        done += 1
        if on_progress:
            on_progress(done, total, name)

    if on_progress:
        on_progress(0, total, "")
    pending = []
    pool = (ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
            if jobs > 1 and "pdf" in formats and len(documents) > 1 else None)
    try:
        for doc in documents:
            if "xlsx" in formats:
                path = out / f"{doc.file_stem}.xlsx"
                path.write_bytes(D.to_xlsx(doc))
                written.append(path)
                step(path.name)
            if "pdf" in formats:
                path = out / f"{doc.file_stem}.pdf"
                if pool is None:
                    write_pdf(D.to_html(doc), str(path))
                    written.append(path)
                    step(path.name)
                else:
                    pending.append(pool.submit(write_pdf, D.to_html(doc), str(path)))
        for future in pending:
            path = Path(future.result())
            written.append(path)
            step(path.name)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return written


def reports_dir() -> Path:
    """Where runs started from the web app write their files."""
    return Path(settings.POLES_REPORTS_DIR)


def run_dir(run: ReportRun) -> Path:
    return reports_dir() / str(run.pk)


def job_key(run_id: int) -> str:
    return f"report:{run_id}"


@task()
def run_reports(run_id: int) -> str:
    """The task: generate the files of run `run_id` once (a duplicate task does nothing)."""
    return execute(run_id).status


def execute(run_id: int) -> ReportRun:
    """Claim the run, write its files with progress in the shared cache, record the outcome."""
    if not ReportRun.objects.filter(pk=run_id, status=ReportRun.Status.QUEUED).update(
            status=ReportRun.Status.RUNNING, read_on=D.today()):
        return ReportRun.objects.get(pk=run_id)
    run = ReportRun.objects.select_related("cluster").get(pk=run_id)
    key, last = job_key(run.pk), {"at": 0.0}

    def report(done: int, total: int, name: str) -> None:
        if time.monotonic() - last["at"] >= 0.3 or done >= total:
            last["at"] = time.monotonic()
            progress.publish(key, name, done, total)

    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            files = generate(run.year, run_dir(run),
                             cluster=run.cluster.slug if run.cluster else None,
                             formats=FORMATS, jobs=settings.POLES_REPORT_JOBS, on_progress=report,
                             as_of=run.as_of)
    except ReportError as error:
        ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.FAILED, error=str(error),
                                                  finished=timezone.now())
    except Exception as error:  # noqa: BLE001 — the page says it failed; the log keeps the details
        import logging

        logging.getLogger(__name__).exception("report run %s failed", run.pk)
        ReportRun.objects.filter(pk=run.pk).update(status=ReportRun.Status.FAILED, error=type(error).__name__,
                                                  finished=timezone.now())
    else:
        ReportRun.objects.filter(pk=run.pk).update(
            status=ReportRun.Status.DONE, files=sorted(p.name for p in files), done=len(files), total=len(files),
            finished=timezone.now())
    progress.forget(key)
    run.refresh_from_db()
    return run


def start(run: ReportRun) -> None:
    """Queue the run for the worker (one cluster's reports are written at once, through the same function)."""
    if run.cluster_id is not None:
        run_reports.call(run.pk)
        return
    result = run_reports.enqueue(run.pk)
    ReportRun.objects.filter(pk=run.pk).update(task_id=str(result.id))


def live(run: ReportRun) -> ReportRun:
    """The run with its live progress from the shared cache."""
    if run.active and (record := progress.read(job_key(run.pk))):
        run.done, run.total = record["done"], record["total"]
    return run
