"""Importing a member list from the workspace: the CLI's row-level report, all-or-nothing."""

from __future__ import annotations

import io

import factories
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from poles.registry.models import Membership, Organisation
from poles.web import importjobs
from poles.web.models import ImportJob

pytestmark = pytest.mark.django_db

GOOD = factories.siren(777001)
OTHER = factories.siren(777002)


def csv_file(rows: list[str], name: str = "members.csv") -> SimpleUploadedFile:
    text = "\n".join(["nom;siren;ville;cotisation", *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client, cluster, file, **extra):
    return client.post(reverse("workspace_import", args=[cluster.slug]),
                       {"file": file, "year": "2025", **extra}, follow=True)


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


def test_a_job_run_records_progress_and_report(register, users):
    content = ("nom;siren\n" + "\n".join(f"Org {n};{factories.siren(900000 + n)}" for n in range(300))).encode()
    job = ImportJob.objects.create(cluster=register.cluster_a, user=users["manager"], file_name="big.csv",
                                   content=content, year=2025)
    finished = importjobs.run(job.pk)
    assert finished.status == ImportJob.Status.DONE
    assert finished.total == 300 and finished.done == 300
    assert finished.report["created"]["memberships"] == 300


def test_status_page_polls_while_running_and_stops_when_done(client_for, register, users):
    job = ImportJob.objects.create(cluster=register.cluster_a, user=users["manager"], file_name="x.csv",
                                   content=b"", year=2025, status=ImportJob.Status.RUNNING, done=5, total=10)
    url = reverse("workspace_import_job", args=[register.cluster_a.slug, job.pk])
    running = client_for("manager").get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in running and "<progress" in running
    job.status = ImportJob.Status.DONE
    job.save()
    assert 'hx-trigger' not in client_for("manager").get(url, HTTP_HX_REQUEST="true").content.decode()


def test_import_jobs_of_another_cluster_are_404(client_for, register, users):
    job = ImportJob.objects.create(cluster=register.cluster_b, user=None, file_name="x.csv", content=b"", year=2025)
    assert client_for("manager").get(
        reverse("workspace_import_job", args=[register.cluster_a.slug, job.pk])
    ).status_code == 404
