"""The campaign's writes: create, move through the workflow, write and submit an application, assign, score, decide.

Every write checks the permission layer first, runs on server time, and leaves an audit entry;
transitions go through the shared service (`poles.core.transitions.perform`) with the campaign's
tables (`poles.certification.workflow`). Evaluations and decisions not yet published are audited
outside the cluster's log, so a cluster reads its decision only once the campaign publishes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from poles.calls.grid import Grid, check_review, parse_grid, weighted_score
from poles.calls.reasons import CallDataError
from poles.certification import notify
from poles.certification.indicators import indicators_for
from poles.certification.models import Campaign, Candidacy, Evaluation
from poles.certification.permissions import (
    campaign_actors,
    can_edit_candidacy,
    can_evaluate,
    can_manage_campaigns,
    candidacy_actors,
    check,
    evaluators,
)
from poles.certification.rules import (
    DEFAULT_GRID,
    Consolidation,
    Scored,
    consolidate,
    decision_problems,
    register_outcome,
    statement_problems,
)
from poles.certification.workflow import (
    CAMPAIGN,
    CANDIDACY,
    CampaignFacts,
    CampaignState,
    CandidacyFacts,
    CandidacyState,
)
from poles.core import audit
from poles.core.reasons import Reason
from poles.core.transitions import Refused, perform, server_time
from poles.core.workflow import Transition
from poles.registry.models import Certification, Cluster, Phase

SUBMITTED = (CandidacyState.SUBMITTED, CandidacyState.DECIDED)


def grid_of(campaign: Campaign) -> Grid:
    """The campaign's criteria grid (its JSON checked)."""
    return parse_grid(campaign.grid)


def create_campaign(user, *, phase: Phase, title: str, grid: list[dict[str, Any]] | None = None,
                    applications_close=None, channel: str = "page") -> Campaign:
    """A new campaign in preparation, with the default grid unless one is given (checked)."""
    check(can_manage_campaigns(user))
    data = DEFAULT_GRID if grid is None else grid
    try:
        parse_grid(data)
    except CallDataError as error:
        raise Refused([error.reason]) from error
    campaign = Campaign.objects.create(phase=phase, title=title.strip(), grid=data,
                                       applications_close=applications_close, created_by=user)
    audit.record(user, "create", campaign, audit.diff({}, audit.snapshot(campaign)), channel)
    return campaign


def campaign_facts(campaign: Campaign) -> CampaignFacts:
    """What the campaign's preconditions read, counted in the database."""
    try:
        grid_of(campaign)
        problems: tuple[Reason, ...] = ()
    except CallDataError as error:
        problems = (error.reason,)
    submitted = campaign.candidacies.filter(state__in=SUBMITTED)
    counts = submitted.aggregate(
        n=Count("pk", distinct=True),
        undecided=Count("pk", filter=Q(state=CandidacyState.SUBMITTED), distinct=True))
    return CampaignFacts(
        grid_problems=problems,
        clusters=Cluster.objects.filter(status=Cluster.Status.ACTIVE).count(),
        submitted=counts["n"],
        unassigned=submitted.filter(evaluations__isnull=True).count(),
        evaluations_missing=Evaluation.objects.filter(candidacy__in=submitted, submitted_at__isnull=True).count(),
        undecided=counts["undecided"],
    )


def _publish(campaign: Campaign, user, today, channel: str) -> int:
    """Each decision becomes the cluster's certification for the phase (created or replaced), audited."""
    written = 0
    for candidacy in campaign.candidacies.filter(state=CandidacyState.DECIDED).select_related("cluster"):
        values = {"decision_date": today, "duration_years": candidacy.duration_years,
                  "conditions": candidacy.conditions.strip(),
                  "outcome": register_outcome(candidacy.outcome, candidacy.conditions)}
        row = Certification.objects.filter(cluster=candidacy.cluster, phase=campaign.phase).first()
        before = audit.snapshot(row) if row else {}
        if row is None:
            row = Certification.objects.create(cluster=candidacy.cluster, phase=campaign.phase, **values)
        else:
            Certification.objects.filter(pk=row.pk).update(**values)
            row.refresh_from_db()
        audit.record(user, "update" if before else "create", row, audit.diff(before, audit.snapshot(row)), channel)
        written += 1
    return written


@transaction.atomic
def transition_campaign(campaign: Campaign, action: str, user, *, channel: str = "page") -> Campaign:
    """Run `action` on the campaign for `user`, or raise `Refused` with every reason."""
    row = Campaign.objects.select_for_update().select_related("phase").get(pk=campaign.pk)
    now = server_time()

    def effects(step: Transition) -> dict[str, Any]:
        if action == "open":
            existing = set(row.candidacies.values_list("cluster_id", flat=True))
            new = [Candidacy(campaign=row, cluster_id=pk) for pk in
                   Cluster.objects.filter(status=Cluster.Status.ACTIVE).values_list("pk", flat=True)
                   if pk not in existing]
            Candidacy.objects.bulk_create(new)
            return {"candidacies": [len(existing), len(existing) + len(new)]}
        if action == "publish":
            row.published_on = timezone.localdate(now)
            return {"certifications": [None, _publish(row, user, row.published_on, channel)]}
        return {}

    def tell(step: Transition, old: str) -> None:
        what = (f"La campagne « {row.title} »", f"The campaign “{row.title}”")
        notify.send(CAMPAIGN, row, step, old, notify.recipients(row, step), what)

    perform(CAMPAIGN, row, action, user, actors=campaign_actors(user), facts=campaign_facts(row), now=now,
            effects=effects, notify=tell, channel=channel, save_fields=["published_on"])
    campaign.state, campaign.published_on = row.state, row.published_on
    return row


def save_candidacy(user, candidacy: Candidacy, *, statements: Mapping[str, str], evidence: str,
                   channel: str = "page") -> Candidacy:
    """The managers' draft: a statement per criterion of the grid and the evidence (links, documents)."""
    check(can_edit_candidacy(user, candidacy))
    keys = {c.key for c in grid_of(candidacy.campaign).criteria}
    before = audit.snapshot(candidacy, ["statements", "evidence"])
    candidacy.statements = {k: str(v).strip() for k, v in statements.items() if k in keys}
    candidacy.evidence = evidence.strip()
    candidacy.save(update_fields=["statements", "evidence"])
    changes = audit.diff(before, audit.snapshot(candidacy, ["statements", "evidence"]))
    if changes:
        audit.record(user, "update", candidacy, changes, channel)
    return candidacy


def candidacy_facts(candidacy: Candidacy, *, decision: tuple[str, int | None, str] | None = None) -> CandidacyFacts:
    """What an application's preconditions read."""
    counts = candidacy.evaluations.aggregate(n=Count("pk"), done=Count("pk", filter=Q(submitted_at__isnull=False)))
    return CandidacyFacts(
        campaign_state=CampaignState(candidacy.campaign.state),
        statement_problems=tuple(statement_problems(grid_of(candidacy.campaign), candidacy.statements or {})),
        evaluations_assigned=counts["n"], evaluations_submitted=counts["done"],
        decision_problems=tuple(decision_problems(*decision)) if decision else (),
    )


@transaction.atomic
def submit(candidacy: Candidacy, user, *, channel: str = "page") -> Candidacy:
    """The managers submit the application: the indicators are frozen with it."""
    row = Candidacy.objects.select_for_update().select_related("campaign", "cluster").get(pk=candidacy.pk)
    now = server_time()

    def effects(step: Transition) -> dict[str, Any]:
        row.indicators = indicators_for(row.cluster)
        row.submitted_at, row.submitted_by = now, user
        return {"submitted_at": [None, now.isoformat()]}

    def tell(step: Transition, old: str) -> None:
        what = (f"La candidature de {row.cluster}", f"The application of {row.cluster}")
        notify.send(CANDIDACY, row.campaign, step, old, notify.recipients(row.campaign, step, row), what)

    perform(CANDIDACY, row, "submit", user, actors=candidacy_actors(user, row), facts=candidacy_facts(row), now=now,
            effects=effects, notify=tell, channel=channel,
            save_fields=["indicators", "submitted_at", "submitted_by"])
    candidacy.state = row.state
    return row


@transaction.atomic
def decide(candidacy: Candidacy, user, *, outcome: str, duration: int | None, conditions: str,
           channel: str = "page") -> Candidacy:
    """The national officer records the decision in deliberation (published with the campaign's decisions)."""
    row = Candidacy.objects.select_for_update().select_related("campaign", "cluster").get(pk=candidacy.pk)
    now = server_time()
    facts = candidacy_facts(row, decision=(outcome, duration, conditions))

    def effects(step: Transition) -> dict[str, Any]:
        before = audit.snapshot(row, ["outcome", "duration_years", "conditions"])
        row.outcome, row.duration_years, row.conditions = outcome, duration, conditions.strip()
        row.decided_at = now
        return audit.diff(before, audit.snapshot(row, ["outcome", "duration_years", "conditions"]))

    def tell(step: Transition, old: str) -> None:
        what = (f"La candidature de {row.cluster}", f"The application of {row.cluster}")
        notify.send(CANDIDACY, row.campaign, step, old, notify.recipients(row.campaign, step, row), what)

    perform(CANDIDACY, row, "decide", user, actors=candidacy_actors(user, row), facts=facts, now=now,
            effects=effects, notify=tell, channel=channel, unfiled=True,
            save_fields=["outcome", "duration_years", "conditions", "decided_at"])
    candidacy.state = row.state
    return row


def assign(user, candidacy: Candidacy, evaluator, *, channel: str = "page") -> Evaluation:
    """The national officer assigns an officer of a ministry or a region to evaluate an application."""
    check(can_manage_campaigns(user))
    if candidacy.campaign.state not in (CampaignState.OPEN, CampaignState.EVALUATION):
        raise Refused([Reason("On assigne les évaluateurs pendant les candidatures ou l’évaluation.",
                              "Evaluators are assigned while applications are open or in evaluation.")])
    if not evaluators().filter(pk=evaluator.pk).exists():
        raise Refused([Reason("Seul un agent national ou régional peut évaluer.",
                              "Only a national or regional officer may evaluate.")])
    row, created = Evaluation.objects.get_or_create(candidacy=candidacy, evaluator=evaluator,
                                                    defaults={"assigned_by": user})
    if created:
        audit.record(user, "create", row, {"candidacy": [None, candidacy.pk], "evaluator": [None, evaluator.pk]},
                     channel)
        what = (f"Vous évaluez la candidature de {candidacy.cluster}", f"You evaluate the application of {candidacy.cluster}")
        step = CANDIDACY.by_action["submit"]
        notify.send(CANDIDACY, candidacy.campaign, step, candidacy.state, [evaluator.pk], what)
    return row


def save_evaluation(user, evaluation: Evaluation, scores: Mapping[str, Any], comments: Mapping[str, str], *,
                    submit: bool = False, channel: str = "page") -> Evaluation:
    """The evaluator's scores and comments on the grid; submitting checks them and freezes the evaluation."""
    check(can_evaluate(user, evaluation))
    candidacy = Candidacy.objects.select_related("campaign").get(pk=evaluation.candidacy_id)
    if evaluation.submitted_at is not None:
        raise Refused([Reason("Cette évaluation est déjà remise.", "This evaluation is already submitted.")])
    if candidacy.campaign.state != CampaignState.EVALUATION or candidacy.state != CandidacyState.SUBMITTED:
        raise Refused([Reason("On évalue une candidature déposée, pendant la phase d’évaluation.",
                              "A submitted application is evaluated during the evaluation stage.")])
    grid = grid_of(candidacy.campaign)
    keys = {c.key for c in grid.criteria}
    evaluation.scores = {k: v for k, v in scores.items() if k in keys and v is not None}
    evaluation.comments = {k: str(v).strip() for k, v in comments.items() if k in keys and str(v).strip()}
    if submit:
        problems = check_review(grid, evaluation.scores, evaluation.comments)
        if problems:
            raise Refused(problems)
        evaluation.score = weighted_score(grid, evaluation.scores)
        evaluation.submitted_at = server_time()
    evaluation.save(update_fields=["scores", "comments", "score", "submitted_at"])
    audit.record(user, "update", evaluation, {"scores": [None, evaluation.scores], "comments": [None, evaluation.comments],
                                              "submitted": [None, submit]}, channel)
    return evaluation


def evaluator_name(user) -> str:
    """How an evaluator is shown to the programme officers."""
    return user.get_full_name() or user.username


def consolidation(candidacy: Candidacy) -> Consolidation:
    """Every submitted evaluation of the application side by side (for the programme officers)."""
    rows = candidacy.evaluations.filter(submitted_at__isnull=False).select_related("evaluator")
    return consolidate(grid_of(candidacy.campaign),
                       [Scored(evaluator_name(e.evaluator), e.scores, e.comments) for e in rows])
