"""Who may do what in a certification campaign: `(bool, reason)` functions on the access scope.

National officers and administrators run the campaigns and decide; a cluster's managers write and
submit its application and read its decision; evaluators are national or regional officers
assigned to an application by the national officer, and reach only the applications assigned to
them, and only their own scores. The consolidation of every evaluator's scores is for the
programme officers.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from poles.access.models import Grant
from poles.access.permissions import may_write_programme
from poles.access.roles import Role, Scope, scope_of
from poles.certification.models import Campaign, Candidacy, Evaluation
from poles.certification.workflow import Actor

Decision = tuple[bool, str]
EVALUATOR_ROLES = (Role.NATIONAL, Role.REGIONAL)
"""The officers of ministries and regions who may be assigned as evaluators."""


def is_evaluator(scope: Scope) -> bool:
    """Whether the user holds a role that may evaluate (national or regional officer)."""
    return scope.is_national or bool(scope.region_codes)


def is_officer(user) -> bool:
    """National officers and administrators: they run campaigns."""
    return may_write_programme(scope_of(user))[0]


def campaign_actors(user) -> set[Actor]:
    """The workflow actors `user` is on a campaign."""
    return {Actor.OFFICER} if is_officer(user) else set()


def candidacy_actors(user, candidacy: Candidacy) -> set[Actor]:
    """The workflow actors `user` is on an application: officer, manager of the applying cluster."""
    scope = scope_of(user)
    actors = campaign_actors(user)
    if candidacy.cluster_id in scope.managed_cluster_ids or scope.is_admin:
        actors.add(Actor.MANAGER)
    return actors


def evaluators() -> QuerySet:
    """Users who may be assigned: active accounts holding an active national or regional officer grant."""
    ids = Grant.objects.filter(role__in=EVALUATOR_ROLES, status=Grant.Status.ACTIVE).values("user_id")
    return get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("last_name", "first_name", "username")


def visible_candidacies(user, qs: QuerySet[Candidacy] | None = None) -> QuerySet[Candidacy]:
    """Applications `user` may open: officers all, managers their cluster's, evaluators those assigned to them."""
    qs = Candidacy.objects.all() if qs is None else qs
    scope = scope_of(user)
    if not scope.is_authenticated:
        return qs.none()
    if scope.sees_all:
        return qs
    condition = Q(cluster_id__in=sorted(scope.managed_cluster_ids))
    if is_evaluator(scope):
        condition |= Q(pk__in=Evaluation.objects.filter(evaluator_id=scope.user_id).values("candidacy_id"))
    return qs.filter(condition)


def can_manage_campaigns(user) -> Decision:
    """Campaigns, assignments, consolidation and decisions: national officers and administrators."""
    allowed, _reason = may_write_programme(scope_of(user))
    if allowed:
        return True, _("programme officer")
    return False, _("Certification campaigns are run by the national programme officers.")


def can_view_candidacy(user, candidacy: Candidacy) -> Decision:
    """Whether `user` may open this application."""
    if visible_candidacies(user).filter(pk=candidacy.pk).exists():
        return True, _("in scope")
    return False, _("An application is read by its cluster's managers, its evaluators and the programme officers.")


def can_edit_candidacy(user, candidacy: Candidacy) -> Decision:
    """The applying cluster's managers write the draft while the campaign is open."""
    if Actor.MANAGER not in candidacy_actors(user, candidacy):
        return False, _("Only the cluster's managers write its application.")
    if candidacy.state != "draft" or candidacy.campaign.state != "open":
        return False, _("The application can be changed only as a draft while the campaign is open.")
    return True, _("manager of the cluster")


def can_evaluate(user, evaluation: Evaluation) -> Decision:
    """Only the evaluator assigned scores, while they hold an officer role and the campaign is in evaluation."""
    scope = scope_of(user)
    if evaluation.evaluator_id != scope.user_id or not is_evaluator(scope):
        return False, _("Only the evaluator assigned to this application may score it.")
    return True, _("assigned evaluator")


def visible_evaluations(user, candidacy: Candidacy) -> QuerySet[Evaluation]:
    """Evaluations `user` may read on an application: officers all, an evaluator their own, nobody else."""
    qs = Evaluation.objects.filter(candidacy=candidacy)
    scope = scope_of(user)
    if scope.sees_all:
        return qs
    if is_evaluator(scope):
        return qs.filter(evaluator_id=scope.user_id)
    return qs.none()


def visible_campaigns(user) -> QuerySet[Campaign]:
    """Campaigns listed to `user`: officers all, others those where they apply or evaluate."""
    scope = scope_of(user)
    if scope.sees_all:
        return Campaign.objects.all()
    return Campaign.objects.filter(pk__in=visible_candidacies(user).values("campaign_id"))


def check(decision: Decision) -> None:
    """Raise PermissionDenied with the reason unless the decision allows."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)
