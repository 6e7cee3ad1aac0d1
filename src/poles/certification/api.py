"""The certification campaigns' API (/api/v1/certification, added by `poles.certification.apps`):
a campaign with its criteria grid and applications, an application with its statements, evidence files and indicators, evaluations (scores to their evaluator and the
programme officers only), the consolidation and the decisions (their public part to everyone once
published, as on the cluster profile; the conditions to whom reads them there).

Every read asks `poles.certification.permissions`; every write goes through
`poles.certification.services`, the pages' own functions (`channel="api"`): the same rules, audit
entries and notifications. A refused action is a problem document with every reason in the
caller's language (French first): 403 when the caller is no actor of it, 409 when it may not run now.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile

from poles.access.fieldlevels import fields_at
from poles.access.permissions import level_for
from poles.api.caller import who
from poles.api.problems import Problem
from poles.calls.reasons import CallDataError
from poles.certification import files, services
from poles.certification.indicators import indicators_for, shown
from poles.certification.models import Campaign, Candidacy, Evaluation
from poles.certification.permissions import (
    can_edit_candidacy,
    can_manage_campaigns,
    can_view_candidacy,
    candidacy_actors,
    check,
    evaluators,
    visible_campaigns,
    visible_candidacies,
    visible_evaluations,
)
from poles.certification.workflow import CAMPAIGN, CANDIDACY, Actor
from poles.core.transitions import Refused
from poles.registry.models import Certification

router = Router(tags=["certification"])


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def refused_problem(refusal: Refused) -> Problem:
    """A refused action: 403 when the caller is no actor of it, else 409; every reason in both languages."""
    return Problem(403 if refusal.forbidden else 409, refusal.text(_language()),
                   reasons=[r.as_dict() for r in refusal.reasons])


class CriterionOut(Schema):
    key: str
    label: str
    weight: Decimal
    low: int
    high: int
    comment_below: int | None


class CampaignOut(Schema):
    id: int
    title: str
    phase: str
    state: str
    state_label: str
    applications_close: dt.date | None
    published_on: dt.date | None


class StepOut(Schema):
    action: str
    label: str
    refusals: list[str] = Field(..., description="Why it may not run now (empty when it may).")


class CandidacyRowOut(Schema):
    id: int
    cluster: int
    cluster_name: str
    state: str
    state_label: str
    submitted_at: dt.datetime | None


class CampaignDetailOut(CampaignOut):
    criteria: list[CriterionOut]
    steps: list[StepOut] = Field(..., description="The campaign's next steps (programme officers).")
    applications: list[CandidacyRowOut] = Field(..., description="The applications the caller may open.")


def campaign_row(c: Campaign) -> dict[str, Any]:
    return {"id": c.pk, "title": c.title, "phase": c.phase.code, "state": c.state,
            "state_label": CAMPAIGN.label(c.state, _language()), "applications_close": c.applications_close,
            "published_on": c.published_on}


def _criteria(campaign: Campaign) -> list[dict[str, Any]]:
    try:
        grid = services.grid_of(campaign)
    except CallDataError:
        return []
    english = _language() == "en"
    return [{"key": c.key, "label": c.label_en if english else c.label_fr, "weight": c.weight, "low": c.low,
             "high": c.high, "comment_below": c.comment_below} for c in grid.criteria]


def _campaign(request, campaign_id: int) -> Campaign:
    campaign = visible_campaigns(who(request)).select_related("phase").filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404(_("No campaign with this number."))
    return campaign


def _officer_campaign(request, campaign_id: int) -> Campaign:
    check(can_manage_campaigns(who(request)))
    return _campaign(request, campaign_id)


@router.get("/campaigns", response=list[CampaignOut], summary="Certification campaigns")
def certification_list_campaigns(request):
    """The programme officers: every campaign; others: those where their cluster applies or they evaluate."""
    return [campaign_row(c) for c in visible_campaigns(who(request)).select_related("phase")]


@router.get("/campaigns/{int:campaign_id}", response=CampaignDetailOut,
            summary="A campaign with its criteria grid and the applications the caller may open")
def certification_get_campaign(request, campaign_id: int):
    user = who(request)
    campaign = _campaign(request, campaign_id)
    language = _language()
    steps = []
    if can_manage_campaigns(user)[0]:
        facts = services.campaign_facts(campaign)
        steps = [{"action": t.action, "label": t.label[1 if language == "en" else 0],
                  "refusals": [r.text(language) for r in CAMPAIGN.refusals(campaign.state, t.action,
                                                                             {Actor.OFFICER}, facts)]}
                 for t in CAMPAIGN.available(campaign.state, {Actor.OFFICER})]
    rows = visible_candidacies(user, campaign.candidacies.select_related("cluster"))
    return {**campaign_row(campaign), "criteria": _criteria(campaign), "steps": steps, "applications": [
        {"id": c.pk, "cluster": c.cluster_id, "cluster_name": c.cluster.name, "state": c.state,
         "state_label": CANDIDACY.label(c.state, language), "submitted_at": c.submitted_at} for c in rows]}


class CampaignTransitionIn(Schema):
    action: str = Field(..., max_length=40, description="open, close_applications, reopen, deliberate or publish.")


@router.post("/campaigns/{int:campaign_id}/transitions", response=CampaignOut, summary="Move a campaign on")
def certification_transition_campaign(request, campaign_id: int, payload: CampaignTransitionIn):
    """The programme officers; 422 for an unknown action, 409 with every reason when it may not run now."""
    campaign = _officer_campaign(request, campaign_id)
    if payload.action not in CAMPAIGN.by_action:
        raise Problem(422, _("action: unknown action “%(action)s”; expected one of %(actions)s.")
                      % {"action": payload.action, "actions": ", ".join(sorted(CAMPAIGN.by_action))})
    try:
        services.transition_campaign(campaign, payload.action, who(request), channel="api")
    except Refused as refusal:
        raise refused_problem(refusal) from refusal
    return campaign_row(_campaign(request, campaign_id))


# --- applications ----------------------------------------------------------------------------------

class FileOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    uploaded_at: dt.datetime
    url: str = Field(..., description="Download through the permission layer.")


class EvaluationOut(Schema):
    id: int
    evaluator: str
    scores: dict[str, Any]
    comments: dict[str, str]
    score: Decimal | None
    submitted_at: dt.datetime | None


class DecisionOut(Schema):
    outcome: str
    outcome_label: str
    duration_years: int | None
    conditions: str | None = Field(None, description="To whom reads a certification's conditions on the profile.")
    decided_at: dt.datetime | None = None
    published_on: dt.date | None = None


class CandidacyOut(Schema):
    id: int
    campaign: int
    cluster: int
    cluster_name: str
    state: str
    state_label: str
    statements: dict[str, str]
    evidence: str
    files: list[FileOut]
    indicators: list[dict[str, Any]]
    submitted_at: dt.datetime | None
    editable: bool
    submit_refusals: list[str] = Field(..., description="Why the managers may not submit now (managers only).")
    evaluations: list[EvaluationOut] = Field(..., description="The programme officers: all; an evaluator: their own.")
    decision: DecisionOut | None


def _candidacy(request, candidacy_id: int) -> Candidacy:
    row = Candidacy.objects.select_related("campaign__phase", "cluster").filter(pk=candidacy_id).first()
    if row is None or not can_view_candidacy(who(request), row)[0]:
        raise Http404(_("No application with this number."))
    return row


def _conditions_readable(user, candidacy: Candidacy) -> bool:
    return "conditions" in fields_at(Certification, level_for(user, candidacy.cluster))


def decision_row(user, candidacy: Candidacy, *, officer: bool) -> dict[str, Any] | None:
    """The decision: to the programme officers once recorded; to others only once the campaign has
    published it, with the conditions to whom reads them on the cluster's profile."""
    published = candidacy.campaign.state == "published" and candidacy.state == "decided"
    if not (officer and candidacy.outcome) and not published:
        return None
    return {"outcome": candidacy.outcome, "outcome_label": str(candidacy.get_outcome_display()),
            "duration_years": candidacy.duration_years,
            "conditions": candidacy.conditions if officer or _conditions_readable(user, candidacy) else None,
            "decided_at": candidacy.decided_at if officer else None,
            "published_on": candidacy.campaign.published_on if published else None}


def candidacy_row(user, row: Candidacy) -> dict[str, Any]:
    language = _language()
    officer = can_manage_campaigns(user)[0]
    may_submit = Actor.MANAGER in candidacy_actors(user, row) and row.state == "draft"
    facts = services.candidacy_facts(row) if may_submit else None
    return {
        "id": row.pk, "campaign": row.campaign_id, "cluster": row.cluster_id, "cluster_name": row.cluster.name,
        "state": row.state, "state_label": CANDIDACY.label(row.state, language), "statements": row.statements or {},
        "evidence": row.evidence,
        "files": [files.describe(f) for f in row.files.all()],
        "indicators": shown(row.indicators if row.state != "draft" else indicators_for(row.cluster), language),
        "submitted_at": row.submitted_at, "editable": can_edit_candidacy(user, row)[0],
        "submit_refusals": [r.text(language) for r in CANDIDACY.refusals(row.state, "submit", {Actor.MANAGER}, facts)]
        if facts else [],
        "evaluations": [{"id": e.pk, "evaluator": services.evaluator_name(e.evaluator), "scores": e.scores,
                         "comments": e.comments, "score": e.score, "submitted_at": e.submitted_at}
                        for e in visible_evaluations(user, row).select_related("evaluator")],
        "decision": decision_row(user, row, officer=officer),
    }


@router.get("/applications/{int:candidacy_id}", response=CandidacyOut, summary="An application")
def certification_get_application(request, candidacy_id: int):
    """The applying cluster's managers, its assigned evaluators and the programme officers; 404 for others."""
    return candidacy_row(who(request), _candidacy(request, candidacy_id))


class CandidacyPatch(Schema):
    statements: dict[str, str] | None = Field(None, description="A statement per criterion key of the grid.")
    evidence: str | None = Field(None, max_length=20000, description="Links and references (files: upload them).")


@router.patch("/applications/{int:candidacy_id}", response=CandidacyOut, summary="Write the application (its managers)")
def certification_update_application(request, candidacy_id: int, payload: CandidacyPatch):
    """Only as a draft while the campaign is open."""
    user = who(request)
    row = _candidacy(request, candidacy_id)
    check(can_edit_candidacy(user, row))
    statements = {**(row.statements or {}), **(payload.statements or {})}
    services.save_candidacy(user, row, statements=statements,
                            evidence=row.evidence if payload.evidence is None else payload.evidence, channel="api")
    return candidacy_row(user, _candidacy(request, candidacy_id))


@router.post("/applications/{int:candidacy_id}/submit", response=CandidacyOut, summary="Submit the application")
def certification_submit_application(request, candidacy_id: int):
    """The managers; 409 with every reason (campaign not open, a criterion without its statement)."""
    user = who(request)
    row = _candidacy(request, candidacy_id)
    try:
        services.submit(row, user, channel="api")
    except Refused as refusal:
        raise refused_problem(refusal) from refusal
    return candidacy_row(user, _candidacy(request, candidacy_id))


class AssignIn(Schema):
    evaluator: int = Field(..., description="The user id of a national or regional officer.")


@router.post("/applications/{int:candidacy_id}/evaluators", response={201: EvaluationOut},
             summary="Assign an evaluator to an application (programme officers)")
def certification_assign_evaluator(request, candidacy_id: int, payload: AssignIn):
    user = who(request)
    check(can_manage_campaigns(user))
    row = _candidacy(request, candidacy_id)
    evaluator = evaluators().filter(pk=payload.evaluator).first() or get_user_model().objects.filter(
        pk=payload.evaluator).first()
    if evaluator is None:
        raise Problem(422, _("evaluator: no user %(id)s") % {"id": payload.evaluator})
    try:
        evaluation = services.assign(user, row, evaluator, channel="api")
    except Refused as refusal:
        raise refused_problem(refusal) from refusal
    return Status(201, {"id": evaluation.pk, "evaluator": services.evaluator_name(evaluator), "scores": evaluation.scores,
                 "comments": evaluation.comments, "score": evaluation.score, "submitted_at": evaluation.submitted_at})


class DecisionIn(Schema):
    outcome: str = Field(..., pattern="^(certified|not_certified)$")
    duration: int | None = Field(None, description="4, 2 or 1 years for a certification.")
    conditions: str = Field("", max_length=5000)


@router.post("/applications/{int:candidacy_id}/decision", response=CandidacyOut,
             summary="Record the decision on an application (programme officers, in deliberation)")
def certification_decide_application(request, candidacy_id: int, payload: DecisionIn):
    user = who(request)
    check(can_manage_campaigns(user))
    row = _candidacy(request, candidacy_id)
    try:
        services.decide(row, user, outcome=payload.outcome, duration=payload.duration, conditions=payload.conditions,
                        channel="api")
    except Refused as refusal:
        raise refused_problem(refusal) from refusal
    return candidacy_row(user, _candidacy(request, candidacy_id))


@router.get("/applications/{int:candidacy_id}/files/{int:file_id}", summary="Download an evidence file",
            openapi_extra={"responses": {200: {"content": {"application/octet-stream": {}}}}})
def certification_get_application_file(request, candidacy_id: int, file_id: int):
    """The applying cluster's managers, the programme officers and the assigned evaluators; 404 for others."""
    row = files.readable_file(who(request), _candidacy(request, candidacy_id), file_id)
    if row is None:
        raise Http404(_("No such file on this application."))
    return files.download(row)


@router.post("/applications/{int:candidacy_id}/files", response={201: FileOut}, summary="Attach an evidence file")
def certification_add_application_file(request, candidacy_id: int, file: File[UploadedFile]):
    """multipart/form-data with `file`: the managers, on the draft while the campaign is open; 409 with
    the reasons for a file of another kind, too large, or one too many."""
    row = _candidacy(request, candidacy_id)
    try:
        saved = files.add_file(who(request), row, file, channel="api")
    except Refused as refusal:
        raise refused_problem(refusal) from refusal
    return Status(201, files.describe(saved))


@router.delete("/applications/{int:candidacy_id}/files/{int:file_id}", response={204: None},
               summary="Remove an evidence file")
def certification_remove_application_file(request, candidacy_id: int, file_id: int):
    row = files.readable_file(who(request), _candidacy(request, candidacy_id), file_id)
    if row is None:
        raise Http404(_("No such file on this application."))
    files.remove_file(who(request), row, channel="api")
    return Status(204, None)


# --- evaluations -------------------------------------------------------------------------------------

class EvaluationIn(Schema):
    scores: dict[str, int | None] = Field(default_factory=dict)
    comments: dict[str, str] = Field(default_factory=dict)
    submit: bool = Field(False, description="Submit: checks the scores and freezes the evaluation.")


def _evaluation(request, evaluation_id: int) -> Evaluation:
    """An evaluation the caller may read (its evaluator; the programme officers), else 404."""
    row = Evaluation.objects.select_related("candidacy__campaign", "evaluator").filter(pk=evaluation_id).first()
    if row is None or not visible_evaluations(who(request), row.candidacy).filter(pk=row.pk).exists():
        raise Http404(_("No evaluation with this number."))
    return row


@router.get("/evaluations/{int:evaluation_id}", response=EvaluationOut, summary="An evaluation (its evaluator, the officers)")
def certification_get_evaluation(request, evaluation_id: int):
    e = _evaluation(request, evaluation_id)
    return {"id": e.pk, "evaluator": services.evaluator_name(e.evaluator), "scores": e.scores, "comments": e.comments,
            "score": e.score, "submitted_at": e.submitted_at}


@router.put("/evaluations/{int:evaluation_id}", response=EvaluationOut, summary="Score an application (its evaluator)")
def certification_save_evaluation(request, evaluation_id: int, payload: EvaluationIn):
    """Only the assigned evaluator, during the evaluation stage; 409 with every reason when refused."""
    user = who(request)
    e = _evaluation(request, evaluation_id)
    try:
        services.save_evaluation(user, e, payload.scores, payload.comments, submit=payload.submit, channel="api")
    except Refused as refusal:
        raise refused_problem(refusal) from refusal
    return certification_get_evaluation(request, evaluation_id)


# --- consolidation and decisions ---------------------------------------------------------------------

class ConsolidatedOut(Schema):
    application: int
    cluster: str
    evaluators: list[str]
    criteria: list[dict[str, Any]]
    totals: list[Decimal]
    mean: Decimal | None
    spread: Decimal | None


@router.get("/campaigns/{int:campaign_id}/consolidation", response=list[ConsolidatedOut],
            summary="Every evaluator's scores side by side (programme officers)")
def certification_campaign_consolidation(request, campaign_id: int):
    campaign = _officer_campaign(request, campaign_id)
    english = _language() == "en"
    out = []
    for c in campaign.candidacies.filter(state__in=services.SUBMITTED).select_related("cluster", "campaign"):
        k = services.consolidation(c)
        out.append({"application": c.pk, "cluster": c.cluster.name, "evaluators": list(k.evaluators),
                    "criteria": [{"key": r.key, "label": r.label_en if english else r.label_fr, "weight": r.weight,
                                  "scores": list(r.scores), "comments": list(r.comments), "mean": r.mean,
                                  "spread": r.spread} for r in k.rows],
                    "totals": list(k.totals), "mean": k.mean, "spread": k.spread})
    return out


class PublicDecisionOut(Schema):
    application: int
    cluster: int
    cluster_name: str
    phase: str
    outcome: str
    outcome_label: str
    duration_years: int | None
    conditions: str | None = Field(None, description="To whom reads a certification's conditions on the profile.")
    published_on: dt.date | None


@router.get("/campaigns/{int:campaign_id}/decisions", response=list[PublicDecisionOut],
            summary="A published campaign's decisions (public part to everyone, as on the cluster profile)")
def certification_campaign_decisions(request, campaign_id: int):
    """Everyone, once the campaign has published them (404 before); the conditions to the cluster's team
    and the programme officers, as on the cluster's profile."""
    user = who(request)
    campaign = Campaign.objects.select_related("phase").filter(pk=campaign_id, state="published").first()
    if campaign is None:
        raise Http404(_("No campaign with published decisions with this number."))
    return [{"application": c.pk, "cluster": c.cluster_id, "cluster_name": c.cluster.name,
             "phase": campaign.phase.code, "outcome": c.outcome, "outcome_label": str(c.get_outcome_display()),
             "duration_years": c.duration_years,
             "conditions": c.conditions if _conditions_readable(user, c) else None,
             "published_on": campaign.published_on}
            for c in campaign.candidacies.filter(state="decided").select_related("cluster", "campaign")]


