"""The reviewer's inbox, the panel and the officer's file page read a fixed number of queries, whatever
the number of files, reviewers and reviews (issue #9: 2,000 files × 5 reviews served under load);
the inbox is 50 a page in a stable order, with its counts."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from calls.web.helpers import client_of
from django.urls import reverse
from django.utils import timezone

from poles.calls.models import Application, Assignment, Review
from poles.core.rendered import new_personal_generation
from poles.projects.models import Project

pytestmark = pytest.mark.django_db

INBOX_QUERIES = 6  # session, user, grants; the page of assignments, their counts; the reviewer's grants
PANEL_QUERIES = 8  # session, user, grants; the call (found, then read); the files counted, the page of files; their assignments and reviews
FILE_QUERIES = 10  # session, user, grants; the file; assignments, reviewer pool (2), the facts once, labels, decisions


def bulk_files(w, n: int, reviewers, *, start: int = 0) -> list[Application]:
    """`n` files in review, each assigned to every one of `reviewers`; two reviews in three submitted,
    the third a draft (written in bulk: what is measured is the page's reads)."""
    now = timezone.now()
    projects = Project.objects.bulk_create([
        Project(key=f"queries:{i}", acronym=f"Q{i:03d}", title=f"File {i}", is_public=False, call=w.setup.call)
        for i in range(start, start + n)])
    apps = Application.objects.bulk_create([
        Application(setup=w.setup, project=p, acronym=p.acronym, title=p.title, state="in_review",
                    coordinator=w.coord, created_by=w.coordinator) for p in projects])
    assignments = Assignment.objects.bulk_create([Assignment(application=a, reviewer=r) for a in apps for r in reviewers])
    Review.objects.bulk_create([
        Review(assignment=a, scores={"excellence": 4, "impact": 3}, comments={"excellence": f"COMMENT-{a.pk}-END"},
               total=Decimal(70), status="submitted" if k % 3 else "draft", submitted_at=now if k % 3 else None)
        for k, a in enumerate(assignments)])
    return apps


def _queries(django_assert_max_num_queries, client, url: str, most: int) -> int:
    """The queries of a page rendered anew once the process's caches are warm (the demo banner's check
    is read once; the personal page's kept rendering is made old, so the page is rendered)."""
    client.get(url)
    new_personal_generation()
    with django_assert_max_num_queries(most) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_inbox_reads_as_many_queries_for_3_files_as_for_123(world, django_assert_max_num_queries):
    reviewer = world.reviewers[3]
    bulk_files(world, 3, [reviewer])
    client = client_of(reviewer)
    url = reverse("reviewer_inbox")
    few = _queries(django_assert_max_num_queries, client, url, INBOX_QUERIES)
    bulk_files(world, 120, [reviewer], start=3)
    assert _queries(django_assert_max_num_queries, client, url, INBOX_QUERIES) == few
    assert _queries(django_assert_max_num_queries, client, url + "?page=3", INBOX_QUERIES) == few


def test_the_inbox_pages_50_files_in_a_stable_order_with_the_counts(world):
    reviewer = world.reviewers[3]
    bulk_files(world, 123, [reviewer])  # one instant for all: the order falls back on the id
    client = client_of(reviewer, "en")
    seen = []
    for page in (1, 2, 3):
        body = client.get(reverse("reviewer_inbox") + f"?page={page}").content.decode()
        rows = re.findall(r">(Q\d{3})</a>", body)
        assert len(rows) == (50 if page < 3 else 23)
        seen += rows
        assert "Files assigned to you: 123; reviews submitted: 82." in body
    assert sorted(seen) == [f"Q{i:03d}" for i in range(123)]
    # only the reviewer's own files: another reviewer's page shows none of them
    assert 'id="inbox-empty"' in client_of(world.reviewers[4]).get(reverse("reviewer_inbox")).content.decode()


def test_the_panel_reads_as_many_queries_for_5_files_as_for_25_and_never_shows_a_draft(world,
                                                                                          django_assert_max_num_queries):
    reviewers = world.reviewers[3:6]
    apps = bulk_files(world, 5, reviewers)
    client = client_of(world.officer, "en")
    url = reverse("calls_officer_panel", args=[world.setup.pk])
    few = _queries(django_assert_max_num_queries, client, url, PANEL_QUERIES)
    bulk_files(world, 20, reviewers, start=5)
    assert _queries(django_assert_max_num_queries, client, url, PANEL_QUERIES) == few
    body = client.get(url).content.decode()
    assert "2 review(s) submitted of 3 assigned; 1 in draft." in body
    drafts = Review.objects.filter(assignment__application=apps[0], status="draft").values_list("assignment_id", flat=True)
    assert all(f"COMMENT-{pk}-END" not in body for pk in drafts)
    submitted = Review.objects.filter(assignment__application=apps[0], status="submitted").first()
    assert f"COMMENT-{submitted.assignment_id}-END" in body and "rev-free-2@example.org" in body


def test_the_officers_file_page_reads_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    app = bulk_files(world, 1, world.reviewers[3:6])[0]
    client = client_of(world.officer)
    url = reverse("calls_officer_file", args=[app.pk])
    few = _queries(django_assert_max_num_queries, client, url, FILE_QUERIES)
    Assignment.objects.bulk_create([Assignment(application=app, reviewer=r) for r in world.reviewers[:3]])
    assert _queries(django_assert_max_num_queries, client, url, FILE_QUERIES) == few
