"""Assignments (automatic with exclusions explained, manual refused with the reason), panel, selection and what-if."""

from __future__ import annotations

from decimal import Decimal

import pytest
from calls.web.helpers import client_of, in_review, reviewed, submitted
from django.urls import reverse

from poles.calls.models import Assignment, Decision, Notification, Selection

pytestmark = pytest.mark.django_db


def test_automatic_assignment_shows_who_was_excluded_and_why(world):
    app = in_review(world, submitted(world, partners=[world.lab, world.subsidiary]))
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_assignments", args=[world.setup.pk])
    response = client.post(url, {"action": "auto"})
    assert response.status_code == 200
    body = response.content.decode()
    assert Assignment.objects.filter(application=app).count() == world.setup.reviews_per_file
    assert not Assignment.objects.filter(application=app, reviewer__in=[world.rev_group, world.rev_conflict]).exists()
    excluded = dict((u.pk, why) for u, why in response.context["rows"][0]["excluded"])
    assert excluded[world.rev_group.pk] == "The reviewer's organisation, or its group, is in the consortium."
    assert excluded[world.rev_conflict.pk] == "The reviewer declared a conflict of interest with this file."
    assert "rev-conflict" in body


def test_a_manual_assignment_of_an_excluded_reviewer_is_refused_with_the_reason(world):
    app = in_review(world, submitted(world))
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_assignments", args=[world.setup.pk])
    response = client.post(url, {"action": "manual", "application": app.pk, "reviewer": world.rev_conflict.pk})
    assert response.status_code == 409
    assert "declared a conflict of interest" in response.content.decode()
    assert not Assignment.objects.filter(application=app, reviewer=world.rev_conflict).exists()
    ok = client.post(url, {"action": "manual", "application": app.pk, "reviewer": world.reviewers[3].pk})
    assert ok.status_code == 302
    assert Assignment.objects.get(application=app, reviewer=world.reviewers[3]).how == "manual"


def test_the_panel_shows_scores_side_by_side_with_spread_and_records_a_consensus(world):
    app = in_review(world, submitted(world))
    reviewed(world, app, {"excellence": 5, "impact": 5})
    rows = list(Assignment.objects.filter(application=app).select_related("review"))
    assert len(rows) == 2
    from poles.calls import reviewing
    from poles.calls.models import Review
    Review.objects.filter(assignment=rows[1]).update(total=Decimal("60.00"))
    reviewing.refresh_score(app)
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_panel", args=[world.setup.pk])
    page = client.get(url)
    row = page.context["rows"][0]
    assert [r["total"] for r in row["reviews"]] and row["spread"] == Decimal("40.00")
    assert client.post(url, {"action": "consensus", "application": app.pk, "consensus": "abc"}).status_code == 400
    assert client.post(url, {"action": "consensus", "application": app.pk, "consensus": "85,5"}).status_code == 302
    app.refresh_from_db()
    assert app.consensus_score == Decimal("85.50")


def test_selection_ranks_selects_under_the_envelope_with_reasons_what_if_then_confirm(world, mail):
    world.setup.envelope = Decimal(130_000)  # each file asks 120,000
    world.setup.save()
    apps = []
    for name, partners, coordinator, creator, scores in (
            ("ROBO", [world.lab, world.eti], world.coord, world.coordinator, {"excellence": 5, "impact": 5}),
            ("MIDI", [world.lab_b, world.coord], world.eti, world.coordinator_b, {"excellence": 3, "impact": 3})):
        app = in_review(world, submitted(world, name, partners=partners, coordinator=coordinator, creator=creator))
        apps.append((app, scores))
    for app, scores in apps:
        reviewed(world, app, scores)
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_selection", args=[world.setup.pk])
    assert client.post(url, {"action": "propose"}).status_code == 302
    page = client.get(url)
    outcomes = {row["d"].application.acronym: row["d"].outcome for row in page.context["decisions"]}
    assert outcomes == {"ROBO": "selected", "MIDI": "rejected"}
    body = page.content.decode()
    assert "Selected, above the line" in body and "Envelope exhausted" in body
    # what-if: nothing written
    before = Selection.objects.count()
    what = client.get(url + "?envelope=1000000")
    assert what.context["what_if"]["entering"] == ["MIDI"] and Selection.objects.count() == before
    assert "must" not in client.get(url + "?envelope=-3").context["what_if"]["error"]
    latest = Selection.objects.latest("created_at")
    assert client.post(url, {"action": "confirm", "selection": latest.pk}).status_code == 302
    states = {app.acronym: app.state for app, _s in apps for app in [type(app).objects.get(pk=app.pk)]}
    assert states == {"ROBO": "selected", "MIDI": "rejected"}
    assert Notification.objects.filter(application=apps[1][0], action="reject", user=world.coordinator_b).exists()
    assert Decision.objects.filter(selection=latest).count() == 2


def test_confirming_is_refused_with_the_reason_when_a_review_is_missing(world):
    app = in_review(world, submitted(world))
    from poles.calls import reviewing
    reviewing.assign_automatically(world.officer, world.setup)
    first = Assignment.objects.filter(application=app).first()
    reviewing.save_review(first.reviewer, first, {"excellence": 4, "impact": 4}, submit=True)
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_selection", args=[world.setup.pk])
    client.post(url, {"action": "propose"})
    latest = Selection.objects.latest("created_at")
    response = client.post(url, {"action": "confirm", "selection": latest.pk})
    assert response.status_code == 409
    assert "1 of the 2 required reviews submitted." in response.content.decode()
    latest.refresh_from_db()
    app.refresh_from_db()
    assert latest.confirmed_at is None and app.state == "in_review"
