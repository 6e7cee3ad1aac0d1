"""The life of a yearly report, declared as ONE table on the shared engine (`poles.core.workflow`).

`REPORT` is the only place the survey's workflow is stated (draft → submitted → sent back →
submitted → validated): who may run each action, under which conditions, whom it tells. The
service (`poles.survey.services.transition`) runs it through the shared transition service
(`poles.core.transitions.perform`), exactly as the certification campaigns do; the engine says why
an action is refused and draws the table for the docs and the pages. Pure: no Django.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from poles.core.reasons import Reason
from poles.core.workflow import Workflow, step


class State(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SENT_BACK = "sent_back"
    VALIDATED = "validated"


STATE_LABELS: dict[State, tuple[str, str]] = {
    State.DRAFT: ("brouillon", "draft"),
    State.SUBMITTED: ("déposé", "submitted"),
    State.SENT_BACK: ("renvoyé pour correction", "sent back"),
    State.VALIDATED: ("validé", "validated"),
}


class Actor(enum.StrEnum):
    """Who may run a transition, relative to the report."""

    MANAGER = "manager"  # a manager of the report's cluster (or an administrator)
    OFFICER = "officer"  # a national officer, an administrator, a regional officer of one of the cluster's regions


class Audience(enum.StrEnum):
    """Who is notified of a transition."""

    MANAGERS = "managers"
    OFFICERS = "officers"


@dataclass(frozen=True)
class Facts:
    """What the preconditions read, gathered at the moment of the action."""

    survey_open: bool = True
    figure_problems: tuple[Reason, ...] = ()
    comment_given: bool = False


def _survey_open(facts: Facts) -> tuple[Reason, ...]:
    if facts.survey_open:
        return ()
    return (Reason("L’enquête de cette année est close.", "This year's survey is closed."),)


def _figures_valid(facts: Facts) -> tuple[Reason, ...]:
    return facts.figure_problems


def _comment_given(facts: Facts) -> tuple[Reason, ...]:
    if facts.comment_given:
        return ()
    return (Reason("Dites au pôle ce qu’il doit corriger (commentaire obligatoire).",
                   "Tell the cluster what to correct (a comment is required)."),)


S, MGR, OFF = State, Actor.MANAGER, Actor.OFFICER
REPORT: Workflow[State, Facts] = Workflow(
    states=State, labels=STATE_LABELS, initial=S.DRAFT, finals=[S.VALIDATED],
    transitions=[
        step("submit", [S.DRAFT, S.SENT_BACK], S.SUBMITTED, [MGR], ("survey_open", "figures_valid"),
             "déposer", "submit", [Audience.OFFICERS, Audience.MANAGERS]),
        step("send_back", [S.SUBMITTED], S.SENT_BACK, [OFF], ("comment_given",),
             "renvoyer pour correction", "send back", [Audience.MANAGERS]),
        step("validate", [S.SUBMITTED], S.VALIDATED, [OFF], (),
             "valider", "validate", [Audience.MANAGERS]),
    ],
    preconditions={
        "survey_open": (_survey_open, Reason("l’enquête est ouverte", "the survey is open")),
        "figures_valid": (_figures_valid, Reason("chaque chiffre déclaré est un nombre valide",
                                                 "every declared figure is a valid number")),
        "comment_given": (_comment_given, Reason("un commentaire dit quoi corriger",
                                                 "a comment says what to correct")),
    },
    noun=Reason("un rapport", "a report"), this=Reason("ce rapport", "this report"),
)
FREEZES = frozenset({"validate"})
"""The actions that freeze the report (its snapshot of every figure, never rewritten)."""
EDITABLE = frozenset({State.DRAFT, State.SENT_BACK})
"""States in which the cluster's managers change the declared figures and the evidence."""
