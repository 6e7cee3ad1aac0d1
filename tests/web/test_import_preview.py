"""After an upload, the page shows how each column was understood; the import runs when the user confirms."""

from __future__ import annotations

import factories
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from poles.core.models import AuditEntry
from poles.imports.members import MembersImporter
from poles.registry.models import Organisation, OrganisationFigures
from poles.web.models import ImportJob

pytestmark = pytest.mark.django_db

GOOD, OTHER = factories.siren(616161), factories.siren(626262)


def send(client, cluster, text: str, language: str = "fr", name: str = "membres.csv", **extra):
    return client.post(reverse("workspace_import", args=[cluster.slug]),
                       {"file": SimpleUploadedFile(name, text.encode()), "year": "2025", **extra},
                       follow=True, HTTP_ACCEPT_LANGUAGE=language)


def confirm(client, job, language: str = "fr"):
    return client.post(reverse("workspace_import_confirm", args=[job.cluster.slug, job.pk]), follow=True,
                       HTTP_ACCEPT_LANGUAGE=language)


CURLY = (f"Nom;SIREN;Chiffre d’affaires;Année des chiffres;Commentaire interne;Statut\n"
         f"Atelier Aperçu;{GOOD};1 200 000;2024;à relancer;adhérent\n"
         f"Forge Aperçu;{OTHER};;;;démissionnaire\n")


def test_the_preview_shows_each_column_as_understood_and_writes_nothing(client_for, register):
    client = client_for("manager")
    response = send(client, register.cluster_a, CURLY)
    job = response.context["job"]
    page = response.content.decode()
    assert job.status == ImportJob.Status.PREVIEW
    assert '<th scope="row">Chiffre d’affaires</th><td>chiffre d’affaires (€)</td>' in page
    assert '<th scope="row">Année des chiffres</th><td>année des chiffres</td>' in page
    assert '<th scope="row">Commentaire interne</th><td>ignorée : pas une colonne d’une liste de membres</td>' in page
    rows = response.context["preview"]["rows"]
    assert [r["number"] for r in rows] == [2, 3]
    assert rows[0]["cells"] == ["Atelier Aperçu", GOOD, "1\xa0200\xa0000", "2024", "membre"]
    assert rows[1]["cells"][-1] == "démissionnaire"
    assert "Confirmer et importer" in page
    assert not Organisation.objects.filter(siren__in=[GOOD, OTHER]).exists()
    assert not AuditEntry.objects.filter(model="import:import").exists()


def test_confirming_imports_the_file_with_the_curly_apostrophe_column(client_for, register):
    client = client_for("manager")
    job = send(client, register.cluster_a, CURLY).context["job"]
    response = confirm(client, job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, job.report
    assert OrganisationFigures.objects.get(organisation__siren=GOOD, year=2024).turnover == 1_200_000
    with translation.override("fr"):
        assert job.report["notes"] == [MembersImporter.ignored_note(["Commentaire interne"])]
    assert "Commentaire interne" in response.content.decode()
    assert ImportJob.objects.get(pk=job.pk).content == b""


def test_a_second_confirmation_runs_nothing_more(client_for, register):
    client = client_for("manager")
    job = send(client, register.cluster_a, CURLY).context["job"]
    confirm(client, job)
    audits = AuditEntry.objects.count()
    confirm(client, job)
    job.refresh_from_db()
    assert job.attempts == 1 and AuditEntry.objects.count() == audits


def test_a_missing_required_column_blocks_the_confirmation(client_for, register):
    response = send(client_for("manager"), register.cluster_a, "Ville;SIREN\nLyon;123\n", language="en")
    page = response.content.decode()
    assert "the column “name” is required" in page
    assert "Confirm and import" not in page and 'id="id_file"' in page


def test_figures_without_their_year_column_are_stated_in_the_preview(client_for, register):
    response = send(client_for("manager"), register.cluster_a, "nom;Effectif\nAcme;12\n")
    page = response.content.decode()
    assert "la colonne « Effectif » demande à côté d’elle la colonne « année des chiffres »" in page
    job = response.context["job"]
    failed = confirm(client_for("manager"), job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    [error] = job.report["errors"]
    assert error["column"] == "Effectif" and error["row"] is None
    assert "(1 ligne les remplit)" in failed.content.decode()


def test_errors_are_in_the_uploaders_language_naming_the_column_as_written(client_for, register):
    client = client_for("manager")
    job = send(client, register.cluster_a, "Raison sociale;Cotisation payée;Cotisation\nAcme;500;100\n",
               language="en").context["job"]
    assert job.language == "en"
    confirm(client, job, language="fr")  # whoever confirms, the report is in the uploader's language
    job.refresh_from_db()
    assert [(e["row"], e["column"], e["reason"]) for e in job.report["errors"]] == [
        (2, "Cotisation payée", "paid more than invoiced (100.00)")]


def test_the_first_rows_show_their_errors_before_importing(client_for, register):
    response = send(client_for("manager"), register.cluster_a, "nom;type\nAcme;vaisseau spatial\n")
    [row] = response.context["preview"]["rows"]
    assert row["errors"][0]["column"] == "type"
    assert "valeur inconnue" in row["errors"][0]["reason"]


def test_cancel_drops_the_upload_and_a_new_upload_replaces_an_old_preview(client_for, register):
    client = client_for("manager")
    first = send(client, register.cluster_a, CURLY).context["job"]
    second = send(client, register.cluster_a, CURLY).context["job"]
    assert not ImportJob.objects.filter(pk=first.pk).exists()
    response = client.post(reverse("workspace_import_cancel", args=[register.cluster_a.slug, second.pk]))
    assert response.status_code == 302
    assert not ImportJob.objects.filter(pk=second.pk).exists()


def test_an_unreadable_file_fails_at_once_with_its_reason(client_for, register):
    response = send(client_for("manager"), register.cluster_a, "%PDF-1.7", name="membres.xlsx")
    job = response.context["job"]
    assert job.status == ImportJob.Status.FAILED and job.content == b""
    assert "c’est un document PDF" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "national", "outsider"])
def test_only_importers_confirm_or_cancel(client_for, register, users, role):
    job = send(client_for("manager"), register.cluster_a, CURLY).context["job"]
    for name in ("workspace_import_confirm", "workspace_import_cancel"):
        assert client_for(role).post(reverse(name, args=[register.cluster_a.slug, job.pk])).status_code in (403, 404)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEW
