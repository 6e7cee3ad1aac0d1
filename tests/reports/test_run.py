"""A report run queued from the web app: the worker writes its files and records them; progress while it runs."""

from __future__ import annotations

import datetime as dt

import pytest

from poles.reports import run as runs
from poles.reports.models import ReportRun


@pytest.fixture
def reports_dir(settings, tmp_path):
    settings.POLES_REPORTS_DIR = str(tmp_path)
    settings.POLES_REPORT_JOBS = 1
    return tmp_path


def test_worker_runs_a_queued_report_run_and_records_its_files(world, reports_dir, run_worker, monkeypatch):
    monkeypatch.setattr(runs, "FORMATS", ("xlsx",))
    seen = []
    monkeypatch.setattr(runs.progress, "publish", lambda key, stage, done, total: seen.append((done, total)))
    run = ReportRun.objects.create(year=2024, read_on=dt.date(2024, 12, 31))
    runs.start(run)
    assert ReportRun.objects.get(pk=run.pk).status == ReportRun.Status.QUEUED
    run_worker()
    run.refresh_from_db()
    assert run.status == ReportRun.Status.DONE, run.error
    assert run.files == ["2024-cluster-alpha.xlsx", "2024-cluster-beta.xlsx", "2024-cluster-gamma.xlsx",
                         "2024-national.xlsx"]
    assert all((reports_dir / str(run.pk) / name).is_file() for name in run.files)
    assert seen[-1] == (4, 4)


def test_a_run_already_claimed_is_not_run_twice(world, reports_dir):
    run = ReportRun.objects.create(year=2024, read_on=dt.date(2024, 12, 31), status=ReportRun.Status.DONE)
    assert runs.execute(run.pk).files == []
