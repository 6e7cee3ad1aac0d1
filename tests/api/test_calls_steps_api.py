# ruff: noqa: F811 — `world` is the fixture of test_calls_api, taken by name as the tests' argument
"""The calls API for the steps the pages had alone: labels of files, reviewer assignment, the panel's
consensus, the what-if, agreements and their follow-up, documents of file questions.

Each endpoint runs the service its page runs (audited with channel "api", notified), refuses what
the permission layer refuses (403/404), and answers an illegal step with the reason as a problem
document in the reader's language (409).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factories
import pytest
from calls.callworld import FORM
from django.test import Client
from django.utils import timezone
from helpers import body, send
from test_calls_api import client_of, eligible_file, world  # noqa: F401 — the world is a fixture

from poles.access.roles import Role
from poles.calls import deciding, reviewing
from poles.calls.models import Application, ConflictDeclaration, Document, Notification, Selection
from poles.calls.transitions import transition
from poles.core.models import AuditEntry
from poles.projects.models import Funding, ProjectCluster

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    return body(response)


def _draft(w, acronym):
    from calls.callworld import consortium

    return consortium(w, w.setup, w.coordinator, w.coord, [w.eti, w.lab], acronym=acronym)


def _submitted(w, acronym="LABELME"):
    app = _draft(w, acronym)
    transition(app, "submit", w.coordinator)
    transition(app, "declare_eligible", w.officer)
    return app


# --- labels of files ------------------------------------------------------------------------------

def test_the_coordinator_asks_a_label_and_the_clusters_manager_decides_it(world):
    w = world
    app = _submitted(w)
    asked = send(client_of(w.coordinator), "post", "/api/v1/labelling-requests",
                 {"application": app.pk, "cluster": w.cluster_a.pk})
    assert asked.status_code == 201, asked.content
    request_id = body(asked)["id"]
    manager = client_of(w.manager_a)
    queue = body(manager.get(f"/api/v1/labelling-requests?cluster={w.cluster_a.pk}&status=asked"))
    assert [r["id"] for r in queue] == [request_id]
    decided = send(manager, "post", f"/api/v1/labelling-requests/{request_id}/decision", {"status": "labelled"})
    assert decided.status_code == 200, decided.content
    assert body(decided)["status"] == "labelled" and body(decided)["application_state"] == "labelled"
    assert ProjectCluster.objects.filter(project=app.project, cluster=w.cluster_a).exists()
    assert AuditEntry.objects.filter(model="calls.LabellingRequest", channel="api").count() == 2
    assert Notification.objects.filter(application=app, action="label").exists()


def test_a_label_decision_needs_its_conditions_and_only_the_cluster_asked_decides(world):
    w = world
    app = _submitted(w)
    row = reviewing.ask_label(w.coordinator, app, w.cluster_a)
    cluster_b = factories.cluster("Cluster Beta", regions=("53",), short_name="Beta")
    manager_b = factories.user("manager-b", {"role": Role.MANAGER, "cluster": cluster_b})
    url = f"/api/v1/labelling-requests/{row.pk}"
    assert client_of(manager_b).get(url).status_code == 404  # a file that did not ask their cluster
    _problem(send(client_of(manager_b), "post", url + "/decision", {"status": "labelled"}), 404)
    assert body(client_of(manager_b).get("/api/v1/labelling-requests")) == []
    assert client_of(w.coordinator).get(url).status_code == 200  # the consortium reads its request
    _problem(send(client_of(w.coordinator), "post", url + "/decision", {"status": "labelled"}), 403)
    fr = Client(HTTP_ACCEPT_LANGUAGE="fr")
    fr.force_login(w.manager_a)
    problem = _problem(send(fr, "post", url + "/decision", {"status": "conditional"}), 409)
    assert "conditions" in problem["detail"].lower() and problem["title"] == "Conflit"
    declined = send(client_of(w.manager_a), "post", url + "/decision", {"status": "declined", "text": "Off theme."})
    assert body(declined)["status"] == "declined" and body(declined)["text"] == "Off theme."
    assert Application.objects.get(pk=app.pk).state == "eligible"
    assert Client().get("/api/v1/labelling-requests").status_code == 401


def test_a_reviewer_reads_no_labelling_request(world):
    w = world
    app = _submitted(w)
    row = reviewing.ask_label(w.coordinator, app, w.cluster_a)
    reviewer = client_of(w.reviewers[0])
    assert body(reviewer.get("/api/v1/labelling-requests")) == []
    assert reviewer.get(f"/api/v1/labelling-requests/{row.pk}").status_code == 404


# --- reviewer assignment --------------------------------------------------------------------------

def test_the_officer_assigns_by_hand_and_a_conflicted_reviewer_is_refused_with_the_reason(world):
    w = world
    app = eligible_file(w)
    transition(app, "start_review", w.officer)
    conflicted, free = w.reviewers[0], w.reviewers[1]
    ConflictDeclaration.objects.create(reviewer=conflicted, organisation=w.eti)
    officer = client_of(w.officer)
    refused = _problem(send(officer, "post", "/api/v1/assignments",
                            {"application": app.pk, "reviewer": conflicted.pk}), 409)
    assert "conflict" in refused["detail"] and refused["reasons"][0]["fr"]
    made = send(officer, "post", "/api/v1/assignments", {"application": app.pk, "reviewer": free.pk})
    assert made.status_code == 201 and body(made)["how"] == "manual"
    exclusions = body(officer.get(f"/api/v1/assignments/exclusions?call={w.setup.pk}"))
    assert {(e["application"], e["reviewer"]) for e in exclusions} >= {(app.pk, conflicted.pk)}
    listed = body(officer.get(f"/api/v1/assignments?call={w.setup.pk}"))
    assert [(a["application"], a["reviewer"]) for a in listed] == [(app.pk, free.pk)]
    assert AuditEntry.objects.filter(model="calls.Assignment", channel="api").count() == 1
    assert Notification.objects.filter(user=free, application=app).exists()
    for someone in (w.coordinator, w.manager_a, free):
        _problem(send(client_of(someone), "post", "/api/v1/assignments",
                      {"application": app.pk, "reviewer": w.reviewers[2].pk}), 403)
        _problem(client_of(someone).get(f"/api/v1/assignments?call={w.setup.pk}"), 403)


def test_automatic_assignment_completes_the_files_with_balanced_loads(world):
    w = world
    apps = [eligible_file(w, f"AUTO{i}") for i in range(3)]
    for app in apps:
        transition(app, "start_review", w.officer)
    plan = send(client_of(w.officer), "post", "/api/v1/assignments/automatic", {"call": w.setup.pk})
    assert plan.status_code == 200, plan.content
    result = body(plan)
    assert len(result["added"]) == 3 * w.setup.reviews_per_file and result["spread"] <= 1
    assert result["shortages"] == []
    _problem(send(client_of(w.reviewers[0]), "post", "/api/v1/assignments/automatic", {"call": w.setup.pk}), 403)


# --- consensus and what-if ------------------------------------------------------------------------

def _reviewed(w, n=3):
    apps = [eligible_file(w, f"FILE{i}") for i in range(n)]
    for i, app in enumerate(apps):
        transition(app, "start_review", w.officer)
        for reviewer in w.reviewers[3:5]:
            assignment = reviewing.assign_manually(w.officer, app, reviewer)
            reviewing.save_review(reviewer, assignment, {"excellence": 5 - i, "impact": 5 - i}, submit=True)
    return apps


def test_the_officer_records_a_consensus_that_ranks_instead_of_the_mean(world):
    w = world
    app = _reviewed(w, 1)[0]
    url = f"/api/v1/applications/{app.pk}/consensus"
    officer = client_of(w.officer)
    recorded = send(officer, "put", url, {"score": "71.5"})
    assert recorded.status_code == 200 and body(recorded)["consensus_score"] == "71.50"
    entry = AuditEntry.objects.filter(model="calls.Application", channel="api").latest("pk")
    assert entry.changes["consensus_score"] == [None, "71.50"]
    _problem(send(officer, "put", url, {"score": "101"}), 422)
    _problem(send(client_of(w.coordinator), "put", url, {"score": "99"}), 403)
    _problem(send(client_of(w.reviewers[0]), "put", url, {"score": "99"}), 404)  # not their file
    assert body(send(officer, "put", url, {"score": None}))["consensus_score"] is None


def test_the_what_if_re_solves_for_another_envelope_and_writes_nothing(world):
    w = world
    apps = _reviewed(w)
    w.setup.envelope = Decimal(250_000)
    w.setup.save()
    before = Selection.objects.count()
    officer = client_of(w.officer)
    answer = officer.get(f"/api/v1/selections/what-if?call={w.setup.pk}&envelope=400000")
    assert answer.status_code == 200, answer.content
    result = body(answer)
    assert result["current"]["selected"] == sorted(a.pk for a in apps[:2])
    assert result["entering"] == [apps[2].pk] and result["leaving"] == []
    assert Selection.objects.count() == before
    _problem(officer.get(f"/api/v1/selections/what-if?call={w.setup.pk}&envelope=-1"), 422)
    _problem(client_of(w.coordinator).get(f"/api/v1/selections/what-if?call={w.setup.pk}&envelope=1"), 403)


# --- agreements -----------------------------------------------------------------------------------

def test_an_agreement_is_signed_paid_reported_and_closed_through_the_api(world):
    w = world
    apps = _reviewed(w, 1)
    deciding.confirm(w.officer, deciding.propose(w.officer, w.setup))
    app = Application.objects.get(pk=apps[0].pk)
    assert app.state == "selected"
    officer = client_of(w.officer)
    base = f"/api/v1/agreements/{app.pk}"
    agreement = body(officer.get(base))
    assert agreement["signed"] is False and Decimal(agreement["aid"]["amount"]) > 0
    assert len(agreement["proposed_schedule"]) == 3
    bare = _problem(send(officer, "post", f"/api/v1/applications/{app.pk}/transitions",
                         {"action": "sign_agreement"}), 409)
    assert "agreements" in bare["detail"]
    _problem(send(officer, "put", base + "/instalments",
                  [{"kind": "advance", "amount": "1000", "due_on": "2030-01-01"}]), 409)  # not signed yet
    signed = send(officer, "post", base + "/signature")
    assert signed.status_code == 200 and body(signed)["state"] == "agreement_signed"
    assert Funding.objects.filter(project=app.project).exists()
    aid = Decimal(agreement["aid"]["amount"])
    too_much = _problem(send(officer, "put", base + "/instalments",
                             [{"kind": "advance", "amount": str(aid + 1), "due_on": "2030-01-01"}]), 409)
    assert "aid" in too_much["detail"]
    rows = [{"kind": "advance", "amount": str(aid - 1000), "due_on": "2030-01-01"},
            {"kind": "balance", "amount": "1000", "due_on": "2031-01-01"}]
    scheduled = body(send(officer, "put", base + "/instalments", rows))
    advance, balance = scheduled["instalments"]
    today = timezone.localdate()
    _problem(send(officer, "post", f"/api/v1/agreements/instalments/{advance['id']}/payment",
                  {"paid_on": (today + dt.timedelta(days=2)).isoformat()}), 409)
    paid = body(send(officer, "post", f"/api/v1/agreements/instalments/{advance['id']}/payment",
                     {"paid_on": today.isoformat()}))
    assert paid["state"] == "running" and Decimal(paid["paid"]["amount"]) == aid - 1000
    _problem(send(officer, "post", f"/api/v1/agreements/instalments/{advance['id']}/payment",
                  {"paid_on": today.isoformat()}), 409)
    report = send(officer, "post", base + "/reports", {"kind": "technical", "due_on": today.isoformat(), "final": True})
    assert report.status_code == 201
    report_id = body(report)["id"]
    _problem(send(officer, "post", f"/api/v1/agreements/reports/{report_id}/acceptance",
                  {"products": 1, "patents": 0, "jobs": 3}), 409)  # not received yet
    send(officer, "post", f"/api/v1/agreements/reports/{report_id}/receipt", {"received_on": today.isoformat()})
    accepted = send(officer, "post", f"/api/v1/agreements/reports/{report_id}/acceptance",
                    {"products": 1, "patents": 0, "jobs": 3})
    assert accepted.status_code == 200 and body(accepted)["accepted_on"] == today.isoformat()
    app.refresh_from_db()
    assert app.state == "final_report_accepted" and app.project.jobs_created == 3
    assert AuditEntry.objects.filter(channel="api", model__in=["calls.Instalment", "calls.Report"]).count() >= 3
    for someone in (w.coordinator, w.manager_a, w.reviewers[3]):
        _problem(client_of(someone).get(base), 403)
        _problem(send(client_of(someone), "post", base + "/reports",
                      {"kind": "financial", "due_on": today.isoformat()}), 403)


def test_a_file_in_review_has_no_agreement(world):
    w = world
    app = eligible_file(w)
    _problem(client_of(w.officer).get(f"/api/v1/agreements/{app.pk}"), 404)


# --- documents ------------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n% a small document\n"


@pytest.fixture
def docs(world, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    world.setup.form = [*FORM, {"key": "annex", "kind": "file", "label_fr": "Annexe", "label_en": "Annex",
                                "required": False}]
    world.setup.save()
    return world


def _upload(client, app, name, content, question="annex"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/api/v1/applications/{app.pk}/documents",
                       {"question": question, "file": SimpleUploadedFile(name, content, "application/pdf")})


def test_the_coordinator_uploads_a_document_that_answers_the_file_question(docs, tmp_path):
    w = docs
    app = _draft(w, "DOCFILE")
    made = _upload(client_of(w.coordinator), app, "../annex.pdf", PDF)
    assert made.status_code == 201, made.content
    doc = body(made)
    assert doc["name"] == "annex.pdf" and doc["current"] and doc["size"] == len(PDF)
    app.refresh_from_db()
    assert app.answers["annex"] == doc["id"]
    stored = Document.objects.get(pk=doc["id"])
    assert stored.file.name.startswith(f"applications/{app.pk}/") and "annex" not in stored.file.name
    assert (tmp_path / stored.file.name).read_bytes() == PDF
    download = client_of(w.coordinator).get(doc["url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(model="calls.Document", channel="api").exists()
    listed = body(client_of(w.coordinator).get(f"/api/v1/applications/{app.pk}/documents"))
    assert [d["id"] for d in listed] == [doc["id"]]


def test_documents_of_a_wrong_type_or_content_or_question_are_refused_with_the_reason(docs):
    w = docs
    app = _draft(w, "BADDOCS")
    coordinator = client_of(w.coordinator)
    assert "accepted types" in _problem(_upload(coordinator, app, "run.exe", b"MZ\x90"), 409)["detail"]
    assert "content" in _problem(_upload(coordinator, app, "fake.pdf", b"<html>"), 409)["detail"]
    _problem(_upload(coordinator, app, "notes.txt", b"hello", question="summary"), 409)
    _problem(_upload(coordinator, app, "empty.pdf", b""), 409)
    assert not Document.objects.exists()


def test_documents_reach_only_those_who_may_open_the_file(docs):
    w = docs
    app = _draft(w, "READDOCS")
    doc = body(_upload(client_of(w.coordinator), app, "annex.pdf", PDF))
    cluster_b = factories.cluster("Cluster Beta", regions=("53",), short_name="Beta")
    manager_b = factories.user("manager-b", {"role": Role.MANAGER, "cluster": cluster_b})
    assert client_of(w.manager_a).get(doc["url"]).status_code == 404  # not asked yet
    transition(app, "submit", w.coordinator)
    transition(app, "declare_eligible", w.officer)
    reviewing.decide_label(w.manager_a, reviewing.ask_label(w.coordinator, app, w.cluster_a), "labelled")
    transition(app, "start_review", w.officer)
    assigned, other = w.reviewers[3], w.reviewers[4]
    reviewing.assign_manually(w.officer, app, assigned)
    partner = factories.user("partner-rep", {"role": Role.MEMBER, "organisation": w.lab})
    for user, status in ((w.officer, 200), (assigned, 200), (other, 404), (manager_b, 404), (w.manager_a, 200),
                         (partner, 200)):
        response = client_of(user).get(doc["url"])
        assert response.status_code == status, (user.username, response.status_code)
    assert Client().get(doc["url"]).status_code == 401
    # an upload is the coordinator side's, while the file may change
    _problem(_upload(client_of(w.coordinator), app, "late.pdf", PDF), 409)
    _problem(_upload(client_of(assigned), app, "mine.pdf", PDF), 403)
    _problem(_upload(client_of(manager_b), app, "mine.pdf", PDF), 404)


def test_the_page_uploads_and_serves_a_document_and_saving_the_form_keeps_it(docs):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    w = docs
    app = _draft(w, "PAGEDOCS")
    page = client_of(w.coordinator)
    response = page.post(reverse("calls_upload_document", args=[app.pk]),
                         {"key": "annex", "file": SimpleUploadedFile("annex.csv", b"a;b\n1;2\n", "text/csv")})
    assert response.status_code == 302
    app.refresh_from_db()
    doc = Document.objects.get(application=app)
    assert app.answers["annex"] == doc.pk and doc.content_type == "text/csv"
    shown = page.get(reverse("calls_application", args=[app.pk])).content.decode()
    assert reverse("calls_document", args=[app.pk, doc.pk]) in shown
    page.post(reverse("calls_save_details", args=[app.pk]), {"title": "Still here", "q_summary": "Changed."})
    app.refresh_from_db()
    assert app.answers == {"summary": "Changed.", "annex": doc.pk}
    assert page.get(reverse("calls_document", args=[app.pk, doc.pk])).status_code == 200
    assert client_of(w.reviewers[0]).get(reverse("calls_document", args=[app.pk, doc.pk])).status_code == 404
