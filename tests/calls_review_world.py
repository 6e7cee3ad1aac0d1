"""What the permission matrix needs of the officer and reviewer pages of the calls (`build_matrix_world` calls it).

A call in review with two files of the member representative's organisation: one assigned to the
matrix reviewer (whose submitted review it holds), one assigned to another reviewer only (with a
draft). The two reviewers' names are sentinels: only the programme officers and the reviewer
themself may read the matrix reviewer's name; the other reviewer's draft comment reaches no one
but the officers (and no page shows drafts, even to them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from poles.access.roles import Role

REVIEWER_NAME = "Expertsentinel"
OTHER_REVIEWER_NAME = "Otherrevsentinel"
DRAFT_COMMENT = "Brouillonsentinel"
GRID = [{"key": "quality", "label_fr": "Qualité", "label_en": "Quality", "weight": 1, "low": 0, "high": 5}]


def build_calls_review_world(w: SimpleNamespace) -> None:
    """Add the call, files, assignments and reviews the calls' officer and reviewer pages are walked on."""
    import factories

    from poles.calls.models import Application, Assignment, CallSetup, Partner, Review, Round
    from poles.projects.models import Project

    officer = w.users["national"]
    reviewer = w.users["reviewer"]
    reviewer.last_name = REVIEWER_NAME
    reviewer.save(update_fields=["last_name"])
    other = factories.user("other-reviewer", {"role": Role.REVIEWER}, last_name=OTHER_REVIEWER_NAME)
    call = factories.call("MATRIX-CALLS", title="Matrix call for projects")
    w.calls_setup = setup = CallSetup.objects.create(call=call, envelope=Decimal(500_000), grid=GRID,
                                                     reviews_per_file=1, status=CallSetup.Status.PUBLISHED)
    now = timezone.now()
    Round.objects.create(setup=setup, number=1, opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1))
    files = []
    for acronym in ("MATRIXFILE1", "MATRIXFILE2"):
        project = Project.objects.create(key=f"call:MATRIX-CALLS:{acronym}", acronym=acronym,
                                         title=f"{acronym} project", is_public=False,
                                         status=Project.Status.SUBMITTED)
        app = Application.objects.create(setup=setup, project=project, acronym=acronym, title=f"{acronym} project",
                                         coordinator=w.org_member, created_by=w.users["member"], state="in_review",
                                         duration_months=24)
        Partner.objects.create(application=app, organisation=w.org_member, is_coordinator=True)
        files.append(app)
    w.calls_file_assigned, w.calls_file_other = files
    w.calls_assignment = Assignment.objects.create(application=files[0], reviewer=reviewer, assigned_by=officer)
    Review.objects.create(assignment=w.calls_assignment, scores={"quality": 4}, total=Decimal("80.00"),
                          status=Review.Status.SUBMITTED, submitted_at=now)
    w.calls_other_assignment = Assignment.objects.create(application=files[1], reviewer=other, assigned_by=officer)
    Review.objects.create(assignment=w.calls_other_assignment, scores={"quality": 2},
                          comments={"quality": DRAFT_COMMENT})
