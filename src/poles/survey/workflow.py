"""The life of a yearly report, declared as ONE table: states, transitions, who, preconditions.

`TRANSITIONS` is the only place the survey's workflow is stated (draft → submitted → sent back →
submitted → validated). The transition service (`poles.survey.services.transition`) reads it to
decide what a user may do; `refusals` says why an action is refused; `mermaid` and `table` draw it
for the docs and the pages. Pure: no Django, so that it can move onto a shared workflow engine.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from poles.calls.reasons import Reason


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


PRECONDITIONS = {
    "survey_open": (_survey_open, Reason("l’enquête est ouverte", "the survey is open")),
    "figures_valid": (_figures_valid, Reason("chaque chiffre déclaré est un nombre valide",
                                             "every declared figure is a valid number")),
    "comment_given": (_comment_given, Reason("un commentaire dit quoi corriger", "a comment says what to correct")),
}


@dataclass(frozen=True)
class Transition:
    """One allowed move: action, from which states, to which, by whom, under which conditions, whom it tells."""

    action: str
    sources: frozenset[State]
    target: State
    actors: frozenset[Actor]
    preconditions: tuple[str, ...]
    label: tuple[str, str]
    notify: frozenset[Audience]
    freezes: bool = False


TRANSITIONS: tuple[Transition, ...] = (
    Transition("submit", frozenset({State.DRAFT, State.SENT_BACK}), State.SUBMITTED, frozenset({Actor.MANAGER}),
               ("survey_open", "figures_valid"), ("déposer", "submit"),
               frozenset({Audience.OFFICERS, Audience.MANAGERS})),
    Transition("send_back", frozenset({State.SUBMITTED}), State.SENT_BACK, frozenset({Actor.OFFICER}),
               ("comment_given",), ("renvoyer pour correction", "send back"), frozenset({Audience.MANAGERS})),
    Transition("validate", frozenset({State.SUBMITTED}), State.VALIDATED, frozenset({Actor.OFFICER}),
               (), ("valider", "validate"), frozenset({Audience.MANAGERS}), freezes=True),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
EDITABLE = frozenset({State.DRAFT, State.SENT_BACK})
"""States in which the cluster's managers change the declared figures and the evidence."""


def available(state: State, actors: Iterable[Actor]) -> list[Transition]:
    """The transitions these actors may try from `state` (preconditions aside)."""
    held = set(actors)
    return [t for t in TRANSITIONS if state in t.sources and held & t.actors]


def refusals(state: State, action: str, actors: Iterable[Actor], facts: Facts) -> list[Reason]:
    """Why `action` may not run now (empty when it may): unknown action, wrong state, wrong actor, unmet conditions."""
    transition = BY_ACTION.get(action)
    if transition is None:
        return [Reason(f"Action inconnue « {action} ».", f"Unknown action {action!r}.")]
    if state not in transition.sources:
        sources = [s for s in State if s in transition.sources]
        return [Reason(
            f"« {transition.label[0]} » est impossible pour un rapport à l’état « {STATE_LABELS[state][0]} » "
            f"(possible à l’état : {', '.join(STATE_LABELS[s][0] for s in sources)}).",
            f"'{transition.label[1]}' is not possible for a report in state '{STATE_LABELS[state][1]}' "
            f"(possible in: {', '.join(STATE_LABELS[s][1] for s in sources)}).",
        )]
    if not set(actors) & transition.actors:
        return [Reason(f"Vous ne pouvez pas « {transition.label[0]} » ce rapport.",
                       f"You may not '{transition.label[1]}' this report.")]
    problems: list[Reason] = []
    for name in transition.preconditions:
        problems += PRECONDITIONS[name][0](facts)
    return problems


def mermaid() -> str:
    """The workflow as a Mermaid state diagram (docs): one arrow per source of each transition."""
    lines = ["stateDiagram-v2", f"    [*] --> {State.DRAFT.value}"]
    for t in TRANSITIONS:
        who = "/".join(sorted(a.value for a in t.actors))
        for source in (s for s in State if s in t.sources):
            lines.append(f"    {source.value} --> {t.target.value} : {t.action} ({who})")
    lines.append(f"    {State.VALIDATED.value} --> [*]")
    return "\n".join(lines) + "\n"


def table() -> list[dict[str, str]]:
    """The workflow as rows (action, from, to, who, conditions) for the docs and the pages."""
    return [{
        "action": t.action,
        "from": ", ".join(s.value for s in State if s in t.sources),
        "to": t.target.value,
        "who": ", ".join(sorted(a.value for a in t.actors)),
        "conditions": "; ".join(PRECONDITIONS[p][1].en for p in t.preconditions) or "—",
    } for t in TRANSITIONS]
