"""Labels, reviewers and reviews: the services between submission and selection.

- Labelling: the coordinator asks clusters; a manager of a cluster asked labels (with or without
  conditions) or declines with a reason; a label is written to the register as a `ProjectCluster`
  link (role labelled, the decision's year), and an eligible file moves to labelled.
- Assignment: the pure rule (`poles.calls.assignment`) on facts from the register: each
  organisation's whole group (`registry.services.register_links`), declared conflicts, clusters a
  reviewer is attached to (their grants, their organisation's current memberships), open work.
- Reviews: only the assigned reviewer writes; submitting checks the grid; the file's score is the
  mean of the submitted reviews.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, DecimalField, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from poles.access.models import Grant
from poles.access.roles import Role
from poles.calls import notify, permissions
from poles.calls.assignment import FileFacts, Plan, ReviewerFacts, assign, why_not
from poles.calls.grid import CENT, check_review, mean_of_total, mean_score, weighted_score
from poles.calls.models import (
    Application,
    Assignment,
    CallSetup,
    ConflictDeclaration,
    LabellingRequest,
    Partner,
    Review,
    ReviewerProfile,
)
from poles.calls.reasons import Reason
from poles.calls.transitions import Refused, transition
from poles.calls.workflow import BY_ACTION, Actor, State
from poles.core import audit
from poles.projects.models import ProjectCluster
from poles.registry.models import Cluster, Membership, Organisation
from poles.registry.services import register_links

OPEN_FOR_ASSIGNMENT = (State.ELIGIBLE, State.LABELLED, State.IN_REVIEW)


# --- labelling ----------------------------------------------------------------------------------

@transaction.atomic
def ask_label(user, application: Application, cluster: Cluster, *, channel: str = "page") -> LabellingRequest:
    """The coordinator asks a cluster to label the project; its managers are notified."""
    if Actor.COORDINATOR not in permissions.actors_for(user, application):
        raise PermissionDenied(_("Only the coordinator asks for a label."))
    if application.state in (State.WITHDRAWN, State.INELIGIBLE, State.REJECTED):
        raise ValidationError(_("This file can no longer ask for a label."))
    request, created = LabellingRequest.objects.get_or_create(application=application, cluster=cluster)
    if created:
        audit.record(user, "create", request, audit.diff({}, audit.snapshot(request)), channel, cluster_id=cluster.pk)
        notify.send(application, BY_ACTION["label"], State(application.state),
                    _("%(cluster)s is asked to label the project.") % {"cluster": cluster},
                    users=notify.cluster_managers(application))
    return request


@transaction.atomic
def decide_label(user, request: LabellingRequest, status: str, text: str = "", *,
                 channel: str = "page") -> LabellingRequest:
    """A manager of the cluster asked labels, labels with conditions, or declines with a reason."""
    permissions.check(permissions.can_decide_label(user, request))
    if status not in (LabellingRequest.Status.LABELLED, LabellingRequest.Status.CONDITIONAL,
                      LabellingRequest.Status.DECLINED):
        raise ValidationError(_("A label decision is labelled, conditional or declined."))
    if status != LabellingRequest.Status.LABELLED and not text.strip():
        raise ValidationError(_("Conditions or the reason for declining are required."))
    before = audit.snapshot(request)
    request.status, request.text = status, text.strip()
    request.decided_at, request.decided_by = timezone.now(), user
    request.save()
    audit.record(user, "update", request, audit.diff(before, audit.snapshot(request)), channel,
                 cluster_id=request.cluster_id)
    application = request.application
    if request.grants_label:
        ProjectCluster.objects.update_or_create(
            project_id=application.project_id, cluster_id=request.cluster_id,
            defaults={"role": ProjectCluster.Role.LABELLED, "year": timezone.localdate(request.decided_at).year},
        )
        if application.state == State.ELIGIBLE:
            transition(application, "label", user, channel=channel)
    else:
        ProjectCluster.objects.filter(project_id=application.project_id, cluster_id=request.cluster_id).delete()
    return request


# --- reviewers and assignment -------------------------------------------------------------------

def reviewer_pool() -> list[int]:
    """Users holding an active reviewer grant."""
    return sorted(set(Grant.objects.filter(role=Role.REVIEWER, status=Grant.Status.ACTIVE, user__is_active=True)
                      .values_list("user_id", flat=True)))


def _file_facts(applications: list[Application], links) -> list[FileFacts]:
    partners: dict[int, set[int]] = {}
    for app_id, org_id in Partner.objects.filter(
            application__in=applications).values_list("application_id", "organisation_id"):
        partners.setdefault(app_id, set()).update(links.group(org_id))
    clusters: dict[int, set[int]] = {}
    for app_id, cluster_id in LabellingRequest.objects.filter(application__in=applications).values_list(
            "application_id", "cluster_id"):
        clusters.setdefault(app_id, set()).add(cluster_id)
    return [FileFacts(a.pk, frozenset(partners.get(a.pk, ())), frozenset(clusters.get(a.pk, ()))) for a in applications]


def reviewer_facts(user_ids: list[int], links=None, *, exclude_setup: CallSetup | None = None) -> list[ReviewerFacts]:
    """The reviewers as the assignment rule reads them (group, conflicts, attached clusters, open work)."""
    links = links or register_links()
    profiles = dict(ReviewerProfile.objects.filter(user_id__in=user_ids).values_list("user_id", "organisation_id"))
    conflicts_org: dict[int, set[int]] = {}
    conflicts_file: dict[int, set[int]] = {}
    for reviewer, org, app in ConflictDeclaration.objects.filter(reviewer_id__in=user_ids).values_list(
            "reviewer_id", "organisation_id", "application_id"):
        if org:
            conflicts_org.setdefault(reviewer, set()).update(links.group(org))
        if app:
            conflicts_file.setdefault(reviewer, set()).add(app)
    attached: dict[int, set[int]] = {}
    for reviewer, cluster in Grant.objects.filter(user_id__in=user_ids, status=Grant.Status.ACTIVE,
                                                  cluster__isnull=False).values_list("user_id", "cluster_id"):
        attached.setdefault(reviewer, set()).add(cluster)
    orgs = {o for o in profiles.values() if o}
    by_org: dict[int, set[int]] = {}
    for org, cluster in Membership.objects.filter(
            organisation_id__in=orgs, status__in=[Membership.Status.MEMBER, Membership.Status.PENDING]
    ).values_list("organisation_id", "cluster_id"):
        by_org.setdefault(org, set()).add(cluster)
    open_work = Assignment.objects.filter(reviewer_id__in=user_ids).filter(
        Q(review__isnull=True) | ~Q(review__status=Review.Status.SUBMITTED))
    if exclude_setup is not None:
        open_work = open_work.exclude(application__setup=exclude_setup)
    loads = dict(open_work.values("reviewer_id").annotate(n=Count("pk")).values_list("reviewer_id", "n"))
    return [ReviewerFacts(
        id=pk,
        organisation_ids=links.group(profiles[pk]) if profiles.get(pk) else frozenset(),
        conflict_organisation_ids=frozenset(conflicts_org.get(pk, ())),
        conflict_file_ids=frozenset(conflicts_file.get(pk, ())),
        cluster_ids=frozenset(attached.get(pk, set()) | by_org.get(profiles.get(pk) or 0, set())),
        load=loads.get(pk, 0),
    ) for pk in user_ids]


@transaction.atomic
def assign_automatically(user, setup: CallSetup, *, channel: str = "page") -> Plan:
    """Complete every open file of the call to N reviewers, balanced; existing assignments stay."""
    permissions.check(permissions.can_manage_calls(user))
    applications = list(Application.objects.filter(setup=setup, state__in=OPEN_FOR_ASSIGNMENT).order_by("pk"))
    links = register_links()
    pool = reviewer_pool()
    fixed = list(Assignment.objects.filter(application__in=applications).values_list("application_id", "reviewer_id"))
    plan = assign(_file_facts(applications, links), reviewer_facts(pool, links, exclude_setup=setup),
                  per_file=setup.reviews_per_file, exclude_cluster_reviewers=setup.exclude_cluster_reviewers,
                  fixed=fixed)
    created = Assignment.objects.bulk_create([
        Assignment(application_id=f, reviewer_id=r, how=Assignment.How.AUTO, assigned_by=user)
        for f, r in sorted(plan.added)
    ])
    for row in created:
        audit.record(user, "create", row, {"application": [None, row.application_id], "reviewer": [None, row.reviewer_id],
                                           "how": [None, "auto"]}, channel)
    _tell_reviewers(created)
    return plan


@transaction.atomic
def assign_manually(user, application: Application, reviewer, *, channel: str = "page") -> Assignment:
    """An officer gives a file to one reviewer; refused with the reason when the reviewer is excluded."""
    permissions.check(permissions.can_manage_calls(user))
    if reviewer.pk not in reviewer_pool():
        raise ValidationError(_("This user is not a reviewer."))
    links = register_links()
    (facts,) = reviewer_facts([reviewer.pk], links)
    (file,) = _file_facts([application], links)
    reason = why_not(facts, file, exclude_cluster_reviewers=application.setup.exclude_cluster_reviewers)
    if reason is not None:
        raise Refused([reason])
    row, created = Assignment.objects.get_or_create(
        application=application, reviewer=reviewer, defaults={"how": Assignment.How.MANUAL, "assigned_by": user})
    if created:
        audit.record(user, "create", row, {"application": [None, application.pk], "reviewer": [None, reviewer.pk],
                                           "how": [None, "manual"]}, channel)
        _tell_reviewers([row])
    return row


def _tell_reviewers(rows: list[Assignment]) -> None:
    by_file: dict[int, list[int]] = {}
    for row in rows:
        by_file.setdefault(row.application_id, []).append(row.reviewer_id)
    for application in Application.objects.filter(pk__in=by_file).select_related("setup__call"):
        notify.send(application, BY_ACTION["start_review"], State(application.state),
                    _("You are asked to review this file."), users=by_file[application.pk])


@transaction.atomic
def declare_conflict(user, *, organisation: Organisation | None = None, application: Application | None = None,
                     reason: str = "", channel: str = "page") -> ConflictDeclaration:
    """A reviewer declares a conflict; an assignment it touches and not yet reviewed is withdrawn."""
    if Role.REVIEWER not in permissions.scope_of(user).roles:
        raise PermissionDenied(_("Only reviewers declare conflicts of interest."))
    if organisation is None and application is None:
        raise ValidationError(_("Name the organisation or the file concerned."))
    row = ConflictDeclaration.objects.create(reviewer=user, organisation=organisation, application=application,
                                             reason=reason)
    audit.record(user, "create", row, audit.diff({}, audit.snapshot(row)), channel)
    touched = Assignment.objects.filter(reviewer=user).exclude(review__status=Review.Status.SUBMITTED)
    if application is not None:
        touched.filter(application=application).delete()
    if organisation is not None:
        group = register_links().group(organisation.pk)
        touched.filter(application__partners__organisation_id__in=group).delete()
    return row


# --- reviews ------------------------------------------------------------------------------------

@transaction.atomic
def save_review(user, assignment: Assignment, scores: dict, comments: dict | None = None, *,
                submit: bool = False, channel: str = "page") -> Review:
    """The assigned reviewer saves a draft, or submits it once the grid is satisfied."""
    permissions.check(permissions.can_review(user, assignment))
    application = assignment.application
    if application.state not in (State.IN_REVIEW, State.SHORTLISTED):
        raise ValidationError(_("This file is not in review."))
    review, _created = Review.objects.get_or_create(assignment=assignment)
    if review.status == Review.Status.SUBMITTED:
        raise ValidationError(_("This review was submitted and can no longer change."))
    before = audit.snapshot(review)
    grid = application.setup.scoring_grid()
    review.scores, review.comments = scores or {}, comments or {}
    if submit:
        problems = check_review(grid, review.scores, review.comments)
        if problems:
            raise Refused(problems)
        review.total = weighted_score(grid, review.scores)
        review.status, review.submitted_at = Review.Status.SUBMITTED, timezone.now()
    review.save()
    audit.record(user, "update", review, audit.diff(before, audit.snapshot(review)), channel)
    if submit:
        refresh_score(application)
    return review


def refresh_score(application: Application) -> Decimal | None:
    """The file's score: the mean of its submitted reviews."""
    totals = list(Review.objects.filter(assignment__application=application, status=Review.Status.SUBMITTED)
                  .values_list("total", flat=True))
    application.score = mean_score([t for t in totals if t is not None])
    Application.objects.filter(pk=application.pk).update(score=application.score)
    return application.score


@transaction.atomic
def refresh_scores(setup: CallSetup) -> int:
    """Every file's score of the call from its submitted reviews, in one aggregate read and one bulk write; returns changes.

    The database sums and counts the reviews per file (2,000 rows read instead of 10,000 review
    rows); `grid.mean_of_total` rounds the mean as `mean_score` does, on exact decimals.
    """
    sums = {
        app_id: (Decimal(total).quantize(CENT), count)
        for app_id, total, count in Review.objects.filter(
            assignment__application__setup=setup, status=Review.Status.SUBMITTED, total__isnull=False,
        ).values("assignment__application_id").annotate(
            s=Sum("total", output_field=DecimalField(max_digits=20, decimal_places=2)), n=Count("id"),
        ).values_list("assignment__application_id", "s", "n").order_by()
    }
    changed = []
    for pk, stored in Application.objects.filter(setup=setup).values_list("pk", "score"):
        total, count = sums.get(pk, (Decimal(0), 0))
        score = mean_of_total(total, count)
        if score != stored:
            changed.append((pk, score))
    set_scores(changed)
    return len(changed)


def set_scores(rows: list[tuple[int, Decimal | None]]) -> None:
    """Write many files' scores in a few statements (UPDATE … FROM a VALUES table joined by id: PostgreSQL, SQLite ≥ 3.33)."""
    table = Application._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            values = ", ".join(["(%s, %s)"] * len(chunk))
            params = [x for pk, score in chunk for x in (pk, None if score is None else str(score))]
            cursor.execute(
                f"WITH v(id, score) AS (VALUES {values}) "  # noqa: S608 — the model's table; values are parameters
                f"UPDATE {table} SET score = CAST(v.score AS NUMERIC(5, 2)) FROM v WHERE {table}.id = v.id",
                params,
            )


@transaction.atomic
def record_consensus(user, application: Application, score: Decimal | None, *, channel: str = "page") -> Application:
    """The officer records the panel's consensus score (None returns to the mean of the reviews)."""
    permissions.check(permissions.can_manage_calls(user))
    if score is not None and not Decimal(0) <= Decimal(score) <= Decimal(100):
        raise ValidationError(_("A score is between 0 and 100."))
    old = application.consensus_score
    application.consensus_score = None if score is None else Decimal(score).quantize(Decimal("0.01"))
    application.save(update_fields=["consensus_score", "updated_at"])
    audit.record(user, "update", application, {"consensus_score": [audit.jsonable(old),
                                                                   audit.jsonable(application.consensus_score)]}, channel)
    return application


def exclusions(setup: CallSetup) -> dict[int, list[tuple[int, Reason]]]:
    """For each open file of the call, the reviewers of the pool who may not review it, and why."""
    applications = list(Application.objects.filter(setup=setup, state__in=OPEN_FOR_ASSIGNMENT).order_by("pk"))
    links = register_links()
    reviewers = reviewer_facts(reviewer_pool(), links, exclude_setup=setup)
    found: dict[int, list[tuple[int, Reason]]] = {}
    for file in _file_facts(applications, links):
        for reviewer in reviewers:
            reason = why_not(reviewer, file, exclude_cluster_reviewers=setup.exclude_cluster_reviewers)
            if reason is not None:
                found.setdefault(file.id, []).append((reviewer.id, reason))
    return found
