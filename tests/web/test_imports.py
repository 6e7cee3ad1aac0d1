"""Importing a member list from the workspace: the CLI's row-level report, all-or-nothing."""

from __future__ import annotations

import io

import factories
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from importing import confirm
from openpyxl import Workbook

from poles.core import progress
from poles.registry.models import Membership, Organisation
from poles.web import importjobs
from poles.web.models import ImportJob

pytestmark = pytest.mark.django_db

GOOD = factories.siren(777001)
OTHER = factories.siren(777002)


def csv_file(rows: list[str], name: str = "members.csv") -> SimpleUploadedFile:
    text = "\n".join(["nom;siren;ville;cotisation", *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client, cluster, file, language="fr", **extra):
    response = client.post(reverse("workspace_import", args=[cluster.slug]),
                           {"file": file, "year": "2025", **extra}, follow=True, HTTP_ACCEPT_LANGUAGE=language)
    return confirm(client, response, language)


def test_import_reports_the_bad_row_and_column_and_writes_nothing(client_for, register):
    response = upload(client_for("manager"), register.cluster_a,
                      csv_file([f"Good One;{GOOD};Lyon;100", "Bad Two;123456789;Lyon;100"]))
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    errors = job.report["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "siren")]
    assert "123456789" in response.content.decode()
    assert not Organisation.objects.filter(name="Good One").exists()


def test_import_of_a_clean_file_creates_members(client_for, register):
    response = upload(client_for("manager"), register.cluster_a,
                      csv_file([f"Good One;{GOOD};Lyon;100", f"Good Two;{OTHER};Lyon;200"]))
    assert response.context["job"].status == ImportJob.Status.DONE
    assert Membership.objects.filter(cluster=register.cluster_a, organisation__siren__in=[GOOD, OTHER]).count() == 2


def test_dry_run_checks_without_writing(client_for, register):
    response = upload(client_for("manager"), register.cluster_a, csv_file([f"Good One;{GOOD};Lyon;100"]),
                      dry_run="on")
    assert response.context["job"].status == ImportJob.Status.DONE
    assert not Organisation.objects.filter(siren=GOOD).exists()


def test_import_accepts_xlsx(client_for, register):
    book = Workbook()
    book.active.append(["name", "siren", "city"])
    book.active.append(["Xlsx Member", GOOD, "Lyon"])
    buffer = io.BytesIO()
    book.save(buffer)
    file = SimpleUploadedFile("members.xlsx", buffer.getvalue())
    assert upload(client_for("manager"), register.cluster_a, file).context["job"].status == "done"
    assert Organisation.objects.filter(name="Xlsx Member").exists()


def test_import_refuses_a_file_that_is_not_csv_or_xlsx(client_for, register):
    response = upload(client_for("manager"), register.cluster_a,
                      SimpleUploadedFile("members.pdf", b"%PDF-1.4"))
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("role", ["national", "regional", "member", "outsider"])
def test_only_the_clusters_managers_import(client_for, register, role):
    response = client_for(role).post(reverse("workspace_import", args=[register.cluster_a.slug]),
                                     {"file": csv_file([f"Good One;{GOOD};Lyon;100"]), "year": "2025"})
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def members_csv(count: int, start: int = 900000) -> bytes:
    return ("nom;siren\n" + "\n".join(f"Org {n};{factories.siren(start + n)}" for n in range(count))).encode()


def test_a_large_file_is_queued_and_run_by_the_task_worker(client_for, register, settings, run_worker):
    settings.POLES_IMPORT_INLINE_BYTES = 1000
    response = upload(client_for("manager"), register.cluster_a,
                      SimpleUploadedFile("big.csv", members_csv(300), content_type="text/csv"))
    job = response.context["job"]
    assert job.status == ImportJob.Status.QUEUED and job.task_id
    assert "Waiting for the task worker" in response.content.decode() or "En attente" in response.content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.attempts == 1
    assert job.total == 300 and job.done == 300
    assert job.report["created"]["memberships"] == 300
    assert job.content == b"" and job.size > 1000


def test_status_page_polls_while_running_and_stops_when_done(client_for, register, users):
    job = ImportJob.objects.create(cluster=register.cluster_a, user=users["manager"], file_name="x.csv",
                                   content=b"", year=2025, status=ImportJob.Status.RUNNING, attempts=1,
                                   started=timezone.now())
    progress.publish(importjobs.job_key(job.pk), "writing memberships", 5, 10)
    url = reverse("workspace_import_job", args=[register.cluster_a.slug, job.pk])
    running = client_for("manager").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in running and "<progress" in running
    assert 'max="10" value="5"' in running
    job.status = ImportJob.Status.DONE
    job.save()
    assert 'hx-trigger' not in client_for("manager").get(url, HTTP_HX_REQUEST="true").content.decode()


def test_import_jobs_of_another_cluster_are_404(client_for, register, users):
    job = ImportJob.objects.create(cluster=register.cluster_b, user=None, file_name="x.csv", content=b"", year=2025)
    assert client_for("manager").get(
        reverse("workspace_import_job", args=[register.cluster_a.slug, job.pk])
    ).status_code == 404


def test_page_states_the_size_and_row_limits(client_for, register, settings):
    settings.POLES_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    page = client_for("manager").get(reverse("workspace_import", args=[register.cluster_a.slug]),
                                     HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "At most 2.0\xa0MB and 100,000 rows." in page


@pytest.mark.parametrize("language, message", [
    ("en", "“big.csv” is larger than 1000\xa0bytes, the largest file accepted"),
    ("fr", "« big.csv » dépasse 1000\xa0octets, la taille maximale acceptée"),
])
def test_a_file_over_the_limit_is_refused_with_a_clear_message(client_for, register, settings, language, message):
    settings.POLES_IMPORT_MAX_BYTES = 1000
    response = client_for("manager").post(
        reverse("workspace_import", args=[register.cluster_a.slug]),
        {"file": SimpleUploadedFile("big.csv", members_csv(100)), "year": "2025"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_small_xlsx_that_expands_to_a_huge_sheet_is_refused(client_for, register):
    book = Workbook()
    book.active.append(["name", "siren"])
    book.active.cell(row=180_000, column=1, value="Bomb")
    buffer = io.BytesIO()
    book.save(buffer)
    assert len(buffer.getvalue()) < 60_000
    response = upload(client_for("manager"), register.cluster_a, SimpleUploadedFile("bomb.xlsx", buffer.getvalue()),
                      language="en")
    assert "The sheet has 180,000 rows; at most 100,000 are accepted." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_job_page_shows_the_first_errors_and_how_many_more(client_for, register, settings):
    settings.POLES_IMPORT_MAX_ERRORS = 200
    bad = "\n".join(["nom;siren", *[f"Bad {n};12345678" for n in range(500)]]).encode()
    response = upload(client_for("manager"), register.cluster_a, SimpleUploadedFile("bad.csv", bad),
                      language="en")
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert len(job.report["errors"]) == 200 and job.report["error_count"] == 500
    page = response.content.decode()
    assert "500 errors found: nothing was written." in page
    assert page.count('<td class="num">') == 200
    assert "… and 300 more errors, not shown" in page


def test_the_uploaded_file_is_dropped_when_the_job_ends(client_for, register):
    done = upload(client_for("manager"), register.cluster_a, csv_file([f"Good One;{GOOD};Lyon;100"]))
    failed = upload(client_for("manager"), register.cluster_a, csv_file(["Bad Two;123456789;Lyon;100"]))
    for response in (done, failed):
        job = ImportJob.objects.get(pk=response.context["job"].pk)
        assert job.finished is not None and job.content == b"" and job.size > 0
