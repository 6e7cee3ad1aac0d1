"""One workflow engine: states and transitions declared as data, who may run them, under which conditions.

A `Workflow` is a table of `Transition`s over string-valued states (usually a `StrEnum`), actors
and audiences, with named preconditions that are pure functions of a facts object gathered by the
caller at the moment of the action. It answers what an actor may try (`available`), why an action
is refused (`refusals`, every reason in French and English), whether it may run (`allowed`), and
draws itself (`mermaid`, `table`) for the docs and the pages. The calls' application workflow and
the certification campaigns are two tables on this engine; the Django side (permission, server
time, state change, audit, notification) is `poles.core.transitions`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from poles.core.reasons import Reason

S = TypeVar("S", bound=str)
F = TypeVar("F")

Precondition = Callable[[Any], tuple[Reason, ...]]
"""A condition on the facts: the reasons it fails (none when it holds)."""


@dataclass(frozen=True)
class Transition:
    """One allowed move: action name, from which states, to which, by whom, under which conditions."""

    action: str
    sources: frozenset[Any]
    target: Any
    actors: frozenset[Any]
    preconditions: tuple[str, ...] = ()
    label: tuple[str, str] = ("", "")
    notify: frozenset[Any] = field(default_factory=frozenset)


def step(action: str, sources: Iterable[Any], target: Any, actors: Iterable[Any], preconditions: tuple[str, ...],
         fr: str, en: str, notify: Iterable[Any] = ()) -> Transition:
    """A transition written as one line of a table."""
    return Transition(action, frozenset(sources), target, frozenset(actors), preconditions, (fr, en),
                      frozenset(notify))


A_FILE = Reason("un dossier", "a file")
THIS_FILE = Reason("ce dossier", "this file")


class WorkflowError(ValueError):
    """A workflow table that contradicts itself (unknown state, precondition or duplicate action)."""


class Workflow(Generic[S, F]):
    """A table of transitions over `states`, with labels, preconditions and the object's noun for messages."""

    def __init__(self, *, states: Iterable[S], labels: Mapping[S, tuple[str, str]], initial: S,
                 finals: Iterable[S], transitions: Iterable[Transition],
                 preconditions: Mapping[str, tuple[Precondition, Reason]],
                 noun: Reason = A_FILE, this: Reason = THIS_FILE) -> None:
        self.states: tuple[S, ...] = tuple(states)
        self.labels = dict(labels)
        self.initial = initial
        self.finals = tuple(finals)
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        self.preconditions = dict(preconditions)
        self.noun, self.this = noun, this
        self.by_action: dict[str, Transition] = {t.action: t for t in self.transitions}
        self._validate()

    def _validate(self) -> None:
        known = set(self.states)
        if len(self.by_action) != len(self.transitions):
            raise WorkflowError("duplicate action in the workflow table")
        for t in self.transitions:
            if not t.sources <= known or t.target not in known:
                raise WorkflowError(f"transition {t.action!r} names a state outside the workflow")
            missing = [p for p in t.preconditions if p not in self.preconditions]
            if missing:
                raise WorkflowError(f"transition {t.action!r} names unknown preconditions {missing}")
        if set(self.labels) != known:
            raise WorkflowError("every state needs its French and English label")

    def label(self, state: S, language: str = "fr") -> str:
        """A state's name in `language`."""
        fr, en = self.labels[state]
        return en if language.lower().startswith("en") else fr

    def available(self, state: S, actors: Iterable[Any]) -> list[Transition]:
        """The transitions these actors may try from `state` (preconditions aside)."""
        held = set(actors)
        return [t for t in self.transitions if state in t.sources and held & t.actors]

    def forbidden(self, action: str, actors: Iterable[Any]) -> bool:
        """Whether the actors hold none of the roles the action needs (a permission refusal, not a condition)."""
        transition = self.by_action.get(action)
        return transition is not None and not (set(actors) & transition.actors)

    def refusals(self, state: S, action: str, actors: Iterable[Any], facts: F) -> list[Reason]:
        """Why `action` may not run now (empty when it may): unknown action, wrong state, wrong actor, unmet conditions."""
        transition = self.by_action.get(action)
        if transition is None:
            return [Reason(f"Action inconnue « {action} ».", f"Unknown action {action!r}.")]
        fr_state, en_state = self.labels[state]
        if state not in transition.sources:
            sources = [s for s in self.states if s in transition.sources]
            allowed_fr = ", ".join(self.labels[s][0] for s in sources)
            allowed_en = ", ".join(self.labels[s][1] for s in sources)
            return [Reason(
                f"« {transition.label[0]} » est impossible pour {self.noun.fr} à l’état « {fr_state} » "
                f"(possible à l’état : {allowed_fr}).",
                f"'{transition.label[1]}' is not possible for {self.noun.en} in state '{en_state}' "
                f"(possible in: {allowed_en}).",
            )]
        if not set(actors) & transition.actors:
            return [Reason(
                f"Vous ne pouvez pas « {transition.label[0]} » {self.this.fr}.",
                f"You may not '{transition.label[1]}' {self.this.en}.",
            )]
        problems: list[Reason] = []
        for name in transition.preconditions:
            problems += self.preconditions[name][0](facts)
        return problems

    def allowed(self, state: S, action: str, actors: Iterable[Any], facts: F) -> bool:
        """Whether `action` may run now."""
        return not self.refusals(state, action, actors, facts)

    def reachable(self) -> set[S]:
        """Every state some path of transitions reaches from the initial state."""
        reached, frontier = {self.initial}, [self.initial]
        while frontier:
            state = frontier.pop()
            for t in self.transitions:
                if state in t.sources and t.target not in reached:
                    reached.add(t.target)
                    frontier.append(t.target)
        return reached

    def mermaid(self) -> str:
        """The workflow as a Mermaid state diagram (docs, pages): one arrow per source of each transition."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for t in self.transitions:
            who = "/".join(sorted(str(a) for a in t.actors))
            for source in (s for s in self.states if s in t.sources):
                lines.append(f"    {source} --> {t.target} : {t.action} ({who})")
        lines += [f"    {final} --> [*]" for final in self.finals]
        return "\n".join(lines) + "\n"

    def table(self, language: str = "en") -> list[dict[str, str]]:
        """The workflow as rows (action, from, to, who, conditions) for the docs and the pages."""
        return [{
            "action": t.action,
            "from": ", ".join(str(s) for s in self.states if s in t.sources),
            "to": str(t.target),
            "who": ", ".join(sorted(str(a) for a in t.actors)),
            "conditions": "; ".join(self.preconditions[p][1].text(language) for p in t.preconditions) or "—",
        } for t in self.transitions]
