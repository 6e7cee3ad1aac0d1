"""The programme officer's pages of a call: setup and publication, files, assignments, panel, selection, award.

Every page goes through `poles.calls.permissions` (`can_manage_calls`: national officers and
administrators); every change goes through the calls services (`deciding`, `reviewing`,
`transitions`, `followup`), which check it again, audit it and notify. A refused transition is
answered on the page with every reason (409), a forbidden one with 403.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from poles.calls import deciding, diagram, followup, permissions, reviewing, workflow
from poles.calls.eligibility import RULES
from poles.calls.grid import spread
from poles.calls.models import (
    Application,
    Assignment,
    CallSetup,
    Decision,
    Instalment,
    Report,
    Review,
    Selection,
)
from poles.calls.reasons import CallDataError, Reason
from poles.calls.rounds import PARIS
from poles.calls.transitions import Refused, gather_facts, server_time, transition
from poles.calls.workflow import BY_ACTION, Actor, State
from poles.core import audit
from poles.core.tables import Sheet, xlsx_workbook
from poles.projects.models import Call, Funder
from poles.registry.models import Organisation
from poles.web.pagecache import personal_page

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON_FIELDS = ("eligibility", "rates", "form", "grid", "caps")
RULE_FIELDS = ("eligibility", "rates", "form", "grid")
"""What an applicant relies on: frozen once the call is published."""
SPECIAL_ACTIONS = dict.fromkeys(followup.AGREEMENT_ACTIONS, "calls_officer_agreement")
"""Transitions run from the agreement page, where what they write is shown."""


def lang() -> str:
    return get_language() or "fr"


def say(reason: Reason | dict) -> str:
    """A reason (or its stored JSON) in the reader's language."""
    if isinstance(reason, dict):
        reason = Reason(reason.get("fr", ""), reason.get("en", ""))
    return reason.text(lang())


def officer(request: HttpRequest) -> None:
    """Refuse anyone but a programme officer."""
    permissions.check(permissions.can_manage_calls(request.user))


def setup_of(request: HttpRequest, pk: int) -> CallSetup:
    officer(request)
    return get_object_or_404(CallSetup.objects.select_related("call"), pk=pk)


def file_of(request: HttpRequest, pk: int) -> Application:
    officer(request)
    return get_object_or_404(Application.objects.select_related("setup__call", "coordinator", "submission"), pk=pk)


def refused(request: HttpRequest, error: Refused) -> None:
    messages.error(request, error.text(lang()))


# --- calls: list, new, setup, rounds, publish ---------------------------------------------------

class NewCallForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=50)
    funder = forms.ChoiceField(label=gettext_lazy("Funder"), choices=Funder.choices)
    programme = forms.CharField(label=gettext_lazy("Programme"), max_length=200, required=False)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    envelope = forms.DecimalField(label=gettext_lazy("Envelope (EUR)"), min_value=0, max_digits=14, decimal_places=2)

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if Call.objects.filter(code=code).exists():
            raise ValidationError(_("A call with this code already exists."))
        return code


def index(request: HttpRequest) -> HttpResponse:
    """The calls the officer runs, with their stage counts, and a form to open a new one."""
    officer(request)
    form = NewCallForm(request.POST or None)
    if request.method == "POST" and request.POST.get("action") == "new" and form.is_valid():
        with transaction.atomic():
            data = form.cleaned_data
            call = Call.objects.create(code=data["code"], funder=data["funder"], programme=data["programme"],
                                       title=data["title"], budget=data["envelope"])
            setup = CallSetup.objects.create(call=call, envelope=data["envelope"])
            audit.record(request.user, "create", call, audit.diff({}, audit.snapshot(call)), "page")
            audit.record(request.user, "create", setup, audit.diff({}, audit.snapshot(setup)), "page")
        messages.success(request, _("Call %(code)s created as a draft: set its rules, grid and rounds.") % {"code": call.code})
        return redirect("calls_officer_setup", pk=setup.pk)
    setups = list(CallSetup.objects.select_related("call").order_by("-call__opens", "call__code"))
    counts: dict[int, dict[str, int]] = {}
    for setup_id, state in Application.objects.values_list("setup_id", "state"):
        counts.setdefault(setup_id, {}).setdefault(state, 0)
        counts[setup_id][state] += 1
    rows = [{"setup": s, "files": sum(counts.get(s.pk, {}).values()),
             "states": sorted(((workflow.STATE_LABELS[State(k)][1 if lang().startswith("en") else 0], v)
                               for k, v in counts.get(s.pk, {}).items()))} for s in setups]
    return render(request, "calls/officer/index.html", {"rows": rows, "form": form})


class SetupForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    programme = forms.CharField(label=gettext_lazy("Programme"), max_length=200, required=False)
    envelope = forms.DecimalField(label=gettext_lazy("Envelope (EUR)"), min_value=0, max_digits=14, decimal_places=2)
    reviews_per_file = forms.IntegerField(label=gettext_lazy("Reviews per file"), min_value=1, max_value=20)
    exclude_cluster_reviewers = forms.BooleanField(
        label=gettext_lazy("Never assign a reviewer attached to a cluster asked to label the file"), required=False)
    objective = forms.ChoiceField(label=gettext_lazy("Selection objective"), choices=CallSetup.Objective.choices)
    waitlist_size = forms.IntegerField(label=gettext_lazy("Waitlist places"), min_value=0, max_value=1000)
    eligibility = forms.CharField(
        label=gettext_lazy("Eligibility rules (JSON)"), widget=forms.Textarea(attrs={"rows": 10}), required=False,
        help_text=gettext_lazy('A list of rules, e.g. [{"kind": "min_companies", "n": 2}]; the kinds are listed below.'))
    rates = forms.CharField(
        label=gettext_lazy("Aid rates (JSON)"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
        help_text=gettext_lazy('Percent by size category, e.g. {"small": 45, "medium": 35, "eti": 30, "large": 25, "research": 40}.'))
    form = forms.CharField(
        label=gettext_lazy("Application form (JSON)"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=gettext_lazy('Questions: [{"key", "kind": text | number | choice | file, "label_fr", "label_en", …}].'))
    grid = forms.CharField(
        label=gettext_lazy("Scoring grid (JSON)"), widget=forms.Textarea(attrs={"rows": 6}), required=False,
        help_text=gettext_lazy('Criteria: [{"key", "label_fr", "label_en", "weight", "low", "high", "comment_below"}].'))
    caps = forms.CharField(
        label=gettext_lazy("Selection caps (JSON)"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=gettext_lazy('[{"dimension": "region" | "cluster" | "partner", "key": … or null for each, "max_files": n or "max_amount": euros}].'))

    def __init__(self, *args, published: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if published:
            for name in RULE_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Published: the rules applicants rely on no longer change.")

    def clean(self) -> dict:
        data = super().clean()
        for name in JSON_FIELDS:
            text = (data.get(name) or "").strip()
            default = {} if name == "rates" else []
            try:
                value = json.loads(text) if text else default
            except json.JSONDecodeError as error:
                self.add_error(name, _("Not valid JSON: %(error)s (line %(line)s, column %(column)s).")
                               % {"error": error.msg, "line": error.lineno, "column": error.colno})
                continue
            if not isinstance(value, type(default)):
                self.add_error(name, _("A JSON list is expected.") if isinstance(default, list)
                               else _("A JSON object is expected."))
                continue
            data[name + "_value"] = value
        if "caps_value" in data:
            try:
                deciding.parse_caps(data["caps_value"])
            except CallDataError as error:
                self.add_error("caps", say(error.reason))
        return data


def _as_json(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def setup_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The call's main fields, rules as data, rounds, and publication."""
    setup = setup_of(request, pk)
    published = setup.status != CallSetup.Status.DRAFT
    initial = {"title": setup.call.title, "programme": setup.call.programme, "envelope": setup.envelope,
               "reviews_per_file": setup.reviews_per_file, "exclude_cluster_reviewers": setup.exclude_cluster_reviewers,
               "objective": setup.objective, "waitlist_size": setup.waitlist_size,
               **{name: _as_json(getattr(setup, name)) for name in JSON_FIELDS}}
    form = SetupForm(request.POST or None, initial=initial, published=published)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "save":
        before = audit.snapshot(setup)
        if form.is_valid():
            data = form.cleaned_data
            for name in ("envelope", "reviews_per_file", "exclude_cluster_reviewers", "objective", "waitlist_size"):
                setattr(setup, name, data[name])
            for name in JSON_FIELDS:
                if not (published and name in RULE_FIELDS):
                    setattr(setup, name, data[name + "_value"])
            try:
                setup.clean()
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            if form.is_valid():
                with transaction.atomic():
                    setup.call.title, setup.call.programme = data["title"], data["programme"]
                    setup.call.save(update_fields=["title", "programme", "updated_at"])
                    setup.save()
                    deciding.sync_register_call(setup)
                    audit.record(request.user, "update", setup, audit.diff(before, audit.snapshot(setup)), "page")
                messages.success(request, _("The call is saved."))
                return redirect("calls_officer_setup", pk=setup.pk)
        status = 400
    return render(request, "calls/officer/setup.html", {
        "setup": setup, "form": form, "round_form": RoundForm(), "rounds": setup.rounds.all(),
        "rule_kinds": _rule_kinds(), "published": published,
    }, status=status)


def _rule_kinds() -> list[tuple[str, str]]:
    """Each eligibility rule kind and its parameters, from the pure module's own table."""
    return [(kind, ", ".join(params) or "—") for kind, (_evaluate, params) in RULES.items()]


class RoundForm(forms.Form):
    opens_at = forms.DateTimeField(label=gettext_lazy("Opens (Paris time)"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    closes_at = forms.DateTimeField(label=gettext_lazy("Closes (Paris time)"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))


def rounds(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a round (POST); refused with the reason when it overlaps another."""
    setup = setup_of(request, pk)
    if request.method != "POST":
        return redirect("calls_officer_setup", pk=setup.pk)
    form = RoundForm(request.POST)
    if form.is_valid():
        opens = form.cleaned_data["opens_at"].astimezone(PARIS) if timezone.is_aware(form.cleaned_data["opens_at"]) \
            else form.cleaned_data["opens_at"].replace(tzinfo=PARIS)
        closes = form.cleaned_data["closes_at"].astimezone(PARIS) if timezone.is_aware(form.cleaned_data["closes_at"]) \
            else form.cleaned_data["closes_at"].replace(tzinfo=PARIS)
        try:
            deciding.add_round(request.user, setup, opens, closes)
            messages.success(request, _("Round added."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Give the opening and closing date and time."))
    return redirect("calls_officer_setup", pk=setup.pk)


def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish the call (POST): everything it declares is checked first."""
    setup = setup_of(request, pk)
    if request.method != "POST" or request.POST.get("confirm") != "publish":
        return redirect("calls_officer_setup", pk=setup.pk)
    if setup.status != CallSetup.Status.DRAFT:
        messages.info(request, _("The call is already published."))
        return redirect("calls_officer_setup", pk=setup.pk)
    try:
        deciding.publish(request.user, setup)
        messages.success(request, _("The call is published: it appears on the public calls page."))
    except Refused as error:
        refused(request, error)
    except ValidationError as error:
        messages.error(request, " ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                       if hasattr(error, "message_dict") else " ".join(error.messages))
    return redirect("calls_officer_setup", pk=setup.pk)


# --- workflow diagram ----------------------------------------------------------------------------

def workflow_page(request: HttpRequest) -> HttpResponse:
    """The states and transitions of every file, drawn from the one table, with the table as text."""
    english = lang().startswith("en")
    rows = [{
        "action": t.label[1 if english else 0],
        "from": ", ".join(workflow.STATE_LABELS[s][1 if english else 0] for s in State if s in t.sources),
        "to": workflow.STATE_LABELS[t.target][1 if english else 0],
        "who": ", ".join(str(ACTOR_NAMES[a]) for a in sorted(t.actors)),
        "conditions": "; ".join(workflow.PRECONDITIONS[p][1].text(lang()) for p in t.preconditions) or "—",
    } for t in workflow.TRANSITIONS]
    return render(request, "calls/officer/workflow.html", {
        "svg": diagram.svg(lang(), title=_("Workflow of a file")), "rows": rows, "mermaid": workflow.mermaid()})


ACTOR_NAMES = {Actor.COORDINATOR: gettext_lazy("coordinator"), Actor.OFFICER: gettext_lazy("programme officer"),
               Actor.CLUSTER_MANAGER: gettext_lazy("cluster manager")}


# --- files ---------------------------------------------------------------------------------------

def _eligibility_summary(application: Application) -> tuple[int | None, list[str]]:
    """Failed rules of the latest submission (None when never submitted) and their reasons."""
    if application.submission is None:
        return None, []
    failed = [say(o["reason"]) for o in application.submission.eligibility if not o.get("passed")]
    return len(failed), failed


def files(request: HttpRequest, pk: int) -> HttpResponse:
    """Every file of the call with its state, eligibility at submission, score and consensus."""
    setup = setup_of(request, pk)
    qs = Application.objects.filter(setup=setup).select_related("coordinator", "submission").order_by("acronym")
    state = request.GET.get("state", "")
    if state in State.__members__.values() or state in {s.value for s in State}:
        qs = qs.filter(state=state)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = []
    for application in page:
        failed, reasons = _eligibility_summary(application)
        rows.append({"app": application, "failed": failed, "reasons": reasons})
    english = lang().startswith("en")
    states = [(s.value, workflow.STATE_LABELS[s][1 if english else 0]) for s in State]
    return render(request, "calls/officer/files.html", {"setup": setup, "rows": rows, "page": page,
                                                         "states": states, "state": state})


def offered_transitions(application: Application, user) -> list[dict]:
    """The officer's transitions from the file's state: each allowed now, or the reasons it is not."""
    actors = permissions.actors_for(user, application)
    now = server_time()
    found = []
    offered = [t for t in workflow.available(State(application.state), actors)
               if Actor.OFFICER in t.actors and Actor.OFFICER in actors]
    # the facts every offered transition reads, gathered once (not one count of reviews per action)
    facts = gather_facts(application, "", reason="—", now=now,
                         needed={p for t in offered for p in t.preconditions})
    for t in offered:
        problems = workflow.refusals(State(application.state), t.action, actors, facts)
        found.append({"action": t.action, "label": t.label[1 if lang().startswith("en") else 0],
                      "needs_reason": "reason_given" in t.preconditions, "problems": [say(p) for p in problems],
                      "elsewhere": SPECIAL_ACTIONS.get(t.action)})
    return found


def file_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One file for the officer: state and diagram, eligibility report, labels, reviewers, decisions, transitions."""
    application = file_of(request, pk)
    status = 200
    if request.method == "POST":
        status = _file_post(request, application)
        if status == 302:
            return redirect("calls_officer_file", pk=application.pk)
        application.refresh_from_db()
    if status == 200:
        return personal_page(request, lambda: _file_page(request, application, status))
    return _file_page(request, application, status)


def _file_page(request: HttpRequest, application: Application, status: int) -> HttpResponse:
    submission = application.submission
    assignments = list(application.assignments.select_related("reviewer", "review").order_by("assigned_at"))
    pool = get_user_model().objects.filter(pk__in=reviewing.reviewer_pool()).order_by("email")
    return render(request, "calls/officer/file.html", {
        "app": application, "setup": application.setup, "submission": submission,
        "eligibility": [{"passed": o.get("passed"), "reason": say(o["reason"]), "rule": o.get("rule")}
                        for o in (submission.eligibility if submission else [])],
        "partners": [{**p, "kind": _kind_label(p.get("kind"))} for p in (submission.content.get("partners", [])
                                                                          if submission else [])],
        "labels": application.labelling_requests.select_related("cluster"),
        "assignments": assignments, "pool": [u for u in pool if u.pk not in {a.reviewer_id for a in assignments}],
        "transitions": offered_transitions(application, request.user),
        "decisions": application.decisions.select_related("selection").order_by("-selection__created_at")[:5],
        "svg": diagram.svg(lang(), State(application.state), title=_("Workflow of a file")),
    }, status=status)


def _kind_label(value: str | None) -> str:
    """An organisation kind by its label in the reader's language (the code when unknown)."""
    try:
        return str(Organisation.Kind(value).label)
    except ValueError:
        return value or "—"


def _file_post(request: HttpRequest, application: Application) -> int:
    """A transition or a manual assignment from the file page; the status to answer."""
    action = request.POST.get("action", "")
    if action == "assign":
        reviewer = get_user_model().objects.filter(pk=_int(request.POST.get("reviewer"))).first()
        if reviewer is None:
            messages.error(request, _("Choose a reviewer."))
            return 400
        try:
            reviewing.assign_manually(request.user, application, reviewer)
        except Refused as error:
            refused(request, error)
            return 409
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return 400
        messages.success(request, _("%(who)s is assigned to the file.") % {"who": reviewer.email})
        return 302
    if action not in BY_ACTION:
        messages.error(request, _("Unknown action."))
        return 400
    if action in SPECIAL_ACTIONS:
        messages.error(request, _("This step is taken on the agreement page, where what it writes is shown."))
        return 409
    try:
        transition(application, action, request.user, reason=request.POST.get("reason", "").strip())
    except Refused as error:
        if error.forbidden:
            raise PermissionDenied(error.text(lang())) from error
        refused(request, error)
        return 409
    messages.success(request, _("Done: the file is now “%(state)s”.") % {"state": application.state_label})
    return 302


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- assignments ---------------------------------------------------------------------------------

def assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """Who reviews which file: automatic assignment (with who was excluded and why) and manual."""
    setup = setup_of(request, pk)
    plan = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "auto":
            plan = reviewing.assign_automatically(request.user, setup)
            messages.success(request, _("%(n)s assignment(s) added.") % {"n": len(plan.added)})
        elif action == "manual":
            application = Application.objects.filter(setup=setup, pk=_int(request.POST.get("application"))).first()
            reviewer = get_user_model().objects.filter(pk=_int(request.POST.get("reviewer"))).first()
            if application is None or reviewer is None:
                messages.error(request, _("Choose a file and a reviewer."))
                status = 400
            else:
                try:
                    reviewing.assign_manually(request.user, application, reviewer)
                    messages.success(request, _("%(who)s is assigned to %(file)s.")
                                     % {"who": reviewer.email, "file": application.acronym})
                    return redirect("calls_officer_assignments", pk=setup.pk)
                except Refused as error:
                    refused(request, error)
                    status = 409
                except ValidationError as error:
                    messages.error(request, " ".join(error.messages))
                    status = 400
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=reviewing.reviewer_pool())}
    open_files = list(Application.objects.filter(setup=setup, state__in=reviewing.OPEN_FOR_ASSIGNMENT)
                      .order_by("acronym"))
    given: dict[int, list[Assignment]] = {}
    for row in Assignment.objects.filter(application__setup=setup).select_related("reviewer", "review"):
        given.setdefault(row.application_id, []).append(row)
    excluded = reviewing.exclusions(setup)
    rows = [{"app": a, "assigned": given.get(a.pk, []),
             "excluded": [(users.get(r), say(reason)) for r, reason in excluded.get(a.pk, []) if r in users],
             "short": max(0, setup.reviews_per_file - len(given.get(a.pk, [])))} for a in open_files]
    loads: dict[int, int] = {}
    for rows_of in given.values():
        for row in rows_of:
            loads[row.reviewer_id] = loads.get(row.reviewer_id, 0) + 1
    return render(request, "calls/officer/assignments.html", {
        "setup": setup, "rows": rows, "plan": plan, "reviewers": sorted(users.values(), key=lambda u: u.email),
        "loads": [(users[k], v) for k, v in sorted(loads.items()) if k in users],
        "shortages": [(Application.objects.filter(pk=k).first(), say(v)) for k, v in (plan.shortages.items() if plan else [])],
    }, status=status)


# --- panel ---------------------------------------------------------------------------------------

PANEL_STATES = (State.IN_REVIEW, State.SHORTLISTED, State.WAITLISTED, State.SELECTED, State.REJECTED)
PANEL_PAGE = 20


def panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted scores side by side per file, their spread, the mean, and the consensus the officer records."""
    if request.method != "POST":  # a kept rendering needs the permission and the call, not its rules decoded
        officer(request)
        get_object_or_404(CallSetup.objects.only("pk"), pk=pk)
        return personal_page(request, lambda: _panel_page(request, setup_of(request, pk), 200))
    setup = setup_of(request, pk)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "consensus":
        application = Application.objects.filter(setup=setup, pk=_int(request.POST.get("application"))).first()
        text = (request.POST.get("consensus") or "").strip().replace(",", ".")
        try:
            score = Decimal(text) if text else None
            if application is None:
                raise Http404(_("No such file in this call."))
            reviewing.record_consensus(request.user, application, score)
            messages.success(request, _("Consensus recorded for %(file)s.") % {"file": application.acronym})
            back = _int(request.POST.get("page")) or 1
            return redirect(reverse("calls_officer_panel", kwargs={"pk": setup.pk}) + f"?page={back}#file-{application.pk}")
        except (InvalidOperation, ValidationError):
            messages.error(request, _("A consensus is a score between 0 and 100 (empty: back to the mean)."))
            status = 400
    return _panel_page(request, setup, status)


def _panel_page(request: HttpRequest, setup: CallSetup, status: int) -> HttpResponse:
    grid = setup.scoring_grid()
    english = lang().startswith("en")
    criteria = [{"key": c.key, "label": c.label_en if english else c.label_fr, "weight": c.weight,
                 "scale": f"{c.low}–{c.high}"} for c in grid.criteria]
    files_qs = (Application.objects.filter(setup=setup, state__in=PANEL_STATES)
                .only("acronym", "state", "score", "consensus_score").order_by("acronym", "pk"))
    page = Paginator(files_qs, PANEL_PAGE).get_page(request.GET.get("page"))
    # one query for the page's assignments with their reviewer and review (a review is one-to-one
    # with its assignment): the count assigned, the drafts counted, the submitted ones shown
    assigned: dict[int, int] = {}
    drafts: dict[int, int] = {}
    reviews: dict[int, list[dict]] = {}
    for a in (Assignment.objects.filter(application_id__in=[f.pk for f in page])
              .select_related("reviewer", "review")
              .only("application_id", "reviewer__first_name", "reviewer__last_name", "reviewer__email",
                    "review__status", "review__scores", "review__comments", "review__total")
              .order_by("reviewer__email", "pk")):
        assigned[a.application_id] = assigned.get(a.application_id, 0) + 1
        review = getattr(a, "review", None)
        if review is None:
            continue
        if review.status != Review.Status.SUBMITTED:
            drafts[a.application_id] = drafts.get(a.application_id, 0) + 1
            continue
        reviews.setdefault(a.application_id, []).append({
            "reviewer": a.reviewer.get_full_name() or a.reviewer.email, "total": review.total,
            "scores": [review.scores.get(c["key"]) for c in criteria],
            "comments": [review.comments.get(c["key"], "") for c in criteria]})
    rows = [{"app": application, "reviews": reviews.get(application.pk, []),
             "spread": spread([r["total"] for r in reviews.get(application.pk, []) if r["total"] is not None]),
             "drafts": drafts.get(application.pk, 0), "assigned": assigned.get(application.pk, 0)}
            for application in page]
    return render(request, "calls/officer/panel.html", {"setup": setup, "rows": rows, "criteria": criteria,
                                                         "page": page}, status=status)


# --- selection -----------------------------------------------------------------------------------

def selection(request: HttpRequest, pk: int) -> HttpResponse:
    """Ranking and exact selection with reasons, what-if for another envelope, confirmation."""
    setup = setup_of(request, pk)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "propose":
            chosen = deciding.propose(request.user, setup)
            messages.success(request, _("Selection proposed: %(n)s file(s) above the line. Nothing moves until you confirm.")
                             % {"n": chosen.decisions.filter(outcome=Decision.Outcome.SELECTED).count()})
            return redirect("calls_officer_selection", pk=setup.pk)
        if action == "confirm":
            proposal = Selection.objects.filter(setup=setup, pk=_int(request.POST.get("selection"))).first()
            if proposal is None:
                raise Http404(_("No such selection in this call."))
            try:
                deciding.confirm(request.user, proposal)
                messages.success(request, _("Decision confirmed: the files moved and the consortia were notified."))
                return redirect("calls_officer_selection", pk=setup.pk)
            except Refused as error:
                refused(request, error)
                status = 409
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 409
    latest = Selection.objects.filter(setup=setup).first()
    decisions = []
    if latest is not None:
        for d in latest.decisions.select_related("application__coordinator").order_by("position"):
            decisions.append({"d": d, "reasons": [say(r) for r in d.reasons]})
    what_if = _what_if(request, setup)
    return render(request, "calls/officer/selection.html", {
        "setup": setup, "latest": latest, "decisions": decisions, "what_if": what_if,
        "candidates": len(deciding.candidates(setup)[0]),
        "confirmed": Selection.objects.filter(setup=setup, confirmed_at__isnull=False).first(),
    }, status=status)


def _what_if(request: HttpRequest, setup: CallSetup) -> dict | None:
    text = (request.GET.get("envelope") or "").strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
    if not text:
        return None
    try:
        other = Decimal(text)
        if not other.is_finite() or other < 0:
            raise InvalidOperation
    except InvalidOperation:
        return {"error": _("The envelope is an amount in euros, zero or more.")}
    result = deciding.what_if_envelope(request.user, setup, other)
    names = dict(Application.objects.filter(pk__in=result.current.selected | result.other.selected)
                 .values_list("pk", "acronym"))
    return {"envelope": other, "current": result.current, "other": result.other,
            "entering": sorted(names.get(i, str(i)) for i in result.entering),
            "leaving": sorted(names.get(i, str(i)) for i in result.leaving)}


# --- award and follow-up -------------------------------------------------------------------------

def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    """The agreement of a selected file: aid per partner, signature, instalments, reports, final acceptance."""
    application = file_of(request, pk)
    if not followup.has_agreement(application):
        messages.info(request, _("The agreement comes after the file is selected."))
        return redirect("calls_officer_file", pk=application.pk)
    status = 200
    if request.method == "POST":
        status = _agreement_post(request, application)
        if status == 302:
            return redirect("calls_officer_agreement", pk=application.pk)
        application.refresh_from_db()
    aid = followup.decided_aid(application)
    partners = followup.agreement_partners(application)
    today = timezone.localdate()
    instalments = list(application.instalments.all())
    proposal = [] if instalments else followup.default_schedule(aid, today, application.duration_months or 24)
    reports = list(application.reports.all())
    return render(request, "calls/officer/agreement.html", {
        "app": application, "setup": application.setup, "aid": aid, "partners": partners, "instalments": instalments, "proposal": proposal,
        "reports": [{"r": r, "late": r.is_late(today)} for r in reports], "today": today,
        "kinds": Instalment.Kind.choices, "report_kinds": Report.Kind.choices,
        "paid": sum((i.amount for i in instalments if i.paid_on), Decimal(0)),
        "signed": application.state != State.SELECTED,
    }, status=status)


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        return None


def _agreement_post(request: HttpRequest, application: Application) -> int:
    action = request.POST.get("action")
    try:
        if action == "sign":
            deciding.sign_agreement(request.user, application)
            messages.success(request, _("Agreement signed: the funding is written to the register."))
        elif action == "schedule":
            rows = []
            for kind in Instalment.Kind.values:
                amount = (request.POST.get(f"{kind}_amount") or "").strip().replace(",", ".")
                if not amount:
                    continue
                due = _date(request.POST.get(f"{kind}_due"))
                if due is None:
                    raise ValidationError(_("Each instalment needs a due date."))
                try:
                    value = Decimal(amount)
                except InvalidOperation as error:
                    raise ValidationError(_("An amount is a number of euros.")) from error
                rows.append({"kind": kind, "amount": value, "due_on": due,
                             "condition": (request.POST.get(f"{kind}_condition") or "").strip()[:300]})
            if not rows:
                raise ValidationError(_("Give at least one instalment."))
            followup.schedule(request.user, application, rows)
            messages.success(request, _("Instalments saved."))
        elif action == "pay":
            instalment = get_object_or_404(Instalment, application=application, pk=_int(request.POST.get("instalment")))
            paid_on = _date(request.POST.get("paid_on"))
            if paid_on is None:
                raise ValidationError(_("Give the payment date."))
            followup.record_payment(request.user, instalment, paid_on)
            messages.success(request, _("Payment recorded."))
        elif action == "report":
            due = _date(request.POST.get("due_on"))
            if due is None:
                raise ValidationError(_("Give the due date."))
            followup.add_report(request.user, application, request.POST.get("kind", ""), due,
                                final=request.POST.get("final") == "on")
            messages.success(request, _("Report added."))
        elif action == "receive":
            report = get_object_or_404(Report, application=application, pk=_int(request.POST.get("report")))
            received = _date(request.POST.get("received_on"))
            if received is None:
                raise ValidationError(_("Give the date of receipt."))
            followup.receive_report(request.user, report, received)
            messages.success(request, _("Report received."))
        elif action == "accept":
            report = get_object_or_404(Report, application=application, pk=_int(request.POST.get("report")))
            counts = [_int(request.POST.get(name)) for name in ("products", "patents", "jobs")]
            if any(c is None for c in counts):
                raise ValidationError(_("Give the outcomes: products, patents and jobs (0 when none)."))
            followup.accept_final_report(request.user, report, products=counts[0], patents=counts[1], jobs=counts[2])
            messages.success(request, _("Final report accepted: the outcomes and the funding are in the register."))
        else:
            messages.error(request, _("Unknown action."))
            return 400
    except Refused as error:
        if error.forbidden:
            raise PermissionDenied(error.text(lang())) from error
        refused(request, error)
        return 409
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return 400
    return 302


# --- exports -------------------------------------------------------------------------------------

def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The call's files, reviews or decisions as XLSX (text cells never formulas: `poles.core.tables`)."""
    setup = setup_of(request, pk)
    builders = {"files": _files_sheet, "reviews": _reviews_sheet, "decisions": _decisions_sheet}
    if kind not in builders:
        raise Http404(_("Exports are files, reviews or decisions."))
    sheet = builders[kind](setup)
    response = HttpResponse(xlsx_workbook([sheet]), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{setup.call.code}-{kind}.xlsx"'
    return response


def _files_sheet(setup: CallSetup) -> Sheet:
    rows = []
    for a in Application.objects.filter(setup=setup).select_related("coordinator", "submission").order_by("acronym"):
        failed, reasons = _eligibility_summary(a)
        s = a.submission
        rows.append([a.acronym, a.title, a.coordinator.name, a.state_label, s.version if s else None,
                     s.total_cost if s else None, s.requested_aid if s else None, s.fundable_aid if s else None,
                     failed, " | ".join(reasons), a.score, a.consensus_score])
    return Sheet(_("Files"), [_("Acronym"), _("Title"), _("Coordinator"), _("State"), _("Version"), _("Total cost (EUR)"),
                              _("Aid requested (EUR)"), _("Fundable aid (EUR)"), _("Failed rules"), _("Reasons"),
                              _("Mean score"), _("Consensus")], rows,
                 [None, None, None, None, "0", "#,##0.00", "#,##0.00", "#,##0.00", "0", None, "0.00", "0.00"])


def _reviews_sheet(setup: CallSetup) -> Sheet:
    grid = setup.scoring_grid()
    english = lang().startswith("en")
    rows = []
    for r in Review.objects.filter(assignment__application__setup=setup).select_related(
            "assignment__application", "assignment__reviewer").order_by("assignment__application__acronym", "pk"):
        rows.append([r.assignment.application.acronym, r.assignment.reviewer.email, r.get_status_display(), r.total,
                     *[r.scores.get(c.key) for c in grid.criteria], *[r.comments.get(c.key, "") for c in grid.criteria]])
    labels = [c.label_en if english else c.label_fr for c in grid.criteria]
    headers = [_("Acronym"), _("Reviewer"), _("Status"), _("Weighted score"), *labels,
               *[_("Comment: %(criterion)s") % {"criterion": c} for c in labels]]
    return Sheet(_("Reviews"), headers, rows, [None, None, None, "0.00"])


def _decisions_sheet(setup: CallSetup) -> Sheet:
    rows = []
    for d in Decision.objects.filter(selection__setup=setup).select_related("selection", "application").order_by(
            "-selection__created_at", "position"):
        rows.append([d.selection_id, _("yes") if d.selection.confirmed_at else _("no"), d.application.acronym,
                     d.rank, d.position, d.score, d.get_outcome_display(), d.aid, " | ".join(say(r) for r in d.reasons)])
    return Sheet(_("Decisions"), [_("Selection"), _("Confirmed"), _("Acronym"), _("Rank"), _("Position"), _("Score"),
                                  _("Outcome"), _("Aid (EUR)"), _("Reasons")], rows,
                 [None, None, None, "0", "0", "0.00", None, "#,##0.00"])

