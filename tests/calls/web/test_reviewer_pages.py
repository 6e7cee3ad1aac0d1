"""The reviewer's pages: inbox of assigned files only, profile and conflicts, the review form from the grid."""

from __future__ import annotations

import html

import pytest
from calls.web.helpers import client_of, in_review, submitted
from django.urls import reverse

from poles.calls import reviewing
from poles.calls.models import Assignment, ConflictDeclaration, Review, ReviewerProfile

pytestmark = pytest.mark.django_db


def _assigned(world):
    app = in_review(world, submitted(world))
    reviewing.assign_automatically(world.officer, world.setup)
    return app, list(Assignment.objects.filter(application=app).select_related("reviewer"))


def test_the_inbox_lists_only_the_files_assigned_to_the_reviewer(world):
    app, rows = _assigned(world)
    other = in_review(world, submitted(world, "OTHER", coordinator=world.eti, creator=world.coordinator_b,
                                       partners=[world.lab_b, world.coord]))
    mine = rows[0]
    Assignment.objects.filter(application=other, reviewer=mine.reviewer).delete()
    body = client_of(mine.reviewer).get(reverse("reviewer_inbox")).content.decode()
    assert "ROBO" in body and "OTHER" not in body
    assert reverse("calls_reviewer_review", args=[mine.pk]) in body


def test_a_reviewer_never_reaches_an_unassigned_file_nor_another_reviewers_assignment(world):
    app, rows = _assigned(world)
    first, second = rows[0], rows[1]
    client = client_of(first.reviewer)
    assert client.get(reverse("calls_reviewer_review", args=[second.pk])).status_code == 404
    assert client.post(reverse("calls_reviewer_review", args=[second.pk]),
                       {"action": "draft", "score_excellence": "1"}).status_code == 404
    assert not Review.objects.filter(assignment=second).exists()
    # not a reviewer at all: refused
    assert client_of(world.coordinator).get(reverse("calls_reviewer_review", args=[first.pk])).status_code == 403


def test_a_draft_is_saved_and_never_shown_to_another_reviewer(world):
    app, rows = _assigned(world)
    first, second = rows[0], rows[1]
    client = client_of(first.reviewer, "en")
    url = reverse("calls_reviewer_review", args=[first.pk])
    response = client.post(url, {"action": "draft", "score_excellence": "1", "comment_excellence": "DRAFT-SECRET-42"})
    assert response.status_code == 302
    review = Review.objects.get(assignment=first)
    assert review.status == "draft" and review.scores == {"excellence": 1}
    assert "DRAFT-SECRET-42" in client.get(url).content.decode()
    other = client_of(second.reviewer).get(reverse("calls_reviewer_review", args=[second.pk])).content.decode()
    assert "DRAFT-SECRET-42" not in other
    panel = client_of(world.officer).get(reverse("calls_officer_panel", args=[world.setup.pk])).content.decode()
    assert "DRAFT-SECRET-42" not in panel  # the panel shows submitted reviews only


def test_submitting_checks_the_grid_and_asks_for_a_comment_below_the_threshold(world):
    app, rows = _assigned(world)
    first = rows[0]
    client = client_of(first.reviewer, "en")
    url = reverse("calls_reviewer_review", args=[first.pk])
    page = client.get(url)
    assert [c["choices"] for c in page.context["criteria"]] == [[0, 1, 2, 3, 4, 5], [0, 1, 2, 3, 4, 5]]
    refused = client.post(url, {"action": "submit", "score_excellence": "1", "score_impact": "4"})
    assert refused.status_code == 400
    assert "'Excellence': a score below 2 needs a comment." in html.unescape(refused.content.decode())
    assert Review.objects.get(assignment=first).status == "draft"
    done = client.post(url, {"action": "submit", "score_excellence": "1", "comment_excellence": "Thin state of the art",
                             "score_impact": "4"})
    assert done.status_code == 302
    review = Review.objects.get(assignment=first)
    assert review.status == "submitted" and review.total is not None
    locked = client.post(url, {"action": "draft", "score_excellence": "5", "score_impact": "5"})
    assert locked.status_code == 409
    review.refresh_from_db()
    assert review.scores == {"excellence": 1, "impact": 4}


def test_the_profile_saves_expertise_and_a_conflict_takes_the_file_back(world):
    app, rows = _assigned(world)
    first = rows[0]
    client = client_of(first.reviewer, "en")
    url = reverse("calls_reviewer_profile")
    bad = client.post(url, {"action": "profile", "nace_codes": "99.99.99", "technology_fields": "robotics"})
    assert bad.status_code == 400 and "Unknown NACE code" in bad.content.decode()
    from poles.nomenclatures.models import NaceCode

    code = NaceCode.objects.order_by("code").values_list("code", flat=True).first()
    assert client.post(url, {"action": "profile", "nace_codes": code or "", "technology_fields": "robotics, AI"}).status_code == 302
    profile = ReviewerProfile.objects.get(user=first.reviewer)
    assert profile.technology_fields == ["robotics", "AI"]
    assert client.post(url, {"action": "conflict", "reason": ""}).status_code == 400
    response = client.post(url, {"action": "conflict", "assignment": str(first.pk), "reason": "My former student"})
    assert response.status_code == 302
    assert ConflictDeclaration.objects.filter(reviewer=first.reviewer, application=app).exists()
    assert not Assignment.objects.filter(pk=first.pk).exists()
    assert client_of(world.coordinator).get(url).status_code == 403
