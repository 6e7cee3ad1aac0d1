"""A call's rounds: opening and closing date-times in Europe/Paris, never overlapping.

A round is open from its opening instant to its closing instant, both included; one second after
the closing instant it is closed, whatever the client's clock says: the server's time decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from poles.calls.reasons import Reason

PARIS = ZoneInfo("Europe/Paris")


@dataclass(frozen=True)
class Window:
    """One round: its number and its opening and closing instants (aware)."""

    number: int
    opens: dt.datetime
    closes: dt.datetime


def paris(value: dt.datetime) -> dt.datetime:
    """An instant from a Paris wall-clock time (naive), or the same instant shown in Paris (aware)."""
    return value.replace(tzinfo=PARIS) if value.tzinfo is None else value.astimezone(PARIS)


def _shown(value: dt.datetime) -> str:
    return paris(value).strftime("%d/%m/%Y %H:%M:%S")


def check_rounds(windows: Iterable[Window]) -> list[Reason]:
    """What is wrong with a call's rounds: naive times, a round closing before it opens, overlaps."""
    problems = []
    ordered = sorted(windows, key=lambda w: (w.opens, w.number) if w.opens.tzinfo else (dt.datetime.min.replace(tzinfo=PARIS), w.number))
    for window in ordered:
        if window.opens.tzinfo is None or window.closes.tzinfo is None:
            problems.append(Reason(
                f"Relève {window.number} : les dates doivent porter leur fuseau horaire.",
                f"Round {window.number}: the date-times must carry their time zone.",
            ))
            return problems
        if window.closes <= window.opens:
            problems.append(Reason(
                f"Relève {window.number} : la clôture ({_shown(window.closes)}) doit suivre l’ouverture "
                f"({_shown(window.opens)}).",
                f"Round {window.number}: closing ({_shown(window.closes)}) must come after opening "
                f"({_shown(window.opens)}).",
            ))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.opens <= before.closes:
            problems.append(Reason(
                f"Les relèves {before.number} et {after.number} se chevauchent : la relève {after.number} "
                f"ouvre le {_shown(after.opens)}, avant la clôture de la relève {before.number} "
                f"({_shown(before.closes)}, heure de Paris).",
                f"Rounds {before.number} and {after.number} overlap: round {after.number} opens on "
                f"{_shown(after.opens)}, before round {before.number} closes ({_shown(before.closes)}, "
                f"Paris time).",
            ))
    return problems


def round_at(windows: Iterable[Window], at: dt.datetime) -> Window | None:
    """The round open at instant `at` (aware), if any."""
    for window in windows:
        if window.opens <= at <= window.closes:
            return window
    return None


def closed_reason(windows: Iterable[Window], at: dt.datetime) -> Reason:
    """Why nothing is open at `at`: before the next round, or after the last one closed."""
    ordered = sorted(windows, key=lambda w: w.opens)
    upcoming = [w for w in ordered if w.opens > at]
    if upcoming:
        return Reason(
            f"L’appel n’est pas ouvert : la prochaine relève ouvre le {_shown(upcoming[0].opens)} (heure de Paris).",
            f"The call is not open: the next round opens on {_shown(upcoming[0].opens)} (Paris time).",
        )
    if ordered:
        return Reason(
            f"L’appel est clos depuis le {_shown(ordered[-1].closes)} (heure de Paris) ; "
            f"heure du serveur : {_shown(at)}.",
            f"The call closed on {_shown(ordered[-1].closes)} (Paris time); server time: {_shown(at)}.",
        )
    return Reason("L’appel n’a pas de relève.", "The call has no round.")
