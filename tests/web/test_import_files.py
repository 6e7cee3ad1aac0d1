"""Uploading a broken or unusual member list: the job report says what is wrong with the file."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from importing import confirm
from openpyxl import Workbook

from poles.registry.models import Organisation
from poles.web.models import ImportJob

pytestmark = pytest.mark.django_db


def upload(client, cluster, name: str, content: bytes):
    return confirm(client, client.post(reverse("workspace_import", args=[cluster.slug]),
                                       {"file": SimpleUploadedFile(name, content), "year": "2025"}, follow=True))


def workbook_bytes() -> bytes:
    book = Workbook()
    book.active.append(["nom", "ville"])
    book.active.append(["Acme", "Lyon"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("membres.xlsx", workbook_bytes()[:1500], "classeur XLSX illisible : le fichier n’est pas l’archive ZIP"),
        ("membres.xlsx", b"%PDF-1.7\n", "classeur XLSX illisible : c’est un document PDF"),
        ("membres.csv", b"nom;ville\nAc\x00me;Lyon\n", "contient un caractère NUL"),
    ],
)
def test_the_job_report_says_what_is_wrong_with_the_file(client_for, register, name, content, reason):
    response = upload(client_for("manager"), register.cluster_a, name, content)
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED
    reasons = [e["reason"] for e in job.report["errors"]]
    assert any(reason in r for r in reasons), reasons
    assert not any("unexpected" in r for r in reasons)
    assert reason in response.content.decode()
    assert "\x00" not in str(job.report)


def test_a_utf16_upload_keeps_its_accents(client_for, register):
    content = "\ufeffnom\tville\nSociété Générale\tParis\n".encode("utf-16-le")
    response = upload(client_for("manager"), register.cluster_a, "membres.csv", content)
    assert response.context["job"].status == ImportJob.Status.DONE
    assert Organisation.objects.filter(name="Société Générale", city="Paris").exists()
