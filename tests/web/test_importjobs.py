"""Import jobs in the task queue: a job left running by a dead worker runs again or fails with the reason.

These tests leave the rows as a worker killed mid-import leaves them (job running, its task
claimed, no heartbeat); tests/web/test_import_queue_live.py kills a real worker process.
"""

from __future__ import annotations

import datetime as dt

import factories
import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from poles.core import progress
from poles.core.tasks import TaskResultStatus
from poles.registry.models import Membership
from poles.web import importjobs
from poles.web.models import ImportJob

pytestmark = pytest.mark.django_db
LEASE = 30


@pytest.fixture(autouse=True)
def _lease(settings):
    settings.POLES_JOB_LEASE = LEASE


def members_csv(count: int) -> bytes:
    return ("nom;siren\n" + "\n".join(f"Queued Org {n};{factories.siren(610_000 + n)}" for n in range(count))).encode()


def left_running_by_a_dead_worker(register, users, *, attempts: int = 1) -> ImportJob:
    """A job whose worker claimed its task, started importing and died a minute ago."""
    content = members_csv(50)
    job = ImportJob.objects.create(cluster=register.cluster_a, user=users["manager"], file_name="members.csv",
                                   content=content, size=len(content), year=2025, attempts=attempts - 1)
    importjobs.enqueue(job)
    job.refresh_from_db()
    DBTaskResult.objects.get(id=job.task_id).claim("worker-that-died")
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, attempts=attempts,
                                               started=timezone.now() - dt.timedelta(seconds=2 * LEASE))
    job.refresh_from_db()
    return job


def test_a_job_left_running_by_a_dead_worker_runs_again_and_completes(register, users, run_worker):
    job = left_running_by_a_dead_worker(register, users)
    lost_task = job.task_id
    assert importjobs.recover_stale_jobs() == {job.pk: ImportJob.Status.QUEUED}
    lost = DBTaskResult.objects.get(id=lost_task)
    assert lost.status == TaskResultStatus.FAILED and lost.exception_class_path.endswith("WorkerLost")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED and job.task_id != lost_task
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 2
    assert Membership.objects.filter(cluster=register.cluster_a, organisation__name__startswith="Queued Org").count() == 50


def test_a_job_whose_worker_still_beats_is_left_alone(register, users):
    job = left_running_by_a_dead_worker(register, users)
    progress.beat(importjobs.job_key(job.pk))
    assert importjobs.recover_stale_jobs() == {}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_a_job_whose_worker_died_on_every_attempt_fails_with_the_reason(register, users, client_for):
    job = left_running_by_a_dead_worker(register, users, attempts=ImportJob.MAX_ATTEMPTS)
    assert importjobs.recover_stale_jobs() == {job.pk: ImportJob.Status.FAILED}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.report["failure"] == "worker_lost"
    assert job.content == b"" and job.finished is not None
    page = client_for("manager").get(reverse("workspace_import_job", args=[register.cluster_a.slug, job.pk]),
                                     HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The task worker running this import stopped 3 times before it ended; nothing was written." in page


def test_the_lost_runs_task_does_nothing_once_the_job_runs_again(register, users):
    job = left_running_by_a_dead_worker(register, users)
    importjobs.recover_stale_jobs()
    again = importjobs.execute(job.pk, 0)
    assert again.status == ImportJob.Status.QUEUED and again.attempts == 1
    assert not Membership.objects.filter(organisation__name__startswith="Queued Org").exists()


def test_polling_the_page_recovers_a_job_whose_worker_died(register, users, client_for, settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                                   "LOCATION": str(tmp_path / "cache")}}
    job = left_running_by_a_dead_worker(register, users)
    url = reverse("workspace_import_job", args=[register.cluster_a.slug, job.pk])
    page = client_for("manager").get(url, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "it runs again (attempt 2 of 3)" in page and 'hx-trigger="every 1s"' in page
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.QUEUED


def test_a_waiting_job_whose_task_is_gone_is_queued_again(register, users, run_worker):
    content = members_csv(3)
    job = ImportJob.objects.create(cluster=register.cluster_a, user=users["manager"], file_name="m.csv",
                                   content=content, size=len(content), year=2025)
    importjobs.enqueue(job)
    job.refresh_from_db()
    DBTaskResult.objects.filter(id=job.task_id).delete()
    ImportJob.objects.filter(pk=job.pk).update(created=timezone.now() - dt.timedelta(seconds=2 * LEASE))
    assert importjobs.recover_stale_jobs() == {job.pk: ImportJob.Status.QUEUED}
    run_worker()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE


def test_a_waiting_job_that_was_never_queued_is_queued_by_recovery(register, users, run_worker):
    """An upload whose task could not be queued (the database stayed busy) is not forgotten."""
    content = members_csv(2)
    job = ImportJob.objects.create(cluster=register.cluster_a, user=users["manager"], file_name="m.csv",
                                   content=content, size=len(content), year=2025)
    ImportJob.objects.filter(pk=job.pk).update(created=timezone.now() - dt.timedelta(seconds=2 * LEASE))
    assert importjobs.recover_stale_jobs() == {job.pk: ImportJob.Status.QUEUED}
    run_worker()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.DONE
