"""Pages a logged-in user reloads while working (the reviewer's inbox, the officer's panel and file
page) are rendered once and served again to that user only, until anyone writes anything: a kept
rendering never hides a write, never reaches another user, and carries the reader's own CSRF token."""

from __future__ import annotations

import re

import pytest
from calls.web.helpers import client_of, in_review, submitted
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from poles.calls import reviewing
from poles.calls.models import Assignment
from poles.core.rendered import new_personal_generation

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
MASKED = re.compile(rb"[A-Za-z0-9]{64}")  # a CSRF token as Django masks it for each page


def _queries(client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content


def _assigned(world):
    app = in_review(world, submitted(world))
    reviewing.assign_automatically(world.officer, world.setup)
    return app, Assignment.objects.filter(application=app).select_related("reviewer").first()


def test_a_reloaded_inbox_is_served_without_reading_the_files_again(world):
    app, assignment = _assigned(world)
    client = client_of(assignment.reviewer)
    url = reverse("reviewer_inbox")
    first, page = _queries(client, url)
    again, kept = _queries(client, url)
    assert app.acronym.encode() in page and again < first
    assert MASKED.sub(b"", kept) == MASKED.sub(b"", page)
    assert b"__poles_csrf_token__" not in kept


def test_a_review_saved_through_the_page_shows_at_once_in_the_inbox(world):
    app, assignment = _assigned(world)
    reviewer = assignment.reviewer
    client = client_of(reviewer, "en")
    inbox = reverse("reviewer_inbox")
    assert "to do" in client.get(inbox).content.decode()
    response = client.post(reverse("calls_reviewer_review", args=[assignment.pk]),
                           {"action": "draft", "score_excellence": "4", "score_impact": "3"})
    assert response.status_code in (200, 302)
    assert "to do" not in client.get(inbox).content.decode()


def test_a_write_outside_any_request_is_never_hidden_by_a_kept_page(world):
    app, assignment = _assigned(world)
    client = client_of(assignment.reviewer, "en")
    inbox = reverse("reviewer_inbox")
    assert "to do" in client.get(inbox).content.decode()
    reviewing.save_review(assignment.reviewer, assignment, {"excellence": 4, "impact": 3}, submit=False)
    assert "to do" not in client.get(inbox).content.decode()


def test_a_kept_page_is_never_served_to_another_user(world):
    _app, assignment = _assigned(world)
    others = [r for r in world.reviewers if r != assignment.reviewer
              and not Assignment.objects.filter(reviewer=r).exists()]
    mine = client_of(assignment.reviewer).get(reverse("reviewer_inbox")).content
    theirs = client_of(others[0]).get(reverse("reviewer_inbox")).content
    assert b'id="inbox-empty"' in theirs and b'id="inbox-empty"' not in mine


def test_each_reader_gets_their_own_csrf_token_in_every_form(world):
    app, _assignment = _assigned(world)
    url = reverse("calls_officer_file", args=[app.pk])
    client_of(world.officer).get(url)  # kept, rendered in another session
    reader = client_of(world.officer)
    reader.handler.enforce_csrf_checks = True
    first, page = _queries(reader, url)
    assert b"__poles_csrf_token__" not in page
    token = TOKEN.search(page).group(1).decode()
    # the kept page's forms carry this reader's token: sent back, it is accepted (a stranger's is not)
    answer = reader.post(url, {"csrfmiddlewaretoken": token, "action": "unknown"})
    assert answer.status_code == 400
    assert reader.post(url, {"csrfmiddlewaretoken": "x" * 64, "action": "unknown"}).status_code == 403


def test_the_permission_is_checked_before_a_kept_page_is_served(world):
    app, _assignment = _assigned(world)
    url = reverse("calls_officer_file", args=[app.pk])
    assert client_of(world.officer).get(url).status_code == 200
    # a reviewer asking for the officer's kept page is refused, whatever is kept
    assert client_of(world.reviewers[0]).get(url).status_code in (403, 404)


def test_a_page_with_messages_is_not_kept(world):
    _app, assignment = _assigned(world)
    client = client_of(assignment.reviewer, "en")
    new_personal_generation()
    client.post(reverse("calls_reviewer_review", args=[assignment.pk]),
                {"action": "draft", "score_excellence": "4", "score_impact": "3"})
    shown = client.get(reverse("reviewer_inbox")).content.decode()
    assert "Draft saved." in shown
    assert "Draft saved." not in client.get(reverse("reviewer_inbox")).content.decode()
