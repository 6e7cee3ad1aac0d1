"""The survey's writes: open a year, save declared figures, attach evidence, the one transition, reminders.

Every write checks the permission layer (`poles.survey.permissions`), is audited (`poles.core.audit`)
and, for transitions and reminders, notified (`poles.survey.notify`). `transition` reads the one
workflow table (`poles.survey.workflow.REPORT`) through the shared
service (`poles.core.transitions.perform`); validating freezes the report: a JSON snapshot of every
figure (register, declared, value) with who and when, which later register changes never rewrite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction as db_transaction
from django.utils.translation import gettext as _

from poles.core import audit
from poles.core.reasons import Reason
from poles.core.transitions import Refused, perform, server_time
from poles.core.workflow import Transition
from poles.registry.models import Cluster
from poles.registry.programme import current_year
from poles.survey import figures, notify
from poles.survey.models import Evidence, Report, Survey
from poles.survey.permissions import actors_for, can_edit_report, can_open_survey, can_remind, check
from poles.survey.prefill import prefill
from poles.survey.workflow import FREEZES, REPORT, Facts, State

__all__ = ["Refused", "add_evidence", "open_survey", "remind", "remove_evidence", "save_figures", "transition"]


def who(user) -> dict[str, object]:
    """A person as a snapshot keeps them: id, name, e-mail."""
    return {"id": user.pk, "username": user.get_username(), "email": getattr(user, "email", "")}


@db_transaction.atomic
def open_survey(user, year: int, deadline: dt.date | None = None) -> Survey:
    """Open the survey of `year`: one draft report per active cluster."""
    check(can_open_survey(user))
    if year > current_year():
        raise ValidationError(_("A survey describes a past or current year; %(year)s is in the future.")
                              % {"year": year})
    if Survey.objects.filter(year=year).exists():
        raise ValidationError(_("The %(year)s survey is already open.") % {"year": year})
    survey = Survey.objects.create(year=year, deadline=deadline, opened_by=user)
    clusters = Cluster.objects.filter(status=Cluster.Status.ACTIVE).order_by("name")
    reports = Report.objects.bulk_create([Report(survey=survey, cluster=c) for c in clusters])
    audit.record(user, "create", survey, {"year": [None, year], "deadline": [None, deadline],
                                          "reports": [None, len(reports)]}, cluster_id=None)
    return survey


def register_values(report: Report) -> dict[str, str | None]:
    """The register's figures for the report: frozen ones once validated, else computed now."""
    if report.snapshot:
        return {code: entry.get("register") for code, entry in report.snapshot.get("figures", {}).items()}
    return prefill(report.cluster, report.survey.year)


def declared_values(report: Report) -> dict[str, str]:
    """What the managers declared: as frozen once validated, else as stored now."""
    if report.snapshot:
        return {code: e["declared"] for code, e in report.snapshot.get("figures", {}).items() if e.get("declared")}
    return dict(report.declared)


def report_rows(report: Report) -> list[figures.Row]:
    """Every figure of the report (register, declared, value), frozen ones once validated: what the
    page, the API and the exports show."""
    return figures.rows(register_values(report), declared_values(report))


@db_transaction.atomic
def save_figures(user, report: Report, entries: Mapping[str, str], note: str | None = None) -> dict[str, Reason]:
    """Store what the manager declared (empty = keep the register's); returns the errors by figure, writing nothing then."""
    check(can_edit_report(user, report))
    values, errors = figures.read_declared(entries)
    if errors:
        return errors
    before = {"declared": report.declared, "note": report.note}
    report.declared = values
    if note is not None:
        report.note = note.strip()[:5000]
    report.save(update_fields=["declared", "note"])
    changes = audit.diff(before, {"declared": report.declared, "note": report.note})
    if changes:
        audit.record(user, "update", report, changes, cluster_id=report.cluster_id)
    return {}


@db_transaction.atomic
def add_evidence(user, report: Report, name: str, content: bytes, content_type: str = "") -> Evidence:
    """Attach a file to the report (the size limit is the upload's, checked before)."""
    check(can_edit_report(user, report))
    evidence = Evidence.objects.create(report=report, name=name[:255], content=content, size=len(content),
                                       content_type=content_type[:100], uploaded_by=user)
    audit.record(user, "update", report, {"evidence": [None, evidence.name]}, cluster_id=report.cluster_id)
    return evidence


@db_transaction.atomic
def remove_evidence(user, evidence: Evidence) -> None:
    """Take a file off the report while it may change."""
    report = evidence.report
    check(can_edit_report(user, report))
    audit.record(user, "update", report, {"evidence": [evidence.name, None]}, cluster_id=report.cluster_id)
    evidence.delete()


def freeze(report: Report, user, now: dt.datetime) -> dict[str, object]:
    """The frozen report: every figure (register, declared, value, corrected), the evidence, who submitted and validated, when."""
    register = prefill(report.cluster, report.survey.year)
    return {
        "year": report.survey.year,
        "cluster": {"id": report.cluster_id, "name": report.cluster.name, "slug": report.cluster.slug},
        "figures": figures.frozen(register, report.declared),
        "note": report.note,
        "evidence": [{"name": e.name, "size": e.size} for e in report.evidence.all()],
        "submitted_by": who(report.submitted_by) if report.submitted_by else None,
        "submitted_at": report.submitted_at.isoformat() if report.submitted_at else None,
        "validated_by": who(user),
        "validated_at": now.isoformat(),
        "source": "poles.survey.prefill",
    }


@db_transaction.atomic
def transition(report: Report, action: str, user, *, comment: str = "", channel: str = "page") -> Report:
    """Run `action` on the report for `user` through the shared transition service, or raise `Refused`
    with every reason (permission first, then the table's preconditions)."""
    locked = Report.objects.select_for_update().select_related("survey", "cluster").get(pk=report.pk)
    comment = comment.strip()
    facts = Facts(survey_open=locked.survey.is_open, figure_problems=figures.problems(locked.declared),
                  comment_given=bool(comment))
    now = server_time()

    def effects(step: Transition) -> dict[str, object]:
        if action == "submit":
            locked.submitted_at, locked.submitted_by = now, user
        if action == "send_back":
            locked.comment = comment
        if action in FREEZES:
            locked.validated_at, locked.validated_by = now, user
            locked.snapshot = freeze(locked, user, now)
        locked.history = [*locked.history, {"action": action, "from": locked.state, "to": str(step.target),
                                            "by": who(user), "at": now.isoformat(), "comment": comment}]
        return {"comment": [None, comment]} if comment else {}

    def tell(step: Transition, old: State) -> None:
        notify.transitioned(locked, step, old, comment)

    perform(REPORT, locked, action, user, actors=actors_for(user, locked), facts=facts, now=now,
            effects=effects, notify=tell, channel=channel, cluster_id=locked.cluster_id,
            save_fields=["history", "submitted_at", "submitted_by", "comment", "validated_at", "validated_by", "snapshot"])
    report.__dict__.update({k: getattr(locked, k) for k in ("state", "snapshot", "comment", "history")})
    return locked


@db_transaction.atomic
def remind(user, reports) -> int:
    """Remind the managers of each report not yet submitted (those in scope); returns how many were reminded."""
    now = server_time()
    count = 0
    for report in reports:
        if not can_remind(user, report)[0]:
            raise PermissionDenied(can_remind(user, report)[1])
        if State(report.state) not in (State.DRAFT, State.SENT_BACK):
            continue
        notify.reminded(report)
        report.reminded_at = now
        report.save(update_fields=["reminded_at"])
        audit.record(user, "update", report, {"reminded_at": [None, now]}, cluster_id=report.cluster_id)
        count += 1
    return count
