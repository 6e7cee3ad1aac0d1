"""Agreements and their follow-up for the programme officers: signature, instalments, payments, reports.

An agreement is a selected file's (its id is the file's). Every write goes through the services of
the agreement page: `calls.deciding.sign_agreement` (the transition, then the funding and each
partner's participation in the register) and `calls.followup` (`schedule`, `record_payment` — the
first payment starts the project —, `add_report`, `receive_report`, `accept_final_report` — the
transition, the outcomes and the funding paid written to the register). Each checks the permission
layer, audits and notifies; a refusal answers 409 with the reason. Programme officers only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from poles.api.applications import refusals, row_id
from poles.api.caller import who
from poles.api.money import Money, money
from poles.calls import deciding, followup, permissions
from poles.calls.models import Application, Instalment, Report

router = Router(tags=["agreements"])


class AgreementPartnerOut(Schema):
    organisation: int | None
    name: str
    coordinator: bool
    costs: Money
    requested_aid: Money
    aid_ceiling: Money
    aid: Money


class InstalmentOut(Schema):
    id: int
    kind: str = Field(..., description="advance, intermediate or balance.")
    amount: Money
    due_on: dt.date
    condition: str
    paid_on: dt.date | None


class ReportOut(Schema):
    id: int
    kind: str = Field(..., description="technical or financial.")
    final: bool
    due_on: dt.date
    received_on: dt.date | None
    accepted_on: dt.date | None
    late: bool
    products_to_market: int | None
    patents: int | None
    jobs_created: int | None


class AgreementOut(Schema):
    application: int
    acronym: str
    call: int
    state: str
    signed: bool
    aid: Money = Field(..., description="The aid of the confirmed decision.")
    paid: Money
    partners: list[AgreementPartnerOut]
    instalments: list[InstalmentOut]
    reports: list[ReportOut]
    proposed_schedule: list[dict] = Field(..., description="The usual 30/40/30 schedule, while none is set.")


def _officer(request):
    user = who(request)
    permissions.check(permissions.can_manage_calls(user))
    return user


def _application(request, application_id: int) -> Application:
    _officer(request)
    app = (Application.objects.select_related("setup__call", "submission")
           .filter(pk=row_id(application_id, "application_id")).first())
    if app is None or not followup.has_agreement(app):
        raise Http404(_("File %(id)s has no agreement: the agreement comes after the file is selected.")
                      % {"id": application_id})
    return app


def instalment_row(i: Instalment) -> dict:
    return {"id": i.pk, "kind": i.kind, "amount": money(i.amount), "due_on": i.due_on, "condition": i.condition,
            "paid_on": i.paid_on}


def report_row(r: Report, today: dt.date) -> dict:
    return {"id": r.pk, "kind": r.kind, "final": r.final, "due_on": r.due_on, "received_on": r.received_on,
            "accepted_on": r.accepted_on, "late": r.is_late(today), "products_to_market": r.products_to_market,
            "patents": r.patents, "jobs_created": r.jobs_created}


def agreement_row(app: Application) -> dict:
    app.refresh_from_db()
    today = timezone.localdate()
    aid = followup.decided_aid(app)
    instalments = list(app.instalments.all())
    proposal = [] if instalments else followup.default_schedule(aid, today, app.duration_months or 24)
    return {
        "application": app.pk, "acronym": app.acronym, "call": app.setup_id, "state": app.state,
        "signed": app.state != "selected", "aid": money(aid),
        "paid": money(sum((i.amount for i in instalments if i.paid_on), Decimal(0))),
        "partners": [{"organisation": p["organisation"], "name": str(p["name"]), "coordinator": p["coordinator"],
                      "costs": money(p["costs"]), "requested_aid": money(p["requested"]),
                      "aid_ceiling": money(p["ceiling"]), "aid": money(p["aid"])}
                     for p in followup.agreement_partners(app)],
        "instalments": [instalment_row(i) for i in instalments],
        "reports": [report_row(r, today) for r in app.reports.all()],
        "proposed_schedule": [{**r, "amount": str(r["amount"]), "due_on": r["due_on"].isoformat(),
                               "condition": str(r["condition"])} for r in proposal],
    }


@router.get("/{int:application_id}", response=AgreementOut, summary="A selected file's agreement and follow-up")
def get_agreement(request, application_id: int):
    return agreement_row(_application(request, application_id))


@router.post("/{int:application_id}/signature", response=AgreementOut,
             summary="Sign the agreement: the funding and each partner's aid are written to the register")
def sign_agreement(request, application_id: int):
    user = _officer(request)
    app = _application(request, application_id)
    with refusals():
        deciding.sign_agreement(user, app, channel="api")
    return agreement_row(app)


class InstalmentIn(Schema):
    kind: Instalment.Kind
    amount: Decimal = Field(..., gt=0, max_digits=16, decimal_places=2)
    due_on: dt.date
    condition: str = Field("", max_length=300)


@router.put("/{int:application_id}/instalments", response=AgreementOut,
            summary="Set the unpaid instalments (they add up to the aid decided at most)")
def schedule_instalments(request, application_id: int, payload: list[InstalmentIn]):
    """Replaces the unpaid instalments; paid ones stay. 409 when the agreement is not signed or the total
    passes the aid decided."""
    user = _officer(request)
    app = _application(request, application_id)
    with refusals():
        followup.schedule(user, app, [i.dict() for i in payload], channel="api")
    return agreement_row(app)


class PaymentIn(Schema):
    paid_on: dt.date


@router.post("/instalments/{int:instalment_id}/payment", response=AgreementOut,
             summary="Record an instalment paid (the first payment starts the project)")
def record_payment(request, instalment_id: int, payload: PaymentIn):
    user = _officer(request)
    instalment = Instalment.objects.filter(pk=row_id(instalment_id, "instalment_id")).select_related(
        "application").first()
    if instalment is None:
        raise Http404(_("Instalment %(id)s does not exist.") % {"id": instalment_id})
    with refusals():
        followup.record_payment(user, instalment, payload.paid_on, channel="api")
    return agreement_row(instalment.application)


class ReportIn(Schema):
    kind: Report.Kind
    due_on: dt.date
    final: bool = False


@router.post("/{int:application_id}/reports", response={201: ReportOut}, summary="A report the consortium owes")
def add_report(request, application_id: int, payload: ReportIn):
    user = _officer(request)
    app = _application(request, application_id)
    with refusals():
        row = followup.add_report(user, app, payload.kind, payload.due_on, final=payload.final, channel="api")
    return Status(201, report_row(row, timezone.localdate()))


def _report(report_id: int) -> Report:
    row = Report.objects.filter(pk=row_id(report_id, "report_id")).select_related("application__setup__call").first()
    if row is None:
        raise Http404(_("Report %(id)s does not exist.") % {"id": report_id})
    return row


class ReceiptIn(Schema):
    received_on: dt.date


@router.post("/reports/{int:report_id}/receipt", response=ReportOut, summary="A report received")
def receive_report(request, report_id: int, payload: ReceiptIn):
    user = _officer(request)
    row = _report(report_id)
    with refusals():
        followup.receive_report(user, row, payload.received_on, channel="api")
    return report_row(row, timezone.localdate())


class AcceptanceIn(Schema):
    products: int = Field(..., ge=0, le=100000, description="Products, processes or services brought to market.")
    patents: int = Field(..., ge=0, le=100000)
    jobs: int = Field(..., ge=0, le=1000000, description="Jobs created.")


@router.post("/reports/{int:report_id}/acceptance", response=ReportOut,
             summary="Accept the final report: the file's outcomes and funding paid go to the register")
def accept_final_report(request, report_id: int, payload: AcceptanceIn):
    user = _officer(request)
    row = _report(report_id)
    with refusals():
        followup.accept_final_report(user, row, products=payload.products, patents=payload.patents,
                                     jobs=payload.jobs, channel="api")
    return report_row(row, timezone.localdate())
