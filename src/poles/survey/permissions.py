"""Who may do what with the annual survey: `(bool, reason)` functions on the access scope.

A cluster's managers fill and submit their cluster's report; the officers in scope (national
officers and administrators for every cluster, a regional officer for the clusters of their
regions) read the reports, send reminders, send a report back or validate it; nobody else reads
a report. Opening a survey is the programme's (national officers, administrators).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from poles.access.permissions import may_write_programme
from poles.access.roles import scope_of
from poles.survey.models import Report
from poles.survey.workflow import EDITABLE, Actor, State

Decision = tuple[bool, str]


def actors_for(user, report: Report) -> set[Actor]:
    """The workflow actors `user` is on this report (none for strangers)."""
    scope = scope_of(user)
    actors: set[Actor] = set()
    if not scope.is_authenticated:
        return actors
    if scope.is_admin or report.cluster_id in scope.managed_cluster_ids:
        actors.add(Actor.MANAGER)
    if scope.sees_all or report.cluster_id in scope.regional_cluster_ids:
        actors.add(Actor.OFFICER)
    return actors


def visible_reports(user, qs: QuerySet[Report] | None = None) -> QuerySet[Report]:
    """The reports `user` may read: all for programme officers, their region's for a regional officer, their cluster's for a manager."""
    qs = Report.objects.all() if qs is None else qs
    scope = scope_of(user)
    if not scope.is_authenticated:
        return qs.none()
    if scope.sees_all:
        return qs
    return qs.filter(cluster_id__in=sorted(scope.managed_cluster_ids | scope.regional_cluster_ids))


def can_follow_surveys(user) -> Decision:
    """The survey pages of the programme (status tables, reminders): national, regional officers, admins."""
    scope = scope_of(user)
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if scope.sees_all or scope.region_codes:
        return True, _("officer")
    return False, _("The survey's status is followed by the national and regional officers.")


def can_open_survey(user) -> Decision:
    """Opening (or closing) a year's survey: the programme's."""
    return may_write_programme(scope_of(user))


def can_view_report(user, report: Report) -> Decision:
    """Whether `user` may read this report."""
    if actors_for(user, report):
        return True, _("in scope")
    return False, _("A report is read by its cluster's managers and the officers in scope.")


def can_edit_report(user, report: Report) -> Decision:
    """The cluster's managers change the declared figures and the evidence while the report is a draft or sent back."""
    if Actor.MANAGER not in actors_for(user, report):
        return False, _("Only the cluster's managers fill its report.")
    if State(report.state) not in EDITABLE:
        return False, _("The report is submitted or validated: it can no longer be changed.")
    if not report.survey.is_open:
        return False, _("This year's survey is closed.")
    return True, _("manager of the cluster")


def can_remind(user, report: Report) -> Decision:
    """Reminders go out from the officers in scope."""
    if Actor.OFFICER in actors_for(user, report):
        return True, _("officer in scope")
    return False, _("Only the officers in scope send reminders.")


def check(decision: Decision) -> None:
    """Raise PermissionDenied with the reason unless the decision allows."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)
