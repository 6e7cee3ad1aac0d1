"""The files' transition service: permission, preconditions on server time, side effects, audit, notification.

`transition(application, action, user)` reads the workflow table (`poles.calls.workflow`), asks the
permission layer which actors the user is on the file, gathers the facts the preconditions need
(server time and the call's rounds, the eligibility report, labels, submitted reviews, the
decision), and hands over to the shared service (`poles.core.transitions.perform`, also used by the
certification campaigns), which refuses with every reason when something does not hold. Otherwise, in one
transaction: the side effects of the action (a frozen submission for submit/resubmit), the new
state, the project's status in the register, an audit entry, and the notifications.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from poles.calls import notify
from poles.calls.eligibility import evaluate, failures
from poles.calls.models import Application, Decision, LabellingRequest, Review
from poles.calls.permissions import actors_for
from poles.calls.questions import check_answers
from poles.calls.reasons import Reason
from poles.calls.rounds import closed_reason, round_at
from poles.calls.submissions import freeze, project_facts
from poles.calls.workflow import BY_ACTION, WORKFLOW, Facts, State
from poles.core.transitions import Refused, perform, replaying, server_time
from poles.core.workflow import Transition
from poles.projects.models import Project

__all__ = ["PROJECT_STATUS", "Refused", "gather_facts", "replaying", "reviews_submitted", "server_time", "transition"]

PROJECT_STATUS = {
    State.DRAFT: Project.Status.IDEA,
    State.SUBMITTED: Project.Status.SUBMITTED,
    State.LABELLED: Project.Status.LABELLED,
    State.AGREEMENT_SIGNED: Project.Status.FUNDED,
    State.RUNNING: Project.Status.RUNNING,
    State.CLOSED: Project.Status.COMPLETED,
    State.INELIGIBLE: Project.Status.ABANDONED,
    State.REJECTED: Project.Status.ABANDONED,
    State.WITHDRAWN: Project.Status.ABANDONED,
}
"""The register project's status for the file states that change it (others leave it as it was)."""


def reviews_submitted(application: Application) -> int:
    return Review.objects.filter(assignment__application=application, status=Review.Status.SUBMITTED).count()


def gather_facts(application: Application, action: str, *, reason: str | Reason, now: dt.datetime,
                 needed: set[str] | None = None) -> Facts:
    """What the action's preconditions read, and only that — or what `needed` names (the union of
    several actions' preconditions, so that a page offering them reads each fact once)."""
    if needed is None:
        transition = BY_ACTION.get(action)
        needed = set(transition.preconditions) if transition else set()
    setup = application.setup
    text = reason.en if isinstance(reason, Reason) else reason
    values: dict = {"now": now, "reason_given": bool(text.strip()),
                    "labelling_required": setup.labelling_required,
                    "reviews_required": setup.reviews_per_file}
    if "round_open" in needed:
        windows = setup.windows()
        values["round_open"] = round_at(windows, now) is not None
        values["closed_reason"] = closed_reason(windows, now)
    if "rules_pass" in needed:
        outcomes = evaluate(setup.rules(), project_facts(application))
        values["eligibility_failures"] = tuple(o.reason for o in failures(outcomes))
    if "form_complete" in needed:
        values["form_problems"] = tuple(check_answers(setup.questions(), application.answers or {}))
    if needed & {"labelled", "labelled_if_required"}:
        values["labelled_clusters"] = LabellingRequest.objects.filter(
            application=application,
            status__in=[LabellingRequest.Status.LABELLED, LabellingRequest.Status.CONDITIONAL]).count()
    if "reviews_complete" in needed:
        values["reviews_submitted"] = reviews_submitted(application)
    if "decided_aid" in needed:
        values["decided_aid"] = Decision.objects.filter(
            application=application, outcome=Decision.Outcome.SELECTED, selection__confirmed_at__isnull=False,
            aid__gt=0).exists()
    return Facts(**values)


@transaction.atomic
def transition(application: Application, action: str, user, *, reason: str | Reason = "",
               channel: str = "page") -> Application:
    """Run `action` on the file for `user`, or raise `Refused` with every reason."""
    app = Application.objects.select_for_update().select_related("setup__call", "project").get(pk=application.pk)
    now = server_time()
    facts = gather_facts(app, action, reason=reason, now=now)

    def effects(step: Transition) -> dict:
        if action not in ("submit", "resubmit"):
            return {}
        opened = round_at(app.setup.windows(), now)
        round_row = app.setup.rounds.filter(number=opened.number).first() if opened else None
        return {"submission": [None, freeze(app, user, round_row, now).version]}

    def after(step: Transition) -> None:
        status = PROJECT_STATUS.get(step.target)
        if status is not None and app.project.status != status:
            Project.objects.filter(pk=app.project_id).update(status=status)

    cluster = LabellingRequest.objects.filter(application=app).order_by("pk").values_list("cluster_id", flat=True).first()
    perform(WORKFLOW, app, action, user, actors=actors_for(user, app), facts=facts, now=now, effects=effects,
            after=after, notify=lambda step, old: notify.send(app, step, old, reason or None), reason=reason,
            channel=channel, cluster_id=cluster, save_fields=["submission", "updated_at"])
    application.state = app.state
    application.submission_id = app.submission_id
    return app
