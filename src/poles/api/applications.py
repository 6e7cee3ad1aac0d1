"""Calls' files (applications): the caller's own and those their role reaches; start, cost, submit, transitions.

Every read goes through `calls.permissions.visible_applications` (a file outside the caller's
reach is a 404, as if it did not exist); every write through the calls services, which ask the
permission layer again and audit. A refused transition answers a problem document with every
reason in French and English (403 when the caller is no actor of the action, 409 otherwise), and a
refused submission adds the eligibility rules that fail.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from poles.api.caller import who
from poles.api.money import Money, money
from poles.api.problems import Problem
from poles.calls import documents, permissions, reviewing, submissions
from poles.calls.eligibility import failures
from poles.calls.followup import AGREEMENT_ACTIONS
from poles.calls.models import Application, CallSetup
from poles.calls.transitions import Refused, transition
from poles.calls.workflow import BY_ACTION
from poles.core.filtering import INTEGER_MAX, INTEGER_MIN
from poles.registry.models import Organisation

router = Router(tags=["applications"])


def row_id(value: int | None, name: str) -> int | None:
    """An id from a path, a query or a body, refused (422) beyond what a database column holds (no 500)."""
    if value is not None and not INTEGER_MIN <= value <= INTEGER_MAX:
        raise Problem(422, _("%(name)s: no row has id %(id)s") % {"name": name, "id": value})
    return value


class ReasonOut(Schema):
    fr: str
    en: str


class RuleOutcomeOut(Schema):
    rule: str
    passed: bool
    reason: ReasonOut


class PartnerOut(Schema):
    organisation: int
    organisation_name: str
    is_coordinator: bool
    costs: dict[str, str]
    staff_months: str
    requested_aid: Money


class SubmissionOut(Schema):
    version: int
    submitted_at: dt.datetime
    total_cost: Money
    requested_aid: Money
    fundable_aid: Money
    eligibility: list[RuleOutcomeOut]


class ApplicationOut(Schema):
    """A file as its reader may see it: never a reviewer's identity; the scores only for programme officers."""

    id: int
    call: int
    call_code: str
    acronym: str
    title: str
    state: str
    state_label: str
    coordinator: int
    duration_months: int | None
    partners: list[PartnerOut]
    submission: SubmissionOut | None
    eligibility: list[RuleOutcomeOut] = Field(description="The live report on the working draft: every rule and why.")
    score: str | None = Field(None, description="Mean of the submitted reviews (programme officers only).")
    consensus_score: str | None = Field(None, description="The panel's consensus (programme officers only).")


def _rule(outcome) -> dict:
    return outcome.as_dict() if hasattr(outcome, "as_dict") else outcome


def application_row(user, app: Application, *, report: bool = True) -> dict:
    """A file as `user` may read it (the live eligibility report only when asked: it reads the register)."""
    officer = permissions.can_manage_calls(user)[0]
    sub = app.submission
    return {
        "id": app.pk, "call": app.setup_id, "call_code": app.setup.call.code, "acronym": app.acronym,
        "title": app.title, "state": app.state, "state_label": app.state_label,
        "coordinator": app.coordinator_id, "duration_months": app.duration_months,
        "partners": [{
            "organisation": p.organisation_id, "organisation_name": p.organisation.name,
            "is_coordinator": p.is_coordinator, "costs": {k: str(v) for k, v in (p.costs or {}).items()},
            "staff_months": str(p.staff_months), "requested_aid": money(p.requested_aid),
        } for p in app.partners.select_related("organisation")],
        "submission": None if sub is None else {
            "version": sub.version, "submitted_at": sub.submitted_at, "total_cost": money(sub.total_cost),
            "requested_aid": money(sub.requested_aid), "fundable_aid": money(sub.fundable_aid),
            "eligibility": sub.eligibility,
        },
        "eligibility": [o.as_dict() for o in submissions.eligibility_report(app)] if report else [],
        "score": str(app.score) if officer and app.score is not None else None,
        "consensus_score": str(app.consensus_score) if officer and app.consensus_score is not None else None,
    }


def logged_in(request):
    """The caller, or 401: files and reviews belong to someone."""
    user = who(request)
    if user is None:
        raise Problem(401, _("Log in, or send an API token, to read files and reviews of calls."))
    return user


def visible_application(request, application_id: int) -> Application:
    """The file, or 404 when it does not exist or the caller may not open it (no difference told)."""
    row_id(application_id, "application_id")
    app = (permissions.visible_applications(who(request))
           .select_related("setup__call", "submission").filter(pk=application_id).first())
    if app is None:
        raise Http404(_("File %(id)s does not exist or is not visible to you.") % {"id": application_id})
    return app


@router.get("", response=list[ApplicationOut], summary="The files the caller may open")
def list_applications(request, call: int | None = None):
    """An applicant's own consortium's files, a cluster manager's asked files, a reviewer's assigned
    files, every file for programme officers (without the live report: open one file for it)."""
    user = logged_in(request)
    qs = permissions.visible_applications(user).select_related("setup__call", "submission").order_by("pk")
    if row_id(call, "call") is not None:
        qs = qs.filter(setup_id=call)
    return [application_row(user, app, report=False) for app in qs[:500]]


@router.get("/{int:application_id}", response=ApplicationOut, summary="One file, with its live eligibility report")
def get_application(request, application_id: int):
    return application_row(who(request), visible_application(request, application_id))


class ApplicationIn(Schema):
    call: int = Field(..., description="The call (its register id).")
    coordinator: int = Field(..., description="The coordinating organisation (you represent it).")
    acronym: str = Field(..., min_length=1, max_length=100)
    title: str = Field(..., min_length=1, max_length=500)
    duration_months: int | None = Field(None, ge=1, le=240)


@router.post("", response={201: ApplicationOut}, summary="Start a draft file for a published call")
def create_application(request, payload: ApplicationIn):
    user = who(request)
    row_id(payload.call, "call")
    row_id(payload.coordinator, "coordinator")
    setup = CallSetup.objects.select_related("call").filter(pk=payload.call, status=CallSetup.Status.PUBLISHED).first()
    if setup is None:
        raise Problem(422, _("call: no published call has id %(id)s") % {"id": payload.call})
    coordinator = Organisation.objects.filter(pk=payload.coordinator).first()
    if coordinator is None:
        raise Problem(422, _("coordinator: no organisation has id %(id)s") % {"id": payload.coordinator})
    app = submissions.start_application(user, setup, coordinator, acronym=payload.acronym, title=payload.title,
                                        duration_months=payload.duration_months, channel="api")
    return Status(201, application_row(user, app))


class PartnerIn(Schema):
    costs: dict[str, Decimal] = Field(default_factory=dict, description="Costs by category, EUR.")
    staff_months: Decimal = Field(Decimal(0), ge=0, le=100000, max_digits=7, decimal_places=1)
    requested_aid: Decimal = Field(Decimal(0), ge=0, max_digits=16, decimal_places=2)


@router.put("/{int:application_id}/partners/{int:organisation_id}", response=ApplicationOut,
            summary="Enter one partner's costs, staff effort and requested aid on the draft")
def save_partner(request, application_id: int, organisation_id: int, payload: PartnerIn):
    user = who(request)
    app = visible_application(request, application_id)
    organisation = Organisation.objects.filter(pk=row_id(organisation_id, "organisation_id")).first()
    if organisation is None:
        raise Problem(422, _("organisation: no organisation has id %(id)s") % {"id": organisation_id})
    for value in payload.costs.values():
        if not value.is_finite() or value < 0 or value >= Decimal(10) ** 14:
            raise Problem(422, _("costs: an amount is between 0 and 99,999,999,999,999.99 euros."))
    submissions.save_partner(user, app, organisation, costs=payload.costs, staff_months=payload.staff_months,
                             requested_aid=payload.requested_aid, channel="api")
    return application_row(user, app)


class TransitionIn(Schema):
    action: str = Field(..., max_length=40, description="One of the workflow's actions (see docs/calls.md).")
    reason: str = Field("", max_length=2000, description="Why (required to declare ineligible or reject).")


def refused_problem(app: Application, refusal: Refused, *, rules: bool = False) -> Problem:
    """The refusal as a problem document: 403 when the caller is no actor, else 409, every reason in both languages."""
    language = get_language() or "fr"
    extra: dict = {"reasons": [r.as_dict() for r in refusal.reasons]}
    if rules:
        extra["failed_rules"] = [o.as_dict() for o in failures(submissions.eligibility_report(app))]
    return Problem(403 if refusal.forbidden else 409, refusal.text(language), **extra)


@contextmanager
def refusals():
    """A calls service's refusal as a problem document: a refused transition (403 when the caller is no
    actor, else 409) or a rule the service checks (409), with the reason in the reader's language."""
    try:
        yield
    except Refused as refusal:
        raise Problem(403 if refusal.forbidden else 409, refusal.text(get_language() or "fr"),
                      reasons=[r.as_dict() for r in refusal.reasons]) from refusal
    except ValidationError as error:
        raise Problem(409, " ".join(str(m) for m in error.messages)) from error


def _run(request, application_id: int, action: str, reason: str = ""):
    user = who(request)
    app = visible_application(request, application_id)
    try:
        app = transition(app, action, user, reason=reason, channel="api")
    except Refused as refusal:
        raise refused_problem(app, refusal, rules=action in ("submit", "resubmit")) from refusal
    app = Application.objects.select_related("setup__call", "submission").get(pk=app.pk)
    return application_row(user, app)


@router.post("/{int:application_id}/submit", response=ApplicationOut,
             summary="Submit the file (refused after the deadline, server time, and when a rule fails)")
def submit_application(request, application_id: int):
    """Freezes a new version. Refused with 409, the reasons and `failed_rules` (each eligibility rule that fails)."""
    app = visible_application(request, application_id)
    return _run(request, application_id, "resubmit" if app.state == "submitted" else "submit")


@router.post("/{int:application_id}/transitions", response=ApplicationOut,
             summary="Run a workflow transition on the file")
def transition_application(request, application_id: int, payload: TransitionIn):
    """403 when the caller is not an actor of the action; 409 with every reason when it may not run now
    (wrong state, a precondition that fails); 422 for an unknown action."""
    if payload.action not in BY_ACTION:
        raise Problem(422, _("action: unknown action “%(action)s”; expected one of %(actions)s.")
                      % {"action": payload.action, "actions": ", ".join(sorted(BY_ACTION))})
    if payload.action in AGREEMENT_ACTIONS:
        visible_application(request, application_id)
        raise Problem(409, _("“%(action)s” writes the agreement to the register: use /api/v1/agreements/%(id)s.")
                      % {"action": payload.action, "id": application_id})
    return _run(request, application_id, payload.action, payload.reason)


class ConsensusIn(Schema):
    score: Decimal | None = Field(..., ge=0, le=100, max_digits=5, decimal_places=2,
                                  description="The panel's score (0–100); null returns the file to the mean of its reviews.")


@router.put("/{int:application_id}/consensus", response=ApplicationOut,
            summary="Record the panel's consensus score of a file (programme officers)")
def record_consensus(request, application_id: int, payload: ConsensusIn):
    """The consensus ranks the file instead of the mean of its reviews (`calls.reviewing.record_consensus`)."""
    user = who(request)
    app = visible_application(request, application_id)
    with refusals():
        reviewing.record_consensus(user, app, payload.score, channel="api")
    return application_row(user, app, report=False)


# --- documents of file questions ------------------------------------------------------------------

class DocumentOut(Schema):
    id: int
    question: str
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime
    current: bool = Field(..., description="The answer to its question now (older uploads stay for the versions that name them).")
    url: str = Field(..., description="Where to download it (readers of the file only).")


def document_row(app: Application, doc) -> dict:
    return {"id": doc.pk, "question": doc.question, "name": doc.name, "content_type": doc.content_type,
            "size": doc.size, "sha256": doc.sha256, "uploaded_at": doc.uploaded_at,
            "current": (app.answers or {}).get(doc.question) == doc.pk,
            "url": f"/api/v1/applications/{app.pk}/documents/{doc.pk}"}


@router.get("/{int:application_id}/documents", response=list[DocumentOut], summary="The documents of a file")
def list_documents(request, application_id: int):
    app = visible_application(request, application_id)
    return [document_row(app, d) for d in documents.documents_of(who(request), app)]


@router.post("/{int:application_id}/documents", response={201: DocumentOut},
             summary="Upload a document answering a file question of the draft (multipart)")
def upload_document(request, application_id: int, question: Form[str], file: File[UploadedFile]):
    """The coordinator side, while the file may change; PDF, images, office documents, CSV or text, 10 MiB
    at most (`POLES_DOCUMENT_MAX_BYTES`), the type checked on the content. 409 with the reason otherwise."""
    user = who(request)
    app = visible_application(request, application_id)
    if len(question) > 100:
        raise Problem(422, _("question: at most 100 characters"))
    if file.size is not None and file.size > settings.POLES_DOCUMENT_MAX_BYTES:
        raise Problem(413, _("The document is larger than the upload limit."))
    with refusals():
        doc = documents.add_document(user, app, question, file.name or "", file.read(), channel="api")
    return Status(201, document_row(app, doc))


@router.get("/{int:application_id}/documents/{int:document_id}", summary="Download one document of a file",
            openapi_extra={"responses": {200: {"description": "The document, as an attachment.",
                                               "content": {"application/octet-stream": {}}}}})
def download_document(request, application_id: int, document_id: int):
    """To whoever may open the file (its consortium, the clusters it asked, its assigned reviewers, the
    programme officers); 404 for anyone else, as if it did not exist."""
    row_id(application_id, "application_id")
    row_id(document_id, "document_id")
    found = documents.visible_document(logged_in(request), application_id, document_id)
    if found is None:
        raise Http404(_("No document with this number, or not one you may open."))
    return documents.attachment(found)
