"""The shared transition service: refuse with every reason, or change the state, audit and notify.

Each workflow (`poles.core.workflow` tables: the calls' files, the certification campaigns) has a
thin service that locks its object, asks the permission layer which actors the user is, gathers
the facts on server time and calls `perform`, which runs the steps every workflow shares: the
refusals (permission first, then preconditions), the action's own side effects, the new state with
its server time, one audit entry, and the notifications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import get_language

from poles.core import audit
from poles.core.reasons import Reason
from poles.core.workflow import Transition, Workflow


class Refused(Exception):
    """A transition that may not run, with every reason (forbidden: the user is not an actor of it)."""

    def __init__(self, reasons: list[Reason], *, forbidden: bool = False) -> None:
        self.reasons = reasons
        self.forbidden = forbidden
        super().__init__(" ".join(r.en for r in reasons))

    def text(self, language: str | None = None) -> str:
        """Every reason in the reader's language."""
        return " ".join(r.text(language or get_language() or "fr") for r in self.reasons)


_REPLAY: list[dt.datetime] = []


def server_time() -> dt.datetime:
    """The server's clock: the only one deadlines are checked against (nothing a client sends is read)."""
    return _REPLAY[-1] if _REPLAY else timezone.now()


@contextmanager
def replaying(at: dt.datetime) -> Iterator[None]:
    """Run the services as if the server's clock read `at`: the demo register replays past rounds
    through the real transitions (a submission inside a round that has closed since). Never set by
    a request."""
    _REPLAY.append(at)
    try:
        yield
    finally:
        _REPLAY.pop()


def perform(workflow: Workflow[Any, Any], obj: Model, action: str, user, *, actors: Iterable[Any], facts: Any,
            now: dt.datetime, effects: Callable[[Transition], dict[str, Any]] | None = None,
            after: Callable[[Transition], None] | None = None,
            notify: Callable[[Transition, Any], object] | None = None,
            reason: str | Reason = "", channel: str = "page", cluster_id: int | None = None,
            save_fields: Iterable[str] = (), unfiled: bool = False) -> Transition:
    """Run `action` on `obj` (already locked, in a transaction) or raise `Refused` with every reason.

    `effects` runs the action's own writes before the state changes and returns the changes to
    audit; `after` runs once the new state is saved; `notify` gets the transition and the old state.
    """
    held = set(actors)
    state = type(workflow.initial)(obj.state)
    problems = workflow.refusals(state, action, held, facts)
    if problems:
        raise Refused(problems, forbidden=workflow.forbidden(action, held))
    transition = workflow.by_action[action]
    changes: dict[str, Any] = {"state": [str(state), str(transition.target)], "action": [None, action]}
    if effects is not None:
        changes.update(effects(transition))
    if reason:
        changes["reason"] = [None, reason.as_dict() if isinstance(reason, Reason) else reason]
    obj.state = str(transition.target)
    obj.state_changed_at = now
    obj.save(update_fields=["state", "state_changed_at", *save_fields])
    if after is not None:
        after(transition)
    audit.record(user, "update", obj, changes, channel, cluster_id=cluster_id, unfiled=unfiled)
    if notify is not None:
        notify(transition, state)
    return transition
