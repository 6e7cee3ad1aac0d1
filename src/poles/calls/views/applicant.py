"""The applicant's pages: a call's detail, starting a file, editing it with its live eligibility report,
inviting partners, each partner's costs, submitting, versions, withdrawing, asking for labels, notifications.

Every page goes through the permission layer (`poles.calls.permissions` on `poles.access` scopes):
a file opens to its consortium, the clusters it asked, its reviewers and the programme officers;
writes to its coordinator side (a partner's representatives write their own costs). Every change
of state goes through the one transition service (`poles.calls.transitions`).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.access.permissions import visible
from poles.access.roles import scope_of
from poles.calls import consortium, documents, permissions, reviewing, submissions
from poles.calls.consortium import is_editable
from poles.calls.describe import countdown, describe_rates, describe_rule
from poles.calls.eligibility import failures
from poles.calls.models import Application, CallSetup, Notification, Partner, Submission
from poles.calls.questions import check_answers
from poles.calls.reasons import CallDataError, Reason
from poles.calls.rounds import paris, round_at
from poles.calls.transitions import Refused, server_time, transition
from poles.calls.views.forms import (
    DEFAULT_COST_CATEGORIES,
    AcceptForm,
    AskLabelForm,
    DetailsForm,
    DocumentForm,
    InviteForm,
    PartnerForm,
    ReasonForm,
    StartForm,
)
from poles.calls.workflow import BY_ACTION, State
from poles.core.filtering import is_digits, row_id
from poles.projects.models import Call
from poles.registry.models import Cluster, Organisation
from poles.web.pagecache import public_page


def _lang() -> str:
    return get_language() or "fr"


def _text(reason: Reason | dict) -> str:
    if isinstance(reason, dict):
        return reason.get("en" if _lang().startswith("en") else "fr", "")
    return reason.text(_lang())


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# --- the calls ------------------------------------------------------------------------------------

def round_info(setup: CallSetup, now) -> dict:
    """The round open now (or the next one) with its closing instant and the countdown text."""
    rounds = list(setup.rounds.all())
    windows = setup.windows()
    current = round_at(windows, now)
    upcoming = sorted((r for r in rounds if r.opens_at > now), key=lambda r: r.opens_at)
    info: dict = {"rounds": rounds, "open": current is not None}
    if current is not None:
        row = next(r for r in rounds if r.number == current.number)
        info.update(round=row, closes_at=paris(row.closes_at), countdown=_text(countdown(now, row.closes_at)))
    elif upcoming:
        info.update(next_round=upcoming[0], opens_at=paris(upcoming[0].opens_at))
    return info


def published_setups(call_ids) -> dict[int, CallSetup]:
    """The published setups of these register calls, with their rounds, by call."""
    return {s.call_id: s for s in CallSetup.objects.filter(
        call_id__in=list(call_ids), status__in=[CallSetup.Status.PUBLISHED, CallSetup.Status.CLOSED])
        .prefetch_related("rounds")}


@public_page
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A call: funder, programme, envelope, rounds with the countdown, rules in words, rates, documents, form."""
    call = visible(request.user, Call).filter(pk=pk).first()
    if call is None:
        raise Http404(_("No call with this number."))
    setup = CallSetup.objects.filter(call=call).prefetch_related("rounds").first()
    officer = permissions.can_manage_calls(request.user)[0]
    if setup is not None and setup.status == CallSetup.Status.DRAFT and not officer:
        setup = None
    context: dict = {"call": call, "setup": setup, "officer": officer}
    if setup is not None:
        now = server_time()
        context.update(info=round_info(setup, now), now=now)
        try:
            context["rules"] = [_text(describe_rule(r)) for r in setup.rules()]
            context["rates"] = [_text(r) for r in describe_rates(setup.aid_rates())]
            context["questions"] = [(q, q.label_en if _lang().startswith("en") else q.label_fr)
                                    for q in setup.questions()]
        except CallDataError as error:
            context["data_error"] = _text(error.reason)
        context["documents"] = _documents(call)
        context["may_apply"] = (setup.status == CallSetup.Status.PUBLISHED and context["info"]["open"])
        if request.user.is_authenticated:
            context["mine"] = _my_applications(request.user).filter(setup=setup)
    return render(request, "calls/applicant/call_detail.html", context)


def _documents(call: Call) -> list[dict]:
    """The call's documents: its page at the funder (the register's `url`)."""
    return [{"title": _("The call's page at the funder"), "url": call.url}] if call.url else []


# --- the applicant's files ------------------------------------------------------------------------

def _my_applications(user):
    """The files of the user's consortium side: created by them or with an organisation they represent."""
    scope = scope_of(user)
    condition = Q(created_by_id=scope.user_id)
    if scope.organisation_ids:
        condition |= Q(partners__organisation_id__in=sorted(scope.organisation_ids))
    return Application.objects.filter(condition).distinct()


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The files of the user's organisations, and the open calls they may apply to."""
    apps = (_my_applications(request.user).select_related("setup__call", "coordinator", "submission")
            .order_by("-updated_at"))
    scope = scope_of(request.user)
    open_calls = []
    if scope.organisation_ids or scope.is_admin:
        setups = CallSetup.objects.filter(status=CallSetup.Status.PUBLISHED).select_related("call") \
            .prefetch_related("rounds")
        now = server_time()
        for setup in setups:
            info = round_info(setup, now)
            if info["open"]:
                open_calls.append({"setup": setup, "info": info})
    return render(request, "calls/applicant/my_applications.html", {
        "applications": apps, "open_calls": open_calls, "represents": bool(scope.organisation_ids)})


@login_required
def start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a file on an open call, coordinated by an organisation the user represents."""
    setup = get_object_or_404(CallSetup.objects.select_related("call"), call_id=pk, status=CallSetup.Status.PUBLISHED)
    scope = scope_of(request.user)
    organisations = list(Organisation.objects.filter(pk__in=sorted(scope.organisation_ids)).order_by("name"))
    if not organisations:
        raise PermissionDenied(_("Only a representative of a member organisation may start a file."))
    info = round_info(setup, server_time())
    form = StartForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        organisation = next(o for o in organisations if o.pk == form.cleaned_data["organisation"])
        try:
            app = submissions.start_application(
                request.user, setup, organisation, acronym=form.cleaned_data["acronym"],
                title=form.cleaned_data["title"], duration_months=form.cleaned_data["duration_months"])
        except ValidationError as error:
            for message in _errors(error):
                form.add_error(None, message)
        else:
            messages.success(request, _("The file is created as a draft; invite your partners and enter the costs."))
            return redirect("calls_application", pk=app.pk)
    return render(request, "calls/applicant/start.html", {"setup": setup, "form": form, "info": info})


def _application(request: HttpRequest, pk: int) -> Application:
    """The file, if the user may open it (else 404: its existence is not told)."""
    app = permissions.visible_applications(request.user, Application.objects.select_related(
        "setup__call", "coordinator", "submission", "project")).filter(pk=pk).first()
    if app is None:
        raise Http404(_("No file with this number, or not one you may open."))
    return app


def _consortium_side(request: HttpRequest, app: Application) -> bool:
    """Whether the user is on the consortium side (coordinator or a partner's representative) or an officer."""
    scope = scope_of(request.user)
    return (scope.sees_all or app.created_by_id == scope.user_id
            or app.partners.filter(organisation_id__in=sorted(scope.organisation_ids)).exists())


def _report_context(app: Application, outcomes, ceilings=None, answers: dict | None = None) -> dict:
    """The eligibility report as the pages show it: every rule, the failed ones first, with reasons.

    `answers`: the form's answers as typed (the live report), else those saved.
    """
    rows = [{"rule": o.rule, "passed": o.passed, "reason": _text(o.reason)} for o in outcomes]
    rows.sort(key=lambda r: r["passed"])
    answers = (app.answers or {}) if answers is None else answers
    form_problems = [_text(r) for r in check_answers(app.setup.questions(), answers)]
    return {"report": rows, "failed": [r for r in rows if not r["passed"]], "form_problems": form_problems,
            "ceilings": ceilings or {}, "application": app, "checked_at": timezone.localtime(server_time())}


@login_required
def application(request: HttpRequest, pk: int) -> HttpResponse:
    """The file's page: state, consortium with aid ceilings, answers, eligibility report, actions, versions."""
    app = _application(request, pk)
    if not _consortium_side(request, app) and not permissions.actors_for(request.user, app):
        raise PermissionDenied(_("The applicant's page is for the consortium; reviewers use their inbox."))
    coordinator = consortium.is_coordinator(request.user, app)
    scope = scope_of(request.user)
    outcomes, ceilings = consortium.preview_report(app)
    partners = list(app.partners.select_related("organisation"))
    for p in partners:
        p.ceiling = ceilings.get(p.organisation_id)
        p.total = sum((float(v) for v in (p.costs or {}).values()), 0.0)
        p.may_edit = is_editable(app) and permissions.can_edit_partner(request.user, app, p.organisation_id)[0]
    state = State(app.state)
    actions = {name: name in {t.action for t in BY_ACTION.values() if state in t.sources}
               for name in ("submit", "resubmit", "withdraw")}
    info = round_info(app.setup, server_time())
    labels = list(app.labelling_requests.select_related("cluster").order_by("cluster__name"))
    asked = {r.cluster_id for r in labels}
    context = {
        **_report_context(app, outcomes, ceilings),
        "app": app, "partners": partners, "coordinator": coordinator, "editable": is_editable(app),
        "actions": actions, "info": info, "labels": labels,
        "details_form": DetailsForm(initial=_details_initial(app), questions=app.setup.questions()),
        "document_form": DocumentForm(questions=app.setup.questions())
        if coordinator and is_editable(app) and documents.file_questions(app) else None,
        "invite_form": InviteForm(), "reason_form": ReasonForm(),
        "label_form": AskLabelForm(clusters=Cluster.objects.filter(status=Cluster.Status.ACTIVE).exclude(pk__in=asked)
                                   .order_by("name")) if coordinator else None,
        "invitations": app.invitations.order_by("-invited_at") if coordinator else [],
        "versions": app.submissions.order_by("-version"),
        "answers": _answers_shown(app),
        "mine": {p.organisation_id for p in partners} & scope.organisation_ids,
    }
    return render(request, "calls/applicant/application.html", context)


def _details_initial(app: Application) -> dict:
    initial = {"title": app.title, "duration_months": app.duration_months}
    initial.update({f"q_{k}": v for k, v in (app.answers or {}).items()})
    return initial


def _answers_shown(app: Application, answers: dict | None = None) -> list[tuple[str, object]]:
    """(label, answer) of each question; a file question's answer is its `Document` (a link on the page)."""
    en = _lang().startswith("en")
    answers = (app.answers or {}) if answers is None else answers
    files = {q.key for q in app.setup.questions() if q.kind == "file"}
    ids = [answers[k] for k in files if isinstance(answers.get(k), int)]
    docs = {d.pk: d for d in app.documents.filter(pk__in=ids)} if ids else {}
    return [(q.label_en if en else q.label_fr,
             docs.get(answers.get(q.key)) if q.key in files and isinstance(answers.get(q.key), int) else answers.get(q.key))
            for q in app.setup.questions()]


@login_required
@require_POST
def upload_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a document for a file question of the draft (the coordinator side), through `calls.documents`."""
    app = _application(request, pk)
    permissions.check(permissions.can_edit_application(request.user, app))
    form = DocumentForm(request.POST, request.FILES, questions=app.setup.questions())
    refused = getattr(request, "refused_uploads", {})
    if "file" in refused:
        messages.error(request, _("The document is larger than the upload limit."))
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            documents.add_document(request.user, app, form.cleaned_data["key"], upload.name, upload.read())
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Document attached: it is the answer to the question."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("calls_application", pk=app.pk)


@login_required
def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    """A document of a file, as a download, to whoever may open the file (else 404)."""
    found = documents.visible_document(request.user, pk, doc)
    if found is None:
        raise Http404(_("No document with this number, or not one you may open."))
    return documents.attachment(found)


@login_required
@require_POST
def save_details(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the title, duration and answers of the draft (the coordinator)."""
    app = _application(request, pk)
    permissions.check(permissions.can_edit_application(request.user, app))
    form = DetailsForm(request.POST, questions=app.setup.questions())
    if form.is_valid():
        try:
            consortium.save_details(request.user, app, title=form.cleaned_data["title"],
                                    duration_months=form.cleaned_data["duration_months"],
                                    answers=form.answers(), questions=app.setup.questions())
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, _("Draft saved; the eligibility report is up to date."))
        return redirect("calls_application", pk=app.pk)
    for field, errors in form.errors.items():
        for error in errors:
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label} : {error}" if label and _lang().startswith("fr") else
                           (f"{label}: {error}" if label else error))
    return redirect("calls_application", pk=app.pk)


@login_required
def partner(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    """One partner's costs by category, staff effort and requested aid, with its aid ceiling and the live report."""
    app = _application(request, pk)
    row = get_object_or_404(Partner.objects.select_related("organisation"), application=app, organisation_id=org)
    permissions.check(permissions.can_edit_partner(request.user, app, org))
    categories = sorted(submissions._cost_categories(app.setup)) or list(DEFAULT_COST_CATEGORIES)
    initial = {"staff_months": row.staff_months, "requested_aid": row.requested_aid,
               **{f"cost_{k}": v for k, v in (row.costs or {}).items()}}
    form = PartnerForm(request.POST or None, initial=initial, categories=categories)
    if request.method == "POST":
        if not is_editable(app):
            messages.error(request, _("A file is edited only before its eligibility is decided."))
            return redirect("calls_application", pk=app.pk)
        if form.is_valid():
            try:
                submissions.save_partner(request.user, app, row.organisation, costs=form.costs(),
                                         staff_months=form.cleaned_data["staff_months"] or 0,
                                         requested_aid=form.cleaned_data["requested_aid"] or 0)
            except ValidationError as error:
                for message in _errors(error):
                    form.add_error(None, message)
            else:
                messages.success(request, _("Costs saved; the eligibility report is up to date."))
                return redirect("calls_application", pk=app.pk)
    outcomes, ceilings = consortium.preview_report(app)
    return render(request, "calls/applicant/partner.html", {
        **_report_context(app, outcomes, ceilings), "app": app, "partner": row, "form": form,
        "ceiling": ceilings.get(org), "editable": is_editable(app),
    })


@login_required
def eligibility(request: HttpRequest, pk: int) -> HttpResponse:
    """The live eligibility report: on the saved file (GET), or as if the form's values were saved (POST).

    An HTML fragment for the pages (htmx), JSON with `?format=json`.
    """
    app = _application(request, pk)
    if not _consortium_side(request, app):
        raise PermissionDenied(_("The eligibility report is for the consortium and the officers."))
    kwargs: dict = {}
    data = request.POST if request.method == "POST" else {}
    org = row_id(data.get("organisation", ""))
    if org is not None and app.partners.filter(organisation_id=org).exists():
        kwargs = {"organisation_id": org, "requested_aid": data.get("requested_aid"),
                  "costs": {k.removeprefix("cost_"): data.get(k) for k in data if k.startswith("cost_")}}
    if "duration_months" in data:
        value = (data.get("duration_months") or "").strip()
        kwargs.update(duration_given=True, duration_months=int(value) if is_digits(value) else None)
    outcomes, ceilings = consortium.preview_report(app, **kwargs)
    answers = None
    if any(k.startswith("q_") for k in data):
        answers = {q.key: (app.answers or {}).get(q.key) if q.kind == "file" else data.get(f"q_{q.key}", "").strip()
                   for q in app.setup.questions()}
    if request.GET.get("format") == "json":
        return JsonResponse({
            "eligible": not failures(outcomes),
            "rules": [{"rule": o.rule, "passed": o.passed, "reason": _text(o.reason)} for o in outcomes],
            "aid_ceilings": {str(k): str(v) for k, v in ceilings.items()},
        })
    return render(request, "calls/applicant/partials/report.html", _report_context(app, outcomes, ceilings, answers))


@login_required
@require_POST
def invite(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator invites a partner by e-mail (nothing is created until the invitation is accepted)."""
    app = _application(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address."))
        return redirect("calls_application", pk=app.pk)
    try:
        consortium.invite_partner(request.user, app, form.cleaned_data["email"])
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
    return redirect("calls_application", pk=app.pk)


@login_required
@require_POST
def cancel_invitation(request: HttpRequest, pk: int, invitation: int) -> HttpResponse:
    app = _application(request, pk)
    found = get_object_or_404(app.invitations, pk=invitation)
    try:
        consortium.cancel_invitation(request.user, found)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Invitation cancelled."))
    return redirect("calls_application", pk=app.pk)


@login_required
@require_POST
def remove_partner(request: HttpRequest, pk: int, org: int) -> HttpResponse:
    app = _application(request, pk)
    row = get_object_or_404(Partner, application=app, organisation_id=org)
    try:
        consortium.remove_partner(request.user, app, row)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Partner removed from the draft."))
    return redirect("calls_application", pk=app.pk)


@login_required
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page: which file invites them, and the organisation they accept for."""
    invitation = consortium.find_invitation(token)
    if invitation is None:
        return render(request, "calls/applicant/accept.html", {"invalid": True}, status=404)
    organisations = consortium.organisations_to_accept_with(request.user, invitation)
    if request.method == "POST" and not organisations:
        raise PermissionDenied(_("You represent no organisation that could join this file."))
    form = AcceptForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            consortium.accept_invitation(request.user, token, form.cleaned_data["organisation"])
        except (ValidationError, PermissionDenied) as error:
            form.add_error(None, error.messages[0] if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("Your organisation joined the consortium: enter its costs."))
            return redirect("calls_partner", pk=invitation.application_id, org=form.cleaned_data["organisation"])
    return render(request, "calls/applicant/accept.html", {
        "invitation": invitation, "app": invitation.application, "form": form, "organisations": organisations})


def _refused(request: HttpRequest, error: Refused) -> None:
    if error.forbidden:
        raise PermissionDenied(error.text(_lang()))
    for reason in error.reasons:
        messages.error(request, _text(reason))


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit (or resubmit) through the transition service: refused after the deadline or when a rule fails."""
    app = _application(request, pk)
    action = "resubmit" if app.state == State.SUBMITTED else "submit"
    try:
        transition(app, action, request.user)
    except Refused as error:
        _refused(request, error)
        messages.error(request, _("The file was not submitted; the reasons are above."))
    else:
        app.refresh_from_db()
        messages.success(request, _("Version %(n)s submitted and frozen.") % {"n": app.submission.version})
    return redirect("calls_application", pk=app.pk)


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw the file before a decision (the coordinator), through the transition service."""
    app = _application(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        transition(app, "withdraw", request.user, reason=reason)
    except Refused as error:
        _refused(request, error)
    else:
        messages.success(request, _("The file is withdrawn."))
    return redirect("calls_application", pk=app.pk)


@login_required
@require_POST
def ask_label(request: HttpRequest, pk: int) -> HttpResponse:
    """The coordinator asks a cluster to label the project."""
    app = _application(request, pk)
    form = AskLabelForm(request.POST, clusters=Cluster.objects.filter(status=Cluster.Status.ACTIVE))
    if not form.is_valid():
        messages.error(request, _("Choose a cluster."))
        return redirect("calls_application", pk=app.pk)
    try:
        reviewing.ask_label(request.user, app, form.cleaned_data["cluster"])
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, _("%(cluster)s is asked to label the project.") % {"cluster": form.cleaned_data["cluster"]})
    return redirect("calls_application", pk=app.pk)


@login_required
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One frozen version as submitted, with its eligibility report at submission."""
    app = _application(request, pk)
    if not _consortium_side(request, app) and not permissions.actors_for(request.user, app):
        raise PermissionDenied(_("The versions are for the consortium, the clusters asked and the officers."))
    submission = get_object_or_404(Submission, application=app, version=number)
    rows = [{"rule": o["rule"], "passed": o["passed"], "reason": _text(o["reason"])} for o in submission.eligibility]
    partners = [{**p, "aid_reason_text": _text(p.get("aid_reason") or {})} for p in submission.content.get("partners", [])]
    answers = _answers_shown(app, submission.content.get("answers", {}))
    return render(request, "calls/applicant/version.html", {
        "app": app, "submission": submission, "report": rows, "partners": partners, "answers": answers,
        "latest": app.submission_id == submission.pk})


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's in-app notifications, newest first (the unread ones marked)."""
    mine = Notification.objects.filter(user=request.user).select_related("application")
    rows = list(mine[:100])
    return render(request, "calls/applicant/notifications.html", {
        "rows": rows, "unread": sum(1 for n in rows if n.read_at is None)})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read (another user's is not found)."""
    found = get_object_or_404(Notification, pk=pk, user=request.user)
    if found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
    return redirect("calls_notifications")
