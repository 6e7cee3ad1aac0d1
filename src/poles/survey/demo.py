"""The annual survey in the demo register: validated (frozen) reports for past years, the latest year in progress.

Connected to `poles.demo.signals.register_written` (the demo sits below the survey): after `poles demo`
writes the register, every generated active cluster gets a report for the three years before the
reporting year, validated in the spring after the year for most clusters (a frozen snapshot, as the
officer's validation writes it), and a report for the reporting year that is submitted, sent back or
still a draft. The register's figures come from the indicator engine in one grouped run
(`engine.cluster_table`), as the pre-fill would give them; a few managers corrected a figure.
Reports as of a date, the survey pages and the reports page then show real content.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from poles.indicators import engine
from poles.indicators.asof import PARIS
from poles.registry.models import Cluster
from poles.registry.programme import latest_member_year
from poles.survey import figures
from poles.survey.models import Report, Survey
from poles.survey.prefill import ENGINE_CODES
from poles.survey.workflow import State

PAST_YEARS = 3
VALIDATED_SHARE = 0.85
DEMO_OFFICER = "demo.survey.officer"
DEMO_MANAGER = "demo.survey.manager"


def _person(username: str) -> Any:
    user, _created = get_user_model().objects.get_or_create(
        username=username, defaults={"email": f"{username.removeprefix('demo.')}@demo.invalid"})
    return user


def _who(user: Any) -> dict[str, object]:
    return {"id": user.pk, "username": user.get_username(), "email": user.email}


def _at(rng: random.Random, year: int, today: dt.date, first_month: int, last_month: int) -> dt.datetime:
    """A working-day moment of year + 1 between two months, never after today."""
    start = dt.date(year + 1, first_month, 1)
    end = min(dt.date(year + 1, last_month, 28), today)
    if end < start:
        start = end
    day = start + dt.timedelta(days=rng.randint(0, (end - start).days))
    return dt.datetime.combine(day, dt.time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))), PARIS)


def _declared(rng: random.Random, register: dict[str, str | None]) -> dict[str, str]:
    """What a manager corrected: now and then the staff (often missing from the register) or the members."""
    out: dict[str, str] = {}
    if register.get("staff_fte") is None and rng.random() < 0.7:
        out["staff_fte"] = figures.as_text(Decimal(rng.choice((4, 5, 6, 7, 8, 9, 11))) + Decimal(rng.choice((0, 5))) / 10
                                           ) or "0"
    if rng.random() < 0.15 and register.get("members_total"):
        out["members_total"] = figures.as_text(int(register["members_total"] or 0) + rng.randint(1, 12)) or "0"
    return out


def _history(*steps: tuple[str, str, str, Any, dt.datetime, str]) -> list[dict[str, object]]:
    return [{"action": a, "from": f, "to": t, "by": _who(u), "at": at.isoformat(), "comment": c}
            for a, f, t, u, at, c in steps]


@transaction.atomic
def add_demo_surveys(*, seed: int, today: dt.date, **_kwargs: Any) -> dict[str, int]:
    """The demo's surveys and reports (see the module); returns {"survey reports": rows written}."""
    last = latest_member_year()
    if last is None:
        return {}
    rng = random.Random(f"{seed}:survey")  # noqa: S311 — demo data is reproducible from a seed, not secret
    clusters = list(Cluster.objects.filter(is_generated=True, status=Cluster.Status.ACTIVE).order_by("pk")
                    .values_list("pk", "name", "slug"))
    if not clusters:
        return {}
    Survey.objects.filter(reports__isnull=True).delete()  # emptied when the generated clusters went
    officer, manager = _person(DEMO_OFFICER), _person(DEMO_MANAGER)
    years = list(range(last - PAST_YEARS, last + 1))
    codes = sorted(set(ENGINE_CODES.values()))
    table = engine.cluster_table(years, codes, clusters=[pk for pk, _n, _s in clusters])
    reports = []
    for year in years:
        survey, _created = Survey.objects.get_or_create(
            year=year, defaults={"opened_by": officer, "deadline": dt.date(year + 1, 3, 31)})
        taken = set(Report.objects.filter(survey=survey).values_list("cluster_id", flat=True))
        for pk, name, slug in clusters:
            if pk in taken:
                continue
            values = table.get((pk, year), {})
            register = {code: figures.as_text(values.get(eng)) for code, eng in ENGINE_CODES.items()}
            declared = _declared(rng, register)
            report = Report(survey=survey, cluster_id=pk, declared=declared, state=State.DRAFT.value)
            draw = rng.random()
            submitted = _at(rng, year, today, 2, 4)
            if year < last and draw < VALIDATED_SHARE:
                validated = max(_at(rng, year, today, 4, 6), submitted + dt.timedelta(days=2))
                report.state, report.state_changed_at = State.VALIDATED.value, validated
                report.submitted_at, report.submitted_by = submitted, manager
                report.validated_at, report.validated_by = validated, officer
                report.history = _history(("submit", "draft", "submitted", manager, submitted, ""),
                                          ("validate", "submitted", "validated", officer, validated, ""))
                report.snapshot = {
                    "year": year, "cluster": {"id": pk, "name": name, "slug": slug},
                    "figures": figures.frozen(register, declared), "note": "", "evidence": [],
                    "submitted_by": _who(manager), "submitted_at": submitted.isoformat(),
                    "validated_by": _who(officer), "validated_at": validated.isoformat(),
                    "source": "poles.survey.demo",
                }
            elif year == last and draw < 0.45:
                report.state, report.state_changed_at = State.SUBMITTED.value, submitted
                report.submitted_at, report.submitted_by = submitted, manager
                report.history = _history(("submit", "draft", "submitted", manager, submitted, ""))
            elif year == last and draw < 0.6:
                back = submitted + dt.timedelta(days=rng.randint(3, 20))
                comment = ("Merci de joindre les comptes de l’exercice. / Please attach the year's accounts.")
                report.state, report.state_changed_at, report.comment = State.SENT_BACK.value, back, comment
                report.submitted_at, report.submitted_by = submitted, manager
                report.history = _history(("submit", "draft", "submitted", manager, submitted, ""),
                                          ("send_back", "submitted", "sent_back", officer, back, comment))
            reports.append(report)
    Report.objects.bulk_create(reports, batch_size=500)
    return {"survey reports": len(reports)}
