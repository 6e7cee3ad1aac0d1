"""Reviews: a reviewer's assigned files and their own reviews; the assigned reviewer writes and submits.

A reviewer reaches only the files assigned to them (`Assignment.reviewer` is the caller), never
another reviewer's review or draft; programme officers read every review with its reviewer (the
panel). Nobody else reads a review, so applicants never learn who reviewed them.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from poles.access.roles import scope_of
from poles.api.applications import logged_in, row_id
from poles.api.caller import who
from poles.api.problems import Problem
from poles.calls import permissions, reviewing
from poles.calls.models import Assignment, Review
from poles.calls.transitions import Refused

router = Router(tags=["reviews"])


class AssignmentOut(Schema):
    id: int
    application: int
    call: int
    acronym: str
    title: str
    state: str
    assigned_at: dt.datetime
    review_status: str | None = Field(None, description="draft, submitted, or null before any review is saved.")


class ReviewOut(Schema):
    id: int
    assignment: int
    application: int
    reviewer: int | None = Field(None, description="The reviewer (programme officers only).")
    scores: dict
    comments: dict
    total: str | None
    status: str
    submitted_at: dt.datetime | None


def _assignments(user):
    scope = scope_of(user)
    if not scope.is_reviewer:
        return Assignment.objects.none()
    return Assignment.objects.filter(reviewer_id=scope.user_id)


def _reviews(user):
    scope = scope_of(user)
    qs = Review.objects.select_related("assignment")
    if scope.sees_all:
        return qs
    if scope.is_reviewer:
        return qs.filter(assignment__reviewer_id=scope.user_id)
    return qs.none()


def review_row(user, review: Review) -> dict:
    officer = scope_of(user).sees_all
    return {
        "id": review.pk, "assignment": review.assignment_id, "application": review.assignment.application_id,
        "reviewer": review.assignment.reviewer_id if officer else None,
        "scores": review.scores or {}, "comments": review.comments or {},
        "total": None if review.total is None else str(review.total), "status": review.status,
        "submitted_at": review.submitted_at,
    }


@router.get("/assignments", response=list[AssignmentOut], summary="The files assigned to the calling reviewer")
def list_assignments(request):
    """Empty for anyone who is not a reviewer."""
    rows = (_assignments(logged_in(request)).select_related("application", "review").order_by("pk"))
    return [{
        "id": a.pk, "application": a.application_id, "call": a.application.setup_id,
        "acronym": a.application.acronym, "title": a.application.title, "state": a.application.state,
        "assigned_at": a.assigned_at, "review_status": getattr(getattr(a, "review", None), "status", None),
    } for a in rows]


@router.get("", response=list[ReviewOut], summary="The caller's own reviews (every review for programme officers)")
def list_reviews(request, application: int | None = None):
    user = logged_in(request)
    qs = _reviews(user).order_by("pk")
    if row_id(application, "application") is not None:
        qs = qs.filter(assignment__application_id=application)
    return [review_row(user, r) for r in qs[:1000]]


class ReviewIn(Schema):
    scores: dict[str, int] = Field(..., description="One integer per criterion of the call's grid.")
    comments: dict[str, str] = Field(default_factory=dict, description="Comments per criterion.")
    submit: bool = Field(False, description="Submit (frozen) instead of saving a draft.")


@router.put("/assignments/{int:assignment_id}/review", response=ReviewOut,
            summary="Save or submit the review of an assigned file")
def save_review(request, assignment_id: int, payload: ReviewIn):
    """Only the assigned reviewer; a submitted review no longer changes; a submission checks the grid
    (every criterion scored on its scale, comments where the grid asks) and answers 409 with the reasons."""
    user = who(request)
    row_id(assignment_id, "assignment_id")
    assignment = _assignments(user).select_related("application__setup").filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404(_("Assignment %(id)s does not exist or is not yours.") % {"id": assignment_id})
    for text in payload.comments.values():
        if len(text) > 10000:
            raise Problem(422, _("comments: at most 10,000 characters each."))
    permissions.check(permissions.can_review(user, assignment))
    try:
        review = reviewing.save_review(user, assignment, payload.scores, payload.comments, submit=payload.submit,
                                       channel="api")
    except Refused as refusal:
        raise Problem(409, refusal.text(get_language() or "fr"),
                      reasons=[r.as_dict() for r in refusal.reasons]) from refusal
    return review_row(user, review)
