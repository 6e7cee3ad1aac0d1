"""The survey's pages: the report in the workspace, the programme's status table, evidence files."""

from __future__ import annotations

import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from poles.survey import services


def _report_url(cluster, year=2024) -> str:
    return reverse("workspace_report", kwargs={"slug": cluster.slug, "year": year})


def _text(response) -> str:
    return html.unescape(response.content.decode())


def test_the_manager_sees_the_register_values_and_what_they_corrected(survey, client_for, register):
    client = client_for("manager")
    page = _text(client.get(_report_url(register.cluster_a), HTTP_ACCEPT_LANGUAGE="en"))
    assert 'id="row-staff_fte"' in page and "Register" in page
    assert 'name="fig_staff_fte"' in page
    assert "0 figures corrected by the cluster." in page
    response = client.post(_report_url(register.cluster_a), {"fig_staff_fte": "9.5", "note": "Busy year"})
    assert response.status_code == 302
    page = _text(client.get(_report_url(register.cluster_a), HTTP_ACCEPT_LANGUAGE="en"))
    assert "1 figure corrected by the cluster." in page
    row = page.split('id="row-staff_fte"')[1].split("</tr>")[0]
    assert ">8<" in row and 'value="9.5"' in row and "corrected" in row


def test_a_bad_figure_is_shown_beside_its_field_and_nothing_is_saved(survey, client_for, register):
    client = client_for("manager")
    response = client.post(_report_url(register.cluster_a), {"fig_patents": "deux"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    page = _text(response)
    assert "“deux” is not a number." in page and 'value="deux"' in page
    assert survey.reports.get(cluster=register.cluster_a).declared == {}


def test_the_workspace_has_an_annual_survey_tab_listing_the_cluster_s_reports(survey, client_for, register):
    page = _text(client_for("manager").get(reverse("workspace_survey", kwargs={"slug": register.cluster_a.slug}),
                                           HTTP_ACCEPT_LANGUAGE="en"))
    assert "Annual survey" in page and _report_url(register.cluster_a) in page


def test_the_regional_officer_s_status_table_lists_their_region_s_clusters_only(survey, client_for, register):
    page = _text(client_for("regional").get(reverse("survey_status", kwargs={"year": 2024})))
    assert "Cluster Alpha" in page and "Cluster Beta" not in page
    page = _text(client_for("national").get(reverse("survey_status", kwargs={"year": 2024})))
    assert "Cluster Alpha" in page and "Cluster Beta" in page


def test_the_national_officer_opens_a_survey_from_the_page(register, client_for):
    client = client_for("national")
    response = client.post(reverse("survey_open"), {"year": "2024", "deadline": "2025-03-31"})
    assert response.status_code == 302 and response["Location"] == reverse("survey_status", kwargs={"year": 2024})
    again = client.post(reverse("survey_open"), {"year": "2024"}, HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and "The 2024 survey is already open." in _text(again)


def test_an_officer_sends_back_with_a_comment_the_manager_reads(survey, client_for, register, users):
    report = survey.reports.get(cluster=register.cluster_a)
    services.transition(report, "submit", users["manager"])
    national = client_for("national")
    action = reverse("workspace_report_action", kwargs={"slug": register.cluster_a.slug, "year": 2024})
    refused = national.post(action, {"action": "send_back", "comment": ""}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "a comment is required" in _text(refused)
    national.post(action, {"action": "send_back", "comment": "Budget lines are missing."})
    page = _text(client_for("manager").get(_report_url(register.cluster_a)))
    assert "Budget lines are missing." in page and 'name="fig_staff_fte"' in page


def test_a_validated_report_shows_its_frozen_snapshot(survey, client_for, register, users):
    report = survey.reports.get(cluster=register.cluster_a)
    services.transition(report, "submit", users["manager"])
    services.transition(report, "validate", users["national"])
    page = _text(client_for("manager").get(_report_url(register.cluster_a), HTTP_ACCEPT_LANGUAGE="en"))
    assert 'id="frozen"' in page and "Validated by national@example.org" in page
    assert '"validated_by"' in page and 'name="fig_staff_fte"' not in page


@override_settings(POLES_IMPORT_MAX_BYTES=100)
def test_evidence_is_attached_within_the_upload_limit_and_downloaded_as_a_file(survey, client_for, register):
    client = client_for("manager")
    url = reverse("workspace_report_evidence", kwargs={"slug": register.cluster_a.slug, "year": 2024})
    too_big = client.post(url, {"file": SimpleUploadedFile("big.pdf", b"x" * 200)}, HTTP_ACCEPT_LANGUAGE="en")
    assert too_big.status_code == 400 and "larger than 100" in _text(too_big)
    wrong = client.post(url, {"file": SimpleUploadedFile("page.html", b"<script>")}, HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 400 and "“page.html” is none of them" in _text(wrong)
    assert client.post(url, {"file": SimpleUploadedFile("bilan.pdf", b"%PDF-1.4")}).status_code == 302
    evidence = survey.reports.get(cluster=register.cluster_a).evidence.get()
    download = client.get(reverse("workspace_report_evidence_file", kwargs={
        "slug": register.cluster_a.slug, "year": 2024, "pk": evidence.pk}))
    assert download["Content-Disposition"] == 'attachment; filename="bilan.pdf"'
    assert download["Content-Type"] == "application/octet-stream" and download.content == b"%PDF-1.4"


def test_people_outside_the_cluster_s_team_read_no_report(survey, client_for, register):
    for role in ("member", "outsider", "reviewer"):
        assert client_for(role).get(_report_url(register.cluster_a)).status_code in (403, 404)
    assert client_for("anonymous").get(_report_url(register.cluster_a)).status_code == 302
    assert client_for("regional").get(_report_url(register.cluster_b)).status_code in (403, 404)


def test_a_reminder_reaches_the_manager_in_the_workspace_and_by_mail(survey, client_for, register, mailoutbox):
    remind = reverse("survey_remind", kwargs={"year": 2024})
    assert client_for("regional").post(remind, {}).status_code == 302
    assert [m.to for m in mailoutbox] == [["manager@example.org"]]
    page = _text(client_for("manager").get(reverse("workspace_survey", kwargs={"slug": register.cluster_a.slug})))
    assert 'id="notifications"' in page and "Rappel\u00a0: enquête annuelle 2024 de Cluster Alpha" in page
    report_b = survey.reports.get(cluster=register.cluster_b)
    assert client_for("regional").post(remind, {"report": str(report_b.pk)}).status_code == 404
