"""Who may do what with calls, files, labels and reviews: `(bool, reason)` functions on the access scope.

Built on `poles.access` (scopes from grants, `may_write_programme`): programme officers (national
officers, admins) run calls and decisions; the coordinator side of a file is its creator and the
representatives of its coordinating organisation; a cluster's managers see and decide the files
that asked their cluster for a label; a reviewer reaches only the files assigned to them and only
their own review. Applicants never see who reviewed them: `visible_reviews` gives them nothing,
and the anonymous summaries of scores are built without the reviewer.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from poles.access.permissions import may_write_programme
from poles.access.roles import scope_of
from poles.calls.models import Application, Assignment, LabellingRequest, Review
from poles.calls.workflow import Actor, State

Decision = tuple[bool, str]

AWARDED = frozenset({State.AGREEMENT_SIGNED, State.RUNNING, State.FINAL_REPORT_ACCEPTED, State.CLOSED})
"""The states of a file whose agreement is signed: its aid is in the register as the funder's grant."""


def actors_for(user, application: Application) -> set[Actor]:
    """The workflow actors `user` is on this file (none for strangers)."""
    scope = scope_of(user)
    if not scope.is_authenticated:
        return set()
    actors = set()
    if scope.is_admin or scope.is_national:
        actors.add(Actor.OFFICER)
    if application.created_by_id == scope.user_id or application.coordinator_id in scope.organisation_ids:
        actors.add(Actor.COORDINATOR)
    if scope.managed_cluster_ids and LabellingRequest.objects.filter(
            application=application, cluster_id__in=sorted(scope.managed_cluster_ids)).exists():
        actors.add(Actor.CLUSTER_MANAGER)
    return actors


def visible_applications(user, qs: QuerySet[Application] | None = None) -> QuerySet[Application]:
    """The files `user` may open: officers all; the consortium, the clusters asked, the reviewers assigned theirs."""
    qs = Application.objects.all() if qs is None else qs
    scope = scope_of(user)
    if not scope.is_authenticated:
        return qs.none()
    if scope.sees_all:
        return qs
    condition = Q(created_by_id=scope.user_id)
    if scope.organisation_ids:
        condition |= Q(pk__in=Application.objects.filter(
            partners__organisation_id__in=sorted(scope.organisation_ids)).values("pk"))
    if scope.managed_cluster_ids:
        condition |= Q(pk__in=LabellingRequest.objects.filter(
            cluster_id__in=sorted(scope.managed_cluster_ids)).values("application_id"))
    if scope.is_reviewer:
        condition |= Q(pk__in=Assignment.objects.filter(reviewer_id=scope.user_id).values("application_id"))
    return qs.filter(condition)


def can_view_application(user, application: Application) -> Decision:
    """Whether `user` may open this file."""
    if visible_applications(user).filter(pk=application.pk).exists():
        return True, _("in scope")
    return False, _("This file is read by its consortium, the clusters it asked, its reviewers and the programme officers.")


def can_manage_calls(user) -> Decision:
    """Calls, assignments, selections and agreements: programme officers."""
    return may_write_programme(scope_of(user))


def can_start_application(user, organisation_id: int) -> Decision:
    """A representative of a member organisation starts a file for it (admins for anyone)."""
    scope = scope_of(user)
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if scope.is_admin or organisation_id in scope.organisation_ids:
        return True, _("representative of the organisation")
    return False, _("Only a representative of the coordinating organisation may start its file.")


def can_edit_application(user, application: Application) -> Decision:
    """The coordinator side edits the draft (before a decision, while a round is open)."""
    if Actor.COORDINATOR in actors_for(user, application):
        return True, _("coordinator")
    return False, _("Only the coordinator edits the file.")


def can_edit_partner(user, application: Application, organisation_id: int) -> Decision:
    """The coordinator side writes any partner's figures; a partner's representatives write their own row."""
    if Actor.COORDINATOR in actors_for(user, application):
        return True, _("coordinator")
    scope = scope_of(user)
    if organisation_id in scope.organisation_ids and application.partners.filter(
            organisation_id=organisation_id).exists():
        return True, _("representative of the partner")
    return False, _("Only the coordinator and the partner's own representatives enter its costs.")


def can_label_for(user, cluster_id: int) -> Decision:
    """A cluster's labelling queue: its managers (and administrators)."""
    scope = scope_of(user)
    if scope.is_admin or cluster_id in scope.managed_cluster_ids:
        return True, _("manager of the cluster")
    return False, _("The labelling queue is for the cluster's managers.")


def visible_labelling_requests(user, qs: QuerySet[LabellingRequest] | None = None) -> QuerySet[LabellingRequest]:
    """Labelling requests `user` may read: officers all; a cluster's managers those asking their cluster;
    the consortium side those of its files. Reviewers none (a label is no part of their review)."""
    qs = LabellingRequest.objects.all() if qs is None else qs
    scope = scope_of(user)
    if not scope.is_authenticated:
        return qs.none()
    if scope.sees_all:
        return qs
    condition = Q(application__created_by_id=scope.user_id)
    if scope.organisation_ids:
        condition |= Q(application__in=Application.objects.filter(
            partners__organisation_id__in=sorted(scope.organisation_ids)).values("pk"))
    if scope.managed_cluster_ids:
        condition |= Q(cluster_id__in=sorted(scope.managed_cluster_ids))
    return qs.filter(condition)


def can_decide_label(user, request: LabellingRequest) -> Decision:
    """A manager of the cluster asked (or an admin) decides its label."""
    scope = scope_of(user)
    if scope.is_admin or request.cluster_id in scope.managed_cluster_ids:
        return True, _("manager of the cluster asked")
    return False, _("Only the managers of the cluster asked may label the project.")


def can_review(user, assignment: Assignment) -> Decision:
    """Only the reviewer assigned writes the review, and only while they hold the reviewer role."""
    scope = scope_of(user)
    if scope.is_reviewer and assignment.reviewer_id == scope.user_id:
        return True, _("assigned reviewer")
    return False, _("Only the reviewer assigned to this file may review it.")


def visible_reviews(user, application: Application) -> QuerySet[Review]:
    """Reviews `user` may read on a file: officers all, a reviewer their own; nobody else, so identities stay hidden."""
    qs = Review.objects.filter(assignment__application=application)
    scope = scope_of(user)
    if scope.sees_all:
        return qs
    if scope.is_reviewer:
        return qs.filter(assignment__reviewer_id=scope.user_id)
    return qs.none()


def can_read_award(user, application: Application) -> Decision:
    """The aid a call awarded is public once its agreement is signed and the project published.

    A funder publishes the grants it makes (in France, décret 2017-779 for subsidies above 23,000 €);
    before the signature the amount is a proposal and stays on the file (officers, consortium).
    The same for every reader: `user` is taken for the shape of the permission functions.
    """
    del user
    if application.state in AWARDED and application.project.is_public:
        return True, _("aid awarded by a signed agreement, published by the funder")
    return False, _("The aid a call awards is published once the agreement is signed and the project published.")


def check(decision: Decision) -> None:
    """Raise PermissionDenied with the reason unless the decision allows."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)
