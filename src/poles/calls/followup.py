"""After the agreement: instalments paid, reports due and received, the final report written to the register.

- `schedule`: the agreement's instalments (advance, intermediate, balance) with their conditions and
  due dates; their amounts add up to the aid decided, never more.
- `record_payment`: an instalment paid on a date; the first payment of a signed agreement starts
  the project (transition `start`).
- `add_report` / `receive_report`: a report due, then received.
- `accept_final_report`: the final report accepted: the file moves to *final report accepted*
  (transition), the project's outcomes (products, processes or services brought to market, patents,
  jobs) and its `Funding` (the aid actually paid once the balance is paid, else the aid decided)
  are written to the register, so the indicators and the observatory see them.
- `late_reports` / `remind_late`: the reports past due and not received, and one reminder a week to
  the consortium (in-app and e-mail, French then English).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from poles.calls import notify, permissions
from poles.calls.models import Application, Decision, Instalment, Notification, Report
from poles.calls.transitions import transition
from poles.calls.workflow import State
from poles.core import audit
from poles.core.i18n import SEPARATOR
from poles.projects.models import Funding

FOLLOWED = (State.AGREEMENT_SIGNED, State.RUNNING, State.FINAL_REPORT_ACCEPTED, State.CLOSED)
AGREEMENT_ACTIONS = ("sign_agreement", "accept_final_report")
"""Transitions that write the register (funding, participations, outcomes): run only by `deciding.sign_agreement`
and `accept_final_report`, never as a bare transition (the agreement page and `/api/v1/agreements`)."""
REMIND_EVERY = dt.timedelta(days=7)
DEFAULT_SHARES = ((Instalment.Kind.ADVANCE, Decimal("0.30")), (Instalment.Kind.INTERMEDIATE, Decimal("0.40")),
                  (Instalment.Kind.BALANCE, Decimal("0.30")))
"""The usual schedule offered on the agreement page: 30 % advance, 40 % intermediate, 30 % balance."""


@dataclass(frozen=True)
class Award:
    """The aid a call awarded to a project (its confirmed decision), and the call."""

    amount: Decimal
    call_id: int
    call_title: str


def published_awards(user, project) -> dict[int, Award]:
    """The project's fundings written by a call's signed agreement whose amount `user` may read, by funding id.

    `permissions.can_read_award` decides (public once the agreement is signed and the project
    published); the funding is the row `deciding.sign_agreement` wrote (the call's funder and
    programme, a grant). What is published is the aid the call decided (`decided_aid`), never the
    row's amount as it stands: a later write to that row (an import, a hand entry) stays at its own
    field level. Other fundings keep their own field level too.
    """
    found: dict[int, Award] = {}
    for application in Application.objects.filter(project=project, state__in=[s.value for s in FOLLOWED]) \
            .select_related("setup__call", "project"):
        if not permissions.can_read_award(user, application)[0]:
            continue
        call = application.setup.call
        funding = Funding.objects.filter(project_id=application.project_id, funder=call.funder,
                                         funder_detail=call.programme[:150], instrument=Funding.Instrument.GRANT).first()
        if funding is not None:
            found[funding.pk] = Award(decided_aid(application), call.pk, call.title)
    return found


def decided_aid(application: Application) -> Decimal:
    """The aid of the confirmed decision that selected the file (0 when none)."""
    decision = Decision.objects.filter(application=application, outcome=Decision.Outcome.SELECTED,
                                       selection__confirmed_at__isnull=False).order_by("-selection__created_at").first()
    return decision.aid if decision else Decimal(0)


def has_agreement(application: Application) -> bool:
    """A selected file has an agreement to sign; a followed one, its instalments and reports."""
    return application.state in (State.SELECTED, *FOLLOWED)


def agreement_partners(application: Application) -> list[dict]:
    """Each partner of the last submitted version: costs, aid requested, its ceiling, and the aid within it."""
    rows = []
    for p in application.submission.content.get("partners", []) if application.submission else []:
        requested, ceiling = Decimal(p["requested_aid"]), Decimal(p["aid_ceiling"])
        rows.append({"organisation": p.get("organisation_id"), "name": p.get("name") or p.get("organisation_id"),
                     "coordinator": bool(p.get("is_coordinator")),
                     "costs": sum((Decimal(v) for v in p.get("costs", {}).values()), Decimal(0)),
                     "requested": requested, "ceiling": ceiling, "aid": min(requested, ceiling)})
    return rows


def default_schedule(aid: Decimal, start: dt.date, months: int) -> list[dict]:
    """Advance at signature, intermediate at mid-term, balance at the end: amounts to the cent, adding up to `aid`."""
    rows, given = [], Decimal(0)
    dates = (start, start + dt.timedelta(days=int(months * 30.4 / 2)), start + dt.timedelta(days=int(months * 30.4)))
    conditions = (_("Agreement signed"), _("Technical and financial mid-term reports received"),
                  _("Final reports accepted"))
    for index, ((kind, share), due, condition) in enumerate(zip(DEFAULT_SHARES, dates, conditions, strict=True)):
        amount = (aid - given) if index == len(DEFAULT_SHARES) - 1 else (aid * share).quantize(Decimal("0.01"))
        given += amount
        rows.append({"kind": kind, "amount": amount, "due_on": due, "condition": condition})
    return rows


@transaction.atomic
def schedule(user, application: Application, rows: list[dict], *, channel: str = "page") -> list[Instalment]:
    """Replace the unpaid instalments by `rows`; the total of all never exceeds the aid decided."""
    permissions.check(permissions.can_manage_calls(user))
    if application.state not in FOLLOWED:
        raise ValidationError(_("Instalments are set once the agreement is signed."))
    paid = application.instalments.filter(paid_on__isnull=False)
    total = sum((Decimal(r["amount"]) for r in rows), Decimal(0)) + (paid.aggregate(s=Sum("amount"))["s"] or 0)
    aid = decided_aid(application)
    if total > aid:
        raise ValidationError(_("The instalments add up to %(total)s EUR, more than the aid decided (%(aid)s EUR).")
                              % {"total": total, "aid": aid})
    for row in rows:
        if Decimal(row["amount"]) <= 0:
            raise ValidationError(_("An instalment's amount is positive."))
    application.instalments.filter(paid_on__isnull=True).delete()
    created = [Instalment.objects.create(application=application, kind=r["kind"], amount=Decimal(r["amount"]),
                                         due_on=r["due_on"], condition=r.get("condition", "")) for r in rows]
    audit.record(user, "update", application, {"instalments": [None, [
        {"kind": i.kind, "amount": str(i.amount), "due_on": i.due_on.isoformat()} for i in created]]}, channel)
    return created


@transaction.atomic
def record_payment(user, instalment: Instalment, paid_on: dt.date, *, channel: str = "page") -> Instalment:
    """An instalment paid; the first payment of a signed agreement starts the project."""
    permissions.check(permissions.can_manage_calls(user))
    if instalment.paid_on is not None:
        raise ValidationError(_("This instalment is already paid."))
    if paid_on > timezone.localdate():
        raise ValidationError(_("A payment date cannot be in the future."))
    instalment.paid_on, instalment.paid_by = paid_on, user
    instalment.save(update_fields=["paid_on", "paid_by"])
    audit.record(user, "update", instalment, {"paid_on": [None, paid_on.isoformat()]}, channel)
    application = instalment.application
    if application.state == State.AGREEMENT_SIGNED:
        transition(application, "start", user, reason=_("First instalment paid"), channel=channel)
    return instalment


@transaction.atomic
def add_report(user, application: Application, kind: str, due_on: dt.date, *, final: bool = False,
               channel: str = "page") -> Report:
    """A report the consortium owes by `due_on`."""
    permissions.check(permissions.can_manage_calls(user))
    if application.state not in FOLLOWED:
        raise ValidationError(_("Reports are due once the agreement is signed."))
    if kind not in Report.Kind.values:
        raise ValidationError(_("A report is technical or financial."))
    row = Report.objects.create(application=application, kind=kind, due_on=due_on, final=final)
    audit.record(user, "create", row, audit.diff({}, audit.snapshot(row)), channel)
    return row


@transaction.atomic
def receive_report(user, report: Report, received_on: dt.date, *, channel: str = "page") -> Report:
    """A report received on a date."""
    permissions.check(permissions.can_manage_calls(user))
    if report.received_on is not None:
        raise ValidationError(_("This report is already received."))
    if received_on > timezone.localdate():
        raise ValidationError(_("A receipt date cannot be in the future."))
    report.received_on = received_on
    report.save(update_fields=["received_on"])
    audit.record(user, "update", report, {"received_on": [None, received_on.isoformat()]}, channel)
    return report


@transaction.atomic
def accept_final_report(user, report: Report, *, products: int, patents: int, jobs: int,
                        channel: str = "page") -> Report:
    """Accept the final report: the transition, then the outcomes and the funding written to the register."""
    permissions.check(permissions.can_manage_calls(user))
    if not report.final:
        raise ValidationError(_("Only a final report closes the follow-up."))
    if report.received_on is None:
        raise ValidationError(_("The report has not been received yet."))
    if min(products, patents, jobs) < 0:
        raise ValidationError(_("Outcomes are counts, zero or more."))
    application = report.application
    application = transition(application, "accept_final_report", user, channel=channel)
    report.accepted_on, report.accepted_by = timezone.localdate(), user
    report.products_to_market, report.patents, report.jobs_created = products, patents, jobs
    report.save()
    project = application.project
    before = audit.snapshot(project, ["products_to_market", "patents", "jobs_created"])
    project.products_to_market, project.patents, project.jobs_created = products, patents, jobs
    project.save(update_fields=["products_to_market", "patents", "jobs_created", "updated_at"])
    audit.record(user, "update", project, audit.diff(before, audit.snapshot(
        project, ["products_to_market", "patents", "jobs_created"])), channel)
    call = application.setup.call
    instalments = list(application.instalments.all())
    balance_paid = any(i.kind == Instalment.Kind.BALANCE and i.paid_on for i in instalments)
    amount = (sum((i.amount for i in instalments if i.paid_on), Decimal(0)) if balance_paid
              else decided_aid(application))
    today = timezone.localdate()
    funding, _created = Funding.objects.update_or_create(
        project_id=application.project_id, funder=call.funder, funder_detail=call.programme[:150],
        instrument=Funding.Instrument.GRANT,
        defaults={"amount": amount, "date": today, "year": today.year},
    )
    audit.record(user, "update", funding, {"amount": [None, str(amount)]}, channel)
    return report


def late_reports(today: dt.date | None = None) -> QuerySet[Report]:
    """Reports past due and not received, of files still followed."""
    today = today or timezone.localdate()
    return Report.objects.filter(received_on__isnull=True, due_on__lt=today,
                                 application__state__in=[s.value for s in FOLLOWED]).select_related(
        "application__setup__call")


def remind_late(today: dt.date | None = None) -> int:
    """Remind the consortium of each late report (at most once a week each); returns the reminders sent."""
    today = today or timezone.localdate()
    sent = 0
    for report in late_reports(today):
        if report.last_reminded_on and today - report.last_reminded_on < REMIND_EVERY:
            continue
        _remind(report, today)
        report.last_reminded_on = today
        report.save(update_fields=["last_reminded_on"])
        sent += 1
    return sent


def _remind(report: Report, today: dt.date) -> None:
    application = report.application
    users = sorted(notify.consortium(application))
    texts = {}
    for language in ("fr", "en"):
        with override(language):
            kind = Report.Kind(report.kind).label
            subject = _("File %(acronym)s: %(kind)s report late") % {"acronym": application.acronym, "kind": kind}
            body = _("The %(kind)s report of %(acronym)s was due on %(due)s and has not been received. "
                     "Please send it to the programme officer.") % {
                "kind": kind, "acronym": application.acronym, "due": report.due_on.isoformat()}
            texts[language] = (subject, body)
    Notification.objects.bulk_create([Notification(
        user_id=pk, application=application, action="report_reminder", subject_fr=texts["fr"][0],
        subject_en=texts["en"][0], body_fr=texts["fr"][1], body_en=texts["en"][1]) for pk in users])
    addresses = get_user_model().objects.filter(pk__in=users, is_active=True).exclude(email="") \
        .values_list("email", flat=True)
    subject = f"{texts['fr'][0]} / {texts['en'][0]}"
    messages = [EmailMessage(subject, texts["fr"][1] + SEPARATOR + texts["en"][1], None, [a])
                for a in sorted(set(addresses))]
    if messages:
        get_connection().send_messages(messages)
