"""The transition service end to end: permissions, preconditions, audit, notifications, register links."""

from decimal import Decimal

import pytest
from calls.callworld import consortium
from django.core.exceptions import PermissionDenied, ValidationError

from poles.calls import deciding, reviewing
from poles.calls.models import Assignment, Decision, LabellingRequest, Notification
from poles.calls.permissions import visible_applications, visible_reviews
from poles.calls.transitions import Refused, transition
from poles.core.models import AuditEntry
from poles.projects.models import Funding, Participation, ProjectCluster

SCORES = {"excellence": 4, "impact": 3}


def submitted(world, acronym="ROBO", partners=None, creator=None, coordinator=None):
    app = consortium(world, world.setup, creator or world.coordinator, coordinator or world.coord,
                     partners or [world.lab, world.eti], acronym=acronym)
    transition(app, "submit", creator or world.coordinator)
    return app


def reviewed(world, app, scores=SCORES):
    reviewing.assign_automatically(world.officer, world.setup)
    for row in Assignment.objects.filter(application=app):
        reviewing.save_review(row.reviewer, row, scores, submit=True)
    app.refresh_from_db()
    return app


def to_review(world, app):
    transition(app, "declare_eligible", world.officer)
    request = reviewing.ask_label(world.coordinator, app, world.cluster_a)
    reviewing.decide_label(world.manager_a, request, "labelled")
    transition(app, "start_review", world.officer)
    return app


def test_every_transition_leaves_an_audit_entry_and_notifications(world, mail):
    app = submitted(world)
    to_review(world, app)
    assert app.state == "in_review"
    entries = AuditEntry.objects.filter(model="calls.Application", object_pk=str(app.pk), action="update")
    actions = [e.changes["action"][1] for e in entries.order_by("at", "pk") if "action" in e.changes]
    assert actions == ["submit", "declare_eligible", "label", "start_review"]
    notes = Notification.objects.filter(application=app, user=world.coordinator)
    assert {n.action for n in notes} >= {"submit", "declare_eligible", "label", "start_review"}
    note = notes.get(action="declare_eligible")
    assert "ROBO" in note.subject_fr and "déclarer éligible" in note.subject_fr
    assert "declare eligible" in note.subject_en and "“submitted” to “eligible”" in note.body_en
    assert any("coordinator@example.org" in m.to for m in mail.outbox)
    assert any("— — —" in m.body for m in mail.outbox)  # French, then English


def test_selecting_a_file_never_reviewed_is_refused_with_the_reason(world):
    app = to_review(world, submitted(world))
    with pytest.raises(Refused) as refused:
        transition(app, "select", world.officer)
    assert refused.value.reasons[0].en == "The file was never reviewed: no review has been submitted."
    assert "jamais été expertisé" in refused.value.text("fr")
    app.refresh_from_db()
    assert app.state == "in_review"


def test_wrong_actor_is_forbidden_and_illegal_move_is_refused(world):
    app = submitted(world)
    with pytest.raises(Refused) as refused:
        transition(app, "declare_eligible", world.coordinator)
    assert refused.value.forbidden
    with pytest.raises(Refused, match="not possible for a file in state 'submitted'"):
        transition(app, "sign_agreement", world.officer)
    with pytest.raises(Refused, match="needs a reason"):
        transition(app, "declare_ineligible", world.officer)
    transition(app, "declare_ineligible", world.officer, reason="Missing annex")
    assert app.state == "ineligible" and app.project.status != "abandoned"
    app.project.refresh_from_db()
    assert app.project.status == "abandoned"


def test_withdrawal_by_the_coordinator_only_before_a_decision(world):
    app = submitted(world)
    with pytest.raises(Refused):
        transition(app, "withdraw", world.officer)
    transition(app, "withdraw", world.coordinator)
    assert app.state == "withdrawn"
    with pytest.raises(Refused, match="not possible for a file in state 'withdrawn'"):
        transition(app, "withdraw", world.coordinator)


def test_review_cannot_start_before_a_label_when_the_call_requires_one(world):
    app = submitted(world)
    transition(app, "declare_eligible", world.officer)
    with pytest.raises(Refused, match="No cluster has labelled"):
        transition(app, "start_review", world.officer)


def test_labelling_is_decided_by_the_cluster_asked_and_written_to_the_register(world):
    app = submitted(world)
    transition(app, "declare_eligible", world.officer)
    request = reviewing.ask_label(world.coordinator, app, world.cluster_a)
    assert Notification.objects.filter(user=world.manager_a, application=app).exists()
    with pytest.raises(PermissionDenied):
        reviewing.decide_label(world.manager_b, request, "labelled")
    with pytest.raises(ValidationError):
        reviewing.decide_label(world.manager_a, request, "declined")
    reviewing.decide_label(world.manager_a, request, "conditional", "Add an industrial end user.")
    link = ProjectCluster.objects.get(project=app.project, cluster=world.cluster_a)
    assert link.role == "labelled" and link.year is not None
    app.refresh_from_db()
    assert app.state == "labelled" and app.project.status == "labelled"
    assert list(visible_applications(world.manager_a)) == [app]
    assert list(visible_applications(world.manager_b)) == []
    request.refresh_from_db()
    assert request.decided_by == world.manager_a and request.decided_at is not None


def test_automatic_assignment_excludes_group_conflict_and_cluster_reviewers(world):
    world.setup.exclude_cluster_reviewers = True
    world.setup.save()
    app = to_review(world, submitted(world, partners=[world.lab, world.eti, world.subsidiary]))
    plan = reviewing.assign_automatically(world.officer, world.setup)
    assigned = set(Assignment.objects.filter(application=app).values_list("reviewer__username", flat=True))
    assert len(assigned) == world.setup.reviews_per_file
    assert not assigned & {"rev-group", "rev-conflict", "rev-cluster"}
    assert plan.shortages == {}
    with pytest.raises(Refused, match="its group, is in the consortium"):
        reviewing.assign_manually(world.officer, app, world.rev_group)
    with pytest.raises(Refused, match="conflict of interest"):
        reviewing.assign_manually(world.officer, app, world.rev_conflict)
    with pytest.raises(Refused, match="cluster asked to label"):
        reviewing.assign_manually(world.officer, app, world.rev_cluster)
    with pytest.raises(PermissionDenied):
        reviewing.assign_automatically(world.coordinator, world.setup)


def test_reviewers_reach_only_their_files_and_their_own_reviews(world):
    app = to_review(world, submitted(world))
    reviewing.assign_automatically(world.officer, world.setup)
    rows = list(Assignment.objects.filter(application=app))
    mine, other = rows[0], rows[1]
    reviewing.save_review(mine.reviewer, mine, {"excellence": 4}, submit=False)
    reviewing.save_review(other.reviewer, other, SCORES, submit=True)
    assert list(visible_applications(mine.reviewer)) == [app]
    unassigned = next(r for r in world.reviewers if r.pk not in {x.reviewer_id for x in rows})
    assert list(visible_applications(unassigned)) == []
    assert [r.assignment_id for r in visible_reviews(mine.reviewer, app)] == [mine.pk]
    assert list(visible_reviews(world.coordinator, app)) == []
    assert visible_reviews(world.officer, app).count() == 2
    with pytest.raises(PermissionDenied):
        reviewing.save_review(mine.reviewer, other, SCORES)


def test_a_low_score_without_comment_is_refused_and_the_file_score_is_the_mean(world):
    app = to_review(world, submitted(world))
    reviewing.assign_automatically(world.officer, world.setup)
    first, second = Assignment.objects.filter(application=app).order_by("pk")
    with pytest.raises(Refused, match="needs a comment"):
        reviewing.save_review(first.reviewer, first, {"excellence": 1, "impact": 5}, submit=True)
    reviewing.save_review(first.reviewer, first, {"excellence": 1, "impact": 5}, {"excellence": "thin"}, submit=True)
    reviewing.save_review(second.reviewer, second, {"excellence": 5, "impact": 5}, submit=True)
    app.refresh_from_db()
    # (2×1/5 + 1)/3 = 46.67 and 100: mean 73.34 (rounded half up)
    assert app.score == Decimal("73.34")
    with pytest.raises(ValidationError):
        reviewing.save_review(second.reviewer, second, SCORES, submit=True)


def test_from_selection_under_the_envelope_to_the_signed_agreement(world, mail):
    world.setup.envelope = Decimal(150000)  # each file asks 3 × 40,000: only one fits
    world.setup.save()
    a = to_review(world, submitted(world, "AAA"))
    b = submitted(world, "BBB", partners=[world.lab_b, world.coord], creator=world.coordinator_b,
                  coordinator=world.eti)
    transition(b, "declare_eligible", world.officer)
    reviewing.decide_label(world.manager_b, reviewing.ask_label(world.coordinator_b, b, world.cluster_b), "labelled")
    transition(b, "start_review", world.officer)
    reviewed(world, a, {"excellence": 5, "impact": 4})
    reviewed(world, b, {"excellence": 3, "impact": 3})
    selection = deciding.propose(world.officer, world.setup)
    decisions = {d.application.acronym: d for d in selection.decisions.select_related("application")}
    assert decisions["AAA"].outcome == "selected" and decisions["BBB"].outcome == "rejected"
    assert decisions["AAA"].reasons[0]["en"].startswith("Selected, above the line: rank 1")
    assert decisions["BBB"].reasons[0]["en"].startswith("Envelope exhausted")
    assert decisions["AAA"].aid == Decimal("120000.00") and decisions["BBB"].aid == 0
    what = deciding.what_if_envelope(world.officer, world.setup, Decimal(1_000_000))
    assert what.entering == {b.pk}
    with pytest.raises(Refused, match="not possible for a file in state 'in review'"):
        transition(a, "sign_agreement", world.officer)
    deciding.confirm(world.officer, selection)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.state, b.state) == ("selected", "rejected")
    note = Notification.objects.get(application=b, user=world.coordinator_b, action="reject")
    assert "Envelope exhausted" in note.body_en and "Enveloppe épuisée" in note.body_fr
    funding = deciding.sign_agreement(world.officer, a)
    a.refresh_from_db()
    assert a.state == "agreement_signed" and a.project.status == "funded" and a.project.is_public
    assert funding.amount == decisions["AAA"].aid and funding.funder == "bpifrance"
    assert Funding.objects.filter(project=a.project).count() == 1
    assert Participation.objects.filter(project=a.project).count() == 3
    for action in ("start", "accept_final_report", "close"):
        transition(a, action, world.officer)
    a.refresh_from_db()
    assert a.state == "closed" and a.project.status == "completed"


def test_an_agreement_needs_a_confirmed_decision_setting_the_aid(world):
    app = reviewed(world, to_review(world, submitted(world)))
    transition(app, "select", world.officer)
    with pytest.raises(Refused, match="does not set the aid awarded"):
        transition(app, "sign_agreement", world.officer)


def test_strangers_see_no_file(world):
    app = submitted(world)
    assert list(visible_applications(world.outsider)) == []
    assert list(visible_applications(world.coordinator)) == [app]
    assert list(visible_applications(world.officer)) == [app]
    assert not LabellingRequest.objects.exists() and not Decision.objects.exists()


def test_scores_recomputed_in_bulk_equal_the_ones_kept_review_by_review(world):
    app = reviewed(world, to_review(world, submitted(world)), {"excellence": 3, "impact": 1})
    kept = app.score
    from poles.calls.models import Application

    Application.objects.filter(pk=app.pk).update(score=None)
    assert reviewing.refresh_scores(world.setup) == 1
    app.refresh_from_db()
    assert app.score == kept == Decimal("46.67")
