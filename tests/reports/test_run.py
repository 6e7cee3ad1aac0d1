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


def _officer_client():
    import factories
    from django.test import Client

    client = Client()
    client.force_login(factories.user("boss", is_superuser=True, is_staff=True))
    return client


def test_the_reports_page_starts_a_run_as_of_the_date_given(world, reports_dir, monkeypatch):
    from django.urls import reverse

    monkeypatch.setattr(runs, "start", lambda run: None)
    response = _officer_client().post(reverse("programme_reports"), {"year": "2024", "as_of": "2025-01-15"})
    assert response.status_code == 302
    run = ReportRun.objects.get()
    assert run.as_of == dt.date(2025, 1, 15) and run.year == 2024


def test_the_reports_page_refuses_a_date_that_is_not_one_or_is_to_come(world, reports_dir, monkeypatch):
    from django.urls import reverse

    monkeypatch.setattr(runs, "start", lambda run: None)
    client = _officer_client()
    for text in ("15/01/2025", "2999-01-01"):
        response = client.post(reverse("programme_reports"), {"year": "2024", "as_of": text}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200 and not ReportRun.objects.exists()
        assert "Expected a date" in response.content.decode() or "Date attendue" in response.content.decode()


def test_the_command_refuses_a_bad_as_of_date_with_exit_code_2(world, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as error:
        call_command("reports", "--year", "2024", "--out", str(tmp_path), "--as-of", "2025-13-01")
    assert error.value.returncode == 2 and "--as-of" in str(error.value)
