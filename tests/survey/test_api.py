"""The survey through /api/v1/surveys: the pages' services, the same refusals (French first), audit and e-mails."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from poles.core.models import AuditEntry
from poles.survey.models import Report


def call(client: Client, method: str, url: str, data=None, language: str = "fr"):
    if method == "get":
        return client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json",
                                   HTTP_ACCEPT_LANGUAGE=language)


@pytest.fixture
def api(client_for):
    return client_for


def url(register, suffix: str = "", cluster=None) -> str:
    return f"/api/v1/surveys/2024/reports/{(cluster or register.cluster_a).slug}{suffix}"


def test_a_report_goes_round_the_workflow_through_the_api(survey, register, api, mailoutbox):
    manager, national, regional = api("manager"), api("national"), api("regional")
    bad = call(manager, "patch", url(register), {"figures": {"patents": "deux", "staff_fte": "9,5"}})
    assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    assert [e["loc"] for e in bad.json()["errors"]] == [["figures", "patents"]]
    assert Report.objects.get(survey=survey, cluster=register.cluster_a).declared == {}
    saved = call(manager, "patch", url(register), {"figures": {"patents": "2", "staff_fte": "9,5"}, "note": "RAS"})
    assert saved.status_code == 200, saved.content
    figures = {f["code"]: f for f in saved.json()["figures"]}
    assert figures["staff_fte"]["declared"] == "9.5" and figures["staff_fte"]["corrected"]
    assert [a["action"] for a in saved.json()["actions"]] == ["submit"]
    assert call(manager, "get", url(register, "/snapshot")).status_code == 404
    assert call(manager, "post", url(register, "/transitions"), {"action": "submit"}).json()["state"] == "submitted"
    assert {m.to[0] for m in mailoutbox} >= {"national@example.org", "manager@example.org"}
    mailoutbox.clear()
    refused = call(national, "post", url(register, "/transitions"), {"action": "send_back"})
    assert refused.status_code == 409
    assert refused.json()["detail"] == "Dites au pôle ce qu’il doit corriger (commentaire obligatoire)."
    assert refused.json()["reasons"][0]["en"] == "Tell the cluster what to correct (a comment is required)."
    english = call(national, "post", url(register, "/transitions"), {"action": "send_back"}, language="en")
    assert english.json()["detail"] == "Tell the cluster what to correct (a comment is required)."
    sent = call(national, "post", url(register, "/transitions"), {"action": "send_back", "comment": "Brevets ?"})
    assert sent.json()["state"] == "sent_back" and sent.json()["comment"] == "Brevets ?"
    (mail,) = mailoutbox
    assert mail.to == ["manager@example.org"] and "Brevets ?" in mail.body
    call(manager, "post", url(register, "/transitions"), {"action": "submit"})
    validated = call(regional, "post", url(register, "/transitions"), {"action": "validate"})
    assert validated.json()["state"] == "validated" and validated.json()["editable"] is False
    snapshot = call(manager, "get", url(register, "/snapshot")).json()
    assert snapshot["figures"]["patents"]["value"] == "2" and snapshot["validated_by"]["username"] == "regional"
    entries = AuditEntry.objects.filter(model="survey.Report", changes__has_key="state").order_by("pk")
    assert [(e.changes["action"][1], e.channel) for e in entries] == [
        ("submit", "api"), ("send_back", "api"), ("submit", "api"), ("validate", "api")]


def test_refusals_name_the_reason_and_the_right_status(survey, register, api):
    manager = api("manager")
    assert call(manager, "post", url(register, "/transitions"), {"action": "publish"}).status_code == 422
    call(manager, "post", url(register, "/transitions"), {"action": "submit"})
    forbidden = call(manager, "post", url(register, "/transitions"), {"action": "validate"}, language="en")
    assert forbidden.status_code == 403 and forbidden.json()["detail"] == "You may not 'validate' this report."
    again = call(manager, "post", url(register, "/transitions"), {"action": "submit"}, language="en")
    assert again.status_code == 409 and "possible in: draft, sent back" in again.json()["detail"]
    locked = call(manager, "patch", url(register), {"figures": {"patents": "1"}})
    assert locked.status_code == 403
    assert call(manager, "patch", url(register), {"figures": {"nothing": "1"}}).status_code in (403, 422)


@pytest.mark.parametrize("role", ["member", "reviewer", "outsider", "anonymous"])
def test_others_read_no_report_nor_status(survey, register, api, role):
    client = api(role)
    assert call(client, "get", url(register)).status_code in (401, 404)
    assert call(client, "get", "/api/v1/surveys/2024").status_code in (401, 403)
    assert call(client, "post", url(register, "/transitions"), {"action": "submit"}).status_code in (401, 404)


def test_the_status_lists_the_callers_scope_and_comes_as_csv(survey, register, api):
    national = call(api("national"), "get", "/api/v1/surveys/2024").json()
    assert [r["cluster_slug"] for r in national["status"]] == [register.cluster_a.slug, register.cluster_b.slug]
    assert national["counts"]["draft"] == 2
    regional = call(api("regional"), "get", "/api/v1/surveys/2024").json()
    assert [r["cluster_slug"] for r in regional["status"]] == [register.cluster_a.slug]
    response = api("national").get("/api/v1/surveys/2024?format=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["cluster_slug"], r["state"]) for r in rows] == [(register.cluster_a.slug, "draft"),
                                                                (register.cluster_b.slug, "draft")]
    assert call(api("manager"), "get", url(register, cluster=register.cluster_b)).status_code == 404


def test_the_officers_export_status_and_figures_from_the_status_page(survey, register, client_for):
    from openpyxl import load_workbook

    page = client_for("national").get("/programme/surveys/2024/")
    assert "/programme/surveys/2024/export/figures/?format=xlsx" in page.content.decode()
    status = client_for("national").get("/programme/surveys/2024/export/status/?format=csv")
    text = status.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("année;pôle;identifiant;état")
    figures = client_for("regional").get("/programme/surveys/2024/export/figures/?format=xlsx")
    rows = list(load_workbook(io.BytesIO(figures.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("année", "pôle", "état", "code")
    assert {r[1] for r in rows[1:]} == {register.cluster_a.name}
    assert client_for("manager").get("/programme/surveys/2024/export/status/?format=csv").status_code == 403
    assert client_for("national").get("/programme/surveys/2024/export/other/").status_code == 404
