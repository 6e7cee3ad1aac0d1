"""The calls API end to end: published calls, files, submission at the deadline, transitions, reviews, decisions.

The world is a smaller copy of the calls tests' (`tests/calls/conftest.py`): a published
i-Démo-like call with rules, a grid and an open round; a company, an ETI and a lab; reviewers.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import factories
import pytest
from calls.callworld import consortium, make_call, org
from django.test import Client
from django.utils import timezone
from helpers import body, send

from poles.access.roles import Role
from poles.calls import reviewing
from poles.calls.models import Application, Assignment
from poles.calls.transitions import transition


@pytest.fixture
def world(db, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = SimpleNamespace()
    w.cluster_a = factories.cluster("Cluster Alpha", regions=("84",), short_name="Alpha")
    w.coord = org("Small Robotics", size="small")
    w.lab = org("Lab of Lyon", kind="research", size="unknown")
    w.eti = org("Mid Cap Industries", size="eti", region="53")
    w.officer = factories.user("officer", {"role": Role.NATIONAL})
    w.coordinator = factories.user("coordinator", {"role": Role.MEMBER, "organisation": w.coord,
                                                   "cluster": w.cluster_a})
    w.manager_a = factories.user("manager-a", {"role": Role.MANAGER, "cluster": w.cluster_a})
    w.reviewers = [factories.user(f"rev-{i}", {"role": Role.REVIEWER}) for i in range(5)]
    w.setup = make_call(w.officer)
    return w


def client_of(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def eligible_file(w, acronym="GOODFILE"):
    """A complete consortium (company coordinator, an ETI, a lab), submitted and labelled by cluster A."""
    app = consortium(w, w.setup, w.coordinator, w.coord, [w.eti, w.lab], acronym=acronym)
    transition(app, "submit", w.coordinator)
    transition(app, "declare_eligible", w.officer)
    reviewing.decide_label(w.manager_a, reviewing.ask_label(w.coordinator, app, w.cluster_a), "labelled")
    return app


def test_published_calls_show_rules_and_rounds_and_hide_the_officers_settings(world):
    w = world
    w.setup.caps = [{"dimension": "region", "max_files": 3}]
    w.setup.save()
    mine = body(client_of(w.coordinator).get("/api/v1/calls/published"))
    assert [c["code"] for c in mine] == ["IDEMO-2026"]
    assert mine[0]["open_now"] is True and mine[0]["eligibility"] == w.setup.eligibility
    assert mine[0]["caps"] is None and mine[0]["objective"] is None
    officer = body(client_of(w.officer).get(f"/api/v1/calls/{w.setup.pk}/setup"))
    assert officer["caps"] == [{"dimension": "region", "max_files": 3}]
    assert Client().get("/api/v1/calls/published").status_code == 200


def test_an_applicant_starts_costs_and_submits_a_file_through_the_api(world):
    w = world
    client = client_of(w.coordinator)
    created = send(client, "post", "/api/v1/applications", {
        "call": w.setup.pk, "coordinator": w.coord.pk, "acronym": "APIFILE", "title": "Filed by the API",
        "duration_months": 24})
    assert created.status_code == 201, created.content
    app_id = body(created)["id"]
    for partner in (w.coord, w.eti, w.lab):
        saved = send(client, "put", f"/api/v1/applications/{app_id}/partners/{partner.pk}",
                     {"costs": {"staff": "200000", "equipment": "50000"}, "staff_months": "24",
                      "requested_aid": "40000"})
        assert saved.status_code == 200, saved.content
    Application.objects.filter(pk=app_id).update(answers={"summary": "What it does."})
    detail = body(client.get(f"/api/v1/applications/{app_id}"))
    assert {o["rule"] for o in detail["eligibility"] if not o["passed"]} == set()
    submitted = send(client, "post", f"/api/v1/applications/{app_id}/submit")
    assert submitted.status_code == 200, submitted.content
    assert body(submitted)["state"] == "submitted" and body(submitted)["submission"]["version"] == 1


def test_a_submission_one_second_after_the_closing_is_refused_with_the_failed_rules(world):
    w = world
    now = timezone.now()
    setup = make_call(w.officer, code="LATE-2026", opens=now - dt.timedelta(days=5), closes=now - dt.timedelta(seconds=1))
    app = consortium(w, setup, w.coordinator, w.coord, [], acronym="LATE")  # one company: rules fail too
    response = send(client_of(w.coordinator), "post", f"/api/v1/applications/{app.pk}/submit",
                    HTTP_DATE="Mon, 01 Jan 2024 00:00:00 GMT")  # the client's clock is never read
    assert response.status_code == 409 and response["Content-Type"] == "application/problem+json"
    problem = body(response)
    assert "closed" in problem["detail"].lower()
    assert {r["rule"] for r in problem["failed_rules"]} >= {"min_companies", "min_research"}
    assert all(r["reason"]["fr"] and r["reason"]["en"] for r in problem["failed_rules"])
    assert Application.objects.get(pk=app.pk).state == "draft"


def test_an_illegal_transition_is_refused_with_its_reason(world):
    w = world
    app = eligible_file(w)
    transition(app, "start_review", w.officer)
    officer = client_of(w.officer)
    response = send(officer, "post", f"/api/v1/applications/{app.pk}/transitions", {"action": "select"})
    assert response.status_code == 409
    assert "review" in body(response)["detail"].lower() and body(response)["reasons"][0]["fr"]
    unknown = send(officer, "post", f"/api/v1/applications/{app.pk}/transitions", {"action": "teleport"})
    assert unknown.status_code == 422
    not_actor = send(client_of(w.coordinator), "post", f"/api/v1/applications/{app.pk}/transitions",
                     {"action": "select"})
    assert not_actor.status_code in (403, 409)
    assert Application.objects.get(pk=app.pk).state == "in_review"


def test_a_reviewer_reaches_only_assigned_files_and_applicants_never_learn_who_reviewed(world):
    w = world
    app = eligible_file(w)
    other = eligible_file(w, "OTHERFILE")
    for a in (app, other):
        transition(a, "start_review", w.officer)
    free_1, free_2 = w.reviewers[3], w.reviewers[4]
    mine = reviewing.assign_manually(w.officer, app, free_1)
    theirs = reviewing.assign_manually(w.officer, other, free_2)
    reviewer = client_of(free_1)
    assert [a["application"] for a in body(reviewer.get("/api/v1/reviews/assignments"))] == [app.pk]
    assert reviewer.get(f"/api/v1/applications/{other.pk}").status_code == 404
    assert send(reviewer, "put", f"/api/v1/reviews/assignments/{theirs.pk}/review",
                {"scores": {"excellence": 4, "impact": 4}}).status_code == 404
    incomplete = send(reviewer, "put", f"/api/v1/reviews/assignments/{mine.pk}/review",
                      {"scores": {"excellence": 1}, "submit": True})
    assert incomplete.status_code == 409 and body(incomplete)["reasons"]
    done = send(reviewer, "put", f"/api/v1/reviews/assignments/{mine.pk}/review",
                {"scores": {"excellence": 4, "impact": 3}, "submit": True})
    assert done.status_code == 200 and body(done)["status"] == "submitted" and body(done)["reviewer"] is None
    applicant = client_of(w.coordinator)
    texts = [applicant.get(url).content.decode() for url in (
        "/api/v1/applications", f"/api/v1/applications/{app.pk}", "/api/v1/reviews",
        f"/api/v1/reviews?application={app.pk}", "/api/v1/reviews/assignments")]
    assert body(applicant.get("/api/v1/reviews")) == []
    for text in texts:
        assert free_1.username not in text and f'"reviewer": {free_1.pk}' not in text
    assert body(applicant.get(f"/api/v1/applications/{app.pk}"))["score"] is None
    panel = body(client_of(w.officer).get(f"/api/v1/reviews?application={app.pk}"))
    assert [r["reviewer"] for r in panel] == [free_1.pk]
    assert Assignment.objects.filter(reviewer=free_1).count() == 1


def test_the_officer_selects_under_the_envelope_and_confirms_through_the_api(world):
    w = world
    apps = [eligible_file(w, f"FILE{i}") for i in range(3)]
    free = w.reviewers[3:5]
    for i, app in enumerate(apps):
        transition(app, "start_review", w.officer)
        for reviewer in free:
            assignment = reviewing.assign_manually(w.officer, app, reviewer)
            reviewing.save_review(reviewer, assignment, {"excellence": 5 - i, "impact": 5 - i}, submit=True)
    w.setup.envelope = Decimal(250_000)  # two files of 120,000 fit, not three
    w.setup.save()
    officer = client_of(w.officer)
    assert send(client_of(w.coordinator), "post", "/api/v1/selections", {"call": w.setup.pk}).status_code == 403
    run = send(officer, "post", "/api/v1/selections", {"call": w.setup.pk})
    assert run.status_code == 201, run.content
    selection = body(run)
    outcomes = {d["acronym"]: d["outcome"] for d in selection["decisions"]}
    assert outcomes == {"FILE0": "selected", "FILE1": "selected", "FILE2": "rejected"}
    assert all(d["reasons"] for d in selection["decisions"])
    confirmed = send(officer, "post", f"/api/v1/selections/{selection['id']}/confirm")
    assert confirmed.status_code == 200 and body(confirmed)["confirmed_at"]
    assert Application.objects.get(pk=apps[0].pk).state == "selected"
    assert Application.objects.get(pk=apps[2].pk).state == "rejected"
    again = send(officer, "post", f"/api/v1/selections/{selection['id']}/confirm")
    assert again.status_code == 409


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_refusals_speak_the_readers_language(world, lang):
    w = world
    app = eligible_file(w)
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(w.officer)
    response = send(client, "post", f"/api/v1/applications/{app.pk}/transitions", {"action": "shortlist"})
    reasons = body(response)["reasons"][0]
    assert body(response)["detail"] == reasons[lang]


@pytest.mark.parametrize("url", [
    "/api/v1/applications/99999999999999999999", "/api/v1/applications?call=99999999999999999999",
    "/api/v1/reviews?application=99999999999999999999", "/api/v1/calls/99999999999999999999/setup",
    "/api/v1/selections/99999999999999999999"])
def test_ids_beyond_a_database_column_are_a_clear_refusal(world, url):
    response = client_of(world.officer).get(url)
    assert response.status_code in (404, 422) and response["Content-Type"] == "application/problem+json"
