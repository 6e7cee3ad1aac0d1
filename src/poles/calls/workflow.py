"""The life of an application, declared as ONE table: states, transitions, who, preconditions.

`TRANSITIONS` is the only place the workflow is stated, on the shared engine (`poles.core.workflow`,
also used by the certification campaigns). The transition service
(`poles.calls.transitions.transition`) reads it to decide what a user may do, `refusals` says why an
action is refused, `mermaid` draws it for the docs and the pages. Preconditions are pure
functions of `Facts`, gathered by the service from the database at the moment of the action
(server time, latest submission, submitted reviews, labels).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from poles.calls.reasons import Reason
from poles.core.workflow import Transition, Workflow, step


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    LABELLED = "labelled"
    IN_REVIEW = "in_review"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    AGREEMENT_SIGNED = "agreement_signed"
    RUNNING = "running"
    FINAL_REPORT_ACCEPTED = "final_report_accepted"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


STATE_LABELS: dict[State, tuple[str, str]] = {
    State.DRAFT: ("brouillon", "draft"),
    State.SUBMITTED: ("déposé", "submitted"),
    State.ELIGIBLE: ("éligible", "eligible"),
    State.INELIGIBLE: ("inéligible", "ineligible"),
    State.LABELLED: ("labellisé", "labelled"),
    State.IN_REVIEW: ("en expertise", "in review"),
    State.SHORTLISTED: ("présélectionné", "shortlisted"),
    State.SELECTED: ("retenu", "selected"),
    State.WAITLISTED: ("liste d’attente", "waitlisted"),
    State.REJECTED: ("non retenu", "rejected"),
    State.AGREEMENT_SIGNED: ("convention signée", "agreement signed"),
    State.RUNNING: ("en cours", "running"),
    State.FINAL_REPORT_ACCEPTED: ("rapport final accepté", "final report accepted"),
    State.CLOSED: ("clos", "closed"),
    State.WITHDRAWN: ("retiré", "withdrawn"),
}


class Actor(enum.StrEnum):
    """Who may run a transition, relative to the application."""

    COORDINATOR = "coordinator"  # the file's creator or a representative of the coordinating organisation
    OFFICER = "officer"  # national programme officer or administrator
    CLUSTER_MANAGER = "cluster_manager"  # a manager of a cluster the file asked for a label


class Audience(enum.StrEnum):
    """Who is notified of a transition."""

    CONSORTIUM = "consortium"
    OFFICERS = "officers"
    LABELLING_CLUSTERS = "labelling_clusters"


@dataclass(frozen=True)
class Facts:
    """What the preconditions read, gathered at the moment of the action."""

    now: dt.datetime
    round_open: bool = False
    closed_reason: Reason | None = None
    eligibility_failures: tuple[Reason, ...] = ()
    form_problems: tuple[Reason, ...] = ()
    labelling_required: bool = False
    labelled_clusters: int = 0
    reviews_submitted: int = 0
    reviews_required: int = 1
    decided_aid: bool = False
    reason_given: bool = False


Precondition = Callable[[Facts], tuple[Reason, ...]]


def _round_open(facts: Facts) -> tuple[Reason, ...]:
    if facts.round_open:
        return ()
    return (facts.closed_reason or Reason("L’appel n’est pas ouvert.", "The call is not open."),)


def _rules_pass(facts: Facts) -> tuple[Reason, ...]:
    return facts.eligibility_failures


def _form_complete(facts: Facts) -> tuple[Reason, ...]:
    return facts.form_problems


def _labelled(facts: Facts) -> tuple[Reason, ...]:
    if facts.labelled_clusters >= 1:
        return ()
    return (Reason("Aucun pôle n’a encore labellisé le projet.", "No cluster has labelled the project yet."),)


def _labelled_if_required(facts: Facts) -> tuple[Reason, ...]:
    return _labelled(facts) if facts.labelling_required else ()


def _reviews_complete(facts: Facts) -> tuple[Reason, ...]:
    if facts.reviews_submitted == 0:
        return (Reason("Le dossier n’a jamais été expertisé : aucune expertise remise.",
                       "The file was never reviewed: no review has been submitted."),)
    if facts.reviews_submitted < facts.reviews_required:
        return (Reason(
            f"{facts.reviews_submitted} expertise(s) remise(s) sur les {facts.reviews_required} requises.",
            f"{facts.reviews_submitted} of the {facts.reviews_required} required reviews submitted.",
        ),)
    return ()


def _decided_aid(facts: Facts) -> tuple[Reason, ...]:
    if facts.decided_aid:
        return ()
    return (Reason("La décision ne fixe pas encore l’aide accordée.", "The decision does not set the aid awarded yet."),)


def _reason_given(facts: Facts) -> tuple[Reason, ...]:
    if facts.reason_given:
        return ()
    return (Reason("Cette décision doit être motivée.", "This decision needs a reason."),)


PRECONDITIONS: dict[str, tuple[Precondition, Reason]] = {
    "round_open": (_round_open, Reason("une relève est ouverte (heure du serveur)", "a round is open (server time)")),
    "rules_pass": (_rules_pass, Reason("toutes les règles d’éligibilité sont respectées",
                                       "every eligibility rule holds")),
    "form_complete": (_form_complete, Reason("le formulaire est complet", "the form is complete")),
    "labelled": (_labelled, Reason("au moins un pôle a labellisé le projet", "at least one cluster labelled it")),
    "labelled_if_required": (_labelled_if_required, Reason("labellisé si l’appel l’exige",
                                                           "labelled when the call requires it")),
    "reviews_complete": (_reviews_complete, Reason("toutes les expertises sont remises", "every review is in")),
    "decided_aid": (_decided_aid, Reason("l’aide accordée est fixée", "the aid awarded is set")),
    "reason_given": (_reason_given, Reason("la décision est motivée", "the decision gives a reason")),
}


def _t(action: str, sources: Iterable[State], target: State, actors: Iterable[Actor],
       preconditions: tuple[str, ...], fr: str, en: str, notify: Iterable[Audience] = (Audience.CONSORTIUM,)) -> Transition:
    return step(action, sources, target, actors, preconditions, fr, en, notify)


BEFORE_DECISION = (State.DRAFT, State.SUBMITTED, State.ELIGIBLE, State.LABELLED, State.IN_REVIEW, State.SHORTLISTED)
REVIEWED = (State.IN_REVIEW, State.SHORTLISTED)
OFF, COORD, MGR = Actor.OFFICER, Actor.COORDINATOR, Actor.CLUSTER_MANAGER

TRANSITIONS: tuple[Transition, ...] = (
    _t("submit", [State.DRAFT], State.SUBMITTED, [COORD], ("round_open", "form_complete", "rules_pass"),
       "déposer", "submit", [Audience.CONSORTIUM, Audience.OFFICERS, Audience.LABELLING_CLUSTERS]),
    _t("resubmit", [State.SUBMITTED], State.SUBMITTED, [COORD], ("round_open", "form_complete", "rules_pass"),
       "déposer une nouvelle version", "submit a new version", [Audience.CONSORTIUM, Audience.OFFICERS]),
    _t("declare_eligible", [State.SUBMITTED], State.ELIGIBLE, [OFF], ("rules_pass",),
       "déclarer éligible", "declare eligible"),
    _t("declare_ineligible", [State.SUBMITTED], State.INELIGIBLE, [OFF], ("reason_given",),
       "déclarer inéligible", "declare ineligible"),
    _t("label", [State.ELIGIBLE], State.LABELLED, [MGR, OFF], ("labelled",), "labelliser", "label"),
    _t("start_review", [State.ELIGIBLE, State.LABELLED], State.IN_REVIEW, [OFF], ("labelled_if_required",),
       "mettre en expertise", "start review"),
    _t("shortlist", [State.IN_REVIEW], State.SHORTLISTED, [OFF], ("reviews_complete",),
       "présélectionner", "shortlist"),
    _t("select", [*REVIEWED, State.WAITLISTED], State.SELECTED, [OFF], ("reviews_complete",),
       "retenir", "select"),
    _t("waitlist", REVIEWED, State.WAITLISTED, [OFF], ("reviews_complete",),
       "mettre en liste d’attente", "waitlist"),
    _t("reject", [*REVIEWED, State.WAITLISTED], State.REJECTED, [OFF], ("reviews_complete", "reason_given"),
       "ne pas retenir", "reject"),
    _t("sign_agreement", [State.SELECTED], State.AGREEMENT_SIGNED, [OFF], ("decided_aid",),
       "signer la convention", "sign the agreement"),
    _t("start", [State.AGREEMENT_SIGNED], State.RUNNING, [OFF], (), "démarrer", "start"),
    _t("accept_final_report", [State.RUNNING], State.FINAL_REPORT_ACCEPTED, [OFF], (),
       "accepter le rapport final", "accept the final report"),
    _t("close", [State.FINAL_REPORT_ACCEPTED], State.CLOSED, [OFF], (), "clore", "close"),
    _t("withdraw", BEFORE_DECISION, State.WITHDRAWN, [COORD], (), "retirer", "withdraw",
       [Audience.CONSORTIUM, Audience.OFFICERS]),
)

WORKFLOW: Workflow[State, Facts] = Workflow(
    states=State, labels=STATE_LABELS, initial=State.DRAFT, finals=[State.CLOSED], transitions=TRANSITIONS,
    preconditions=PRECONDITIONS, noun=Reason("un dossier", "a file"), this=Reason("ce dossier", "this file"))
BY_ACTION: dict[str, Transition] = WORKFLOW.by_action
DECIDED = frozenset({State.SELECTED, State.WAITLISTED, State.REJECTED, State.INELIGIBLE})


def available(state: State, actors: Iterable[Actor]) -> list[Transition]:
    """The transitions these actors may try from `state` (preconditions aside)."""
    return WORKFLOW.available(state, actors)


def refusals(state: State, action: str, actors: Iterable[Actor], facts: Facts) -> list[Reason]:
    """Why `action` may not run now (empty when it may): unknown action, wrong state, wrong actor, unmet conditions."""
    return WORKFLOW.refusals(state, action, actors, facts)


def mermaid() -> str:
    """The workflow as a Mermaid state diagram (docs, pages): one arrow per source of each transition."""
    return WORKFLOW.mermaid()


def table() -> list[dict[str, str]]:
    """The workflow as rows (action, from, to, who, conditions) for the docs and the pages."""
    return WORKFLOW.table("en")
