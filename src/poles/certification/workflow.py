"""The certification campaign and each cluster's application, declared as two tables on the shared engine.

A campaign opens for applications, closes them for evaluation, goes to deliberation once every
evaluator has scored, and publishes its decisions as the clusters' certifications. A cluster's
application is written by its managers, submitted while the campaign is open, and decided by the
national officer during deliberation. Preconditions are pure functions of the facts the service
gathers at the moment of the action (`poles.certification.services`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from poles.core.reasons import Reason
from poles.core.workflow import Workflow, step


class Actor(enum.StrEnum):
    """Who may run a transition."""

    OFFICER = "officer"  # national programme officer or administrator
    MANAGER = "manager"  # a manager of the applying cluster


class Audience(enum.StrEnum):
    """Who is notified of a transition."""

    MANAGERS = "managers"  # the managers of the clusters concerned
    EVALUATORS = "evaluators"  # the evaluators assigned
    OFFICERS = "officers"  # national officers and administrators


class CampaignState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    EVALUATION = "evaluation"
    DELIBERATION = "deliberation"
    PUBLISHED = "published"


CAMPAIGN_LABELS: dict[CampaignState, tuple[str, str]] = {
    CampaignState.DRAFT: ("en préparation", "in preparation"),
    CampaignState.OPEN: ("candidatures ouvertes", "open for applications"),
    CampaignState.EVALUATION: ("en évaluation", "in evaluation"),
    CampaignState.DELIBERATION: ("en délibération", "in deliberation"),
    CampaignState.PUBLISHED: ("décisions publiées", "decisions published"),
}


@dataclass(frozen=True)
class CampaignFacts:
    """What the campaign's preconditions read."""

    grid_problems: tuple[Reason, ...] = ()
    clusters: int = 0
    submitted: int = 0
    unassigned: int = 0
    evaluations_missing: int = 0
    undecided: int = 0


def _grid_valid(facts: CampaignFacts) -> tuple[Reason, ...]:
    return facts.grid_problems


def _has_clusters(facts: CampaignFacts) -> tuple[Reason, ...]:
    if facts.clusters:
        return ()
    return (Reason("Aucun pôle actif ne peut candidater.", "No active cluster can apply."),)


def _some_submitted(facts: CampaignFacts) -> tuple[Reason, ...]:
    if facts.submitted:
        return ()
    return (Reason("Aucune candidature n’a été déposée.", "No application has been submitted."),)


def _evaluated(facts: CampaignFacts) -> tuple[Reason, ...]:
    problems = []
    if facts.unassigned:
        problems.append(Reason(f"{facts.unassigned} candidature(s) sans évaluateur.",
                               f"{facts.unassigned} application(s) without an evaluator."))
    if facts.evaluations_missing:
        problems.append(Reason(f"{facts.evaluations_missing} évaluation(s) non remise(s).",
                               f"{facts.evaluations_missing} evaluation(s) not submitted."))
    return tuple(problems)


def _all_decided(facts: CampaignFacts) -> tuple[Reason, ...]:
    if not facts.undecided:
        return ()
    return (Reason(f"{facts.undecided} candidature(s) sans décision.", f"{facts.undecided} application(s) without a decision."),)


OFF, MGR = Actor.OFFICER, Actor.MANAGER
C = CampaignState

CAMPAIGN: Workflow[CampaignState, CampaignFacts] = Workflow(
    states=CampaignState, labels=CAMPAIGN_LABELS, initial=C.DRAFT, finals=[C.PUBLISHED],
    transitions=[
        step("open", [C.DRAFT], C.OPEN, [OFF], ("grid_valid", "has_clusters"),
             "ouvrir les candidatures", "open for applications", [Audience.MANAGERS]),
        step("close_applications", [C.OPEN], C.EVALUATION, [OFF], ("some_submitted",),
             "clore les candidatures", "close applications", [Audience.MANAGERS, Audience.EVALUATORS]),
        step("reopen", [C.EVALUATION], C.OPEN, [OFF], (),
             "rouvrir les candidatures", "reopen applications", [Audience.MANAGERS]),
        step("deliberate", [C.EVALUATION], C.DELIBERATION, [OFF], ("evaluated",),
             "passer en délibération", "start deliberation", [Audience.OFFICERS]),
        step("publish", [C.DELIBERATION], C.PUBLISHED, [OFF], ("all_decided",),
             "publier les décisions", "publish the decisions",
             [Audience.MANAGERS, Audience.EVALUATORS, Audience.OFFICERS]),
    ],
    preconditions={
        "grid_valid": (_grid_valid, Reason("la grille de critères est valide", "the criteria grid is valid")),
        "has_clusters": (_has_clusters, Reason("au moins un pôle actif", "at least one active cluster")),
        "some_submitted": (_some_submitted, Reason("au moins une candidature déposée",
                                                   "at least one application submitted")),
        "evaluated": (_evaluated, Reason("chaque candidature a ses évaluateurs et toutes les évaluations sont remises",
                                         "every application has evaluators and every evaluation is in")),
        "all_decided": (_all_decided, Reason("chaque candidature déposée a sa décision",
                                             "every submitted application has its decision")),
    },
    noun=Reason("une campagne", "a campaign"), this=Reason("cette campagne", "this campaign"),
)


class CandidacyState(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    DECIDED = "decided"


CANDIDACY_LABELS: dict[CandidacyState, tuple[str, str]] = {
    CandidacyState.DRAFT: ("brouillon", "draft"),
    CandidacyState.SUBMITTED: ("déposée", "submitted"),
    CandidacyState.DECIDED: ("décidée", "decided"),
}


@dataclass(frozen=True)
class CandidacyFacts:
    """What an application's preconditions read."""

    campaign_state: CampaignState = CampaignState.DRAFT
    statement_problems: tuple[Reason, ...] = ()
    evaluations_submitted: int = 0
    evaluations_assigned: int = 0
    decision_problems: tuple[Reason, ...] = ()


def _campaign_open(facts: CandidacyFacts) -> tuple[Reason, ...]:
    if facts.campaign_state == CampaignState.OPEN:
        return ()
    return (Reason("La campagne n’est pas ouverte aux candidatures.", "The campaign is not open for applications."),)


def _statements(facts: CandidacyFacts) -> tuple[Reason, ...]:
    return facts.statement_problems


def _deliberating(facts: CandidacyFacts) -> tuple[Reason, ...]:
    if facts.campaign_state == CampaignState.DELIBERATION:
        return ()
    return (Reason("Les décisions se prennent en délibération.", "Decisions are taken in deliberation."),)


def _evaluations_in(facts: CandidacyFacts) -> tuple[Reason, ...]:
    if facts.evaluations_assigned and facts.evaluations_submitted == facts.evaluations_assigned:
        return ()
    return (Reason(f"{facts.evaluations_submitted} évaluation(s) remise(s) sur {facts.evaluations_assigned}.",
                   f"{facts.evaluations_submitted} of {facts.evaluations_assigned} evaluations submitted."),)


def _decision_valid(facts: CandidacyFacts) -> tuple[Reason, ...]:
    return facts.decision_problems


D = CandidacyState
CANDIDACY: Workflow[CandidacyState, CandidacyFacts] = Workflow(
    states=CandidacyState, labels=CANDIDACY_LABELS, initial=D.DRAFT, finals=[D.DECIDED],
    transitions=[
        step("submit", [D.DRAFT], D.SUBMITTED, [MGR], ("campaign_open", "statements_complete"),
             "déposer la candidature", "submit the application", [Audience.MANAGERS, Audience.OFFICERS]),
        step("decide", [D.SUBMITTED, D.DECIDED], D.DECIDED, [OFF], ("deliberating", "evaluations_in", "decision_valid"),
             "enregistrer la décision", "record the decision", [Audience.OFFICERS]),
    ],
    preconditions={
        "campaign_open": (_campaign_open, Reason("la campagne est ouverte", "the campaign is open")),
        "statements_complete": (_statements, Reason("chaque critère a sa présentation",
                                                    "every criterion has its statement")),
        "deliberating": (_deliberating, Reason("la campagne est en délibération", "the campaign is in deliberation")),
        "evaluations_in": (_evaluations_in, Reason("toutes les évaluations sont remises", "every evaluation is in")),
        "decision_valid": (_decision_valid, Reason("la décision est complète", "the decision is complete")),
    },
    noun=Reason("une candidature", "an application"), this=Reason("cette candidature", "this application"),
)
