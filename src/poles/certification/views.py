"""The campaign's pages: every one through `poles.certification.permissions`, every write through `services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.access.roles import scope_of
from poles.calls.reasons import CallDataError
from poles.certification import files, services
from poles.certification.forms import (
    AssignForm,
    CampaignForm,
    CandidacyForm,
    DecisionForm,
    EvaluationForm,
)
from poles.certification.indicators import indicators_for, shown
from poles.certification.models import Campaign, Candidacy, Evaluation
from poles.certification.permissions import (
    can_edit_candidacy,
    can_evaluate,
    can_manage_campaigns,
    can_view_candidacy,
    candidacy_actors,
    check,
    evaluators,
    visible_evaluations,
)
from poles.certification.tables import TABLES
from poles.certification.workflow import CAMPAIGN, CANDIDACY, Actor
from poles.core.transitions import Refused
from poles.web.exports import keyed_response


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _campaign(request: HttpRequest, pk) -> Campaign:
    check(can_manage_campaigns(request.user))
    campaign = Campaign.objects.select_related("phase").filter(pk=pk).first()
    if campaign is None:
        raise Http404(_("No campaign with this number."))
    return campaign


def _candidacy(request: HttpRequest, pk) -> Candidacy:
    candidacy = Candidacy.objects.select_related("campaign__phase", "cluster").filter(pk=pk).first()
    if candidacy is None:
        raise Http404(_("No application with this number."))
    check(can_view_candidacy(request.user, candidacy))
    return candidacy


def _criteria(campaign: Campaign) -> list:
    try:
        return list(services.grid_of(campaign).criteria)
    except CallDataError:
        return []


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Campaigns (and a new one) for the officers; everyone's own evaluations and applications."""
    officer = can_manage_campaigns(request.user)[0]
    form = CampaignForm(request.POST or None) if officer else None
    if request.method == "POST":
        check(can_manage_campaigns(request.user))
        if form.is_valid():
            data = form.cleaned_data
            campaign = services.create_campaign(request.user, phase=data["phase"], title=data["title"],
                                                grid=data["grid"], applications_close=data["applications_close"])
            messages.success(request, _("Campaign created with the default criteria grid.") if data["grid"] is None
                             else _("Campaign created with its criteria grid."))
            return redirect("certification_campaign", pk=campaign.pk)
    scope = scope_of(request.user)
    return render(request, "certification/home.html", {
        "officer": officer, "form": form,
        "campaigns": Campaign.objects.select_related("phase") if officer else [],
        "evaluations": Evaluation.objects.filter(evaluator_id=scope.user_id)
        .select_related("candidacy__cluster", "candidacy__campaign").order_by("-assigned_at"),
        "applications": Candidacy.objects.filter(cluster_id__in=sorted(scope.managed_cluster_ids))
        .select_related("cluster", "campaign").order_by("-campaign__created_at"),
    })


@login_required
def campaign(request: HttpRequest, pk: int) -> HttpResponse:
    """A campaign: its state and next steps, its grid, its applications with their evaluators."""
    row = _campaign(request, pk)
    facts = services.campaign_facts(row)
    steps = [{"action": t.action, "label": t.label[1 if _language() == "en" else 0],
              "refusals": [r.text(_language()) for r in CAMPAIGN.refusals(row.state, t.action, {Actor.OFFICER}, facts)]}
             for t in CAMPAIGN.available(row.state, {Actor.OFFICER})]
    candidacies = list(row.candidacies.select_related("cluster").prefetch_related("evaluations__evaluator"))
    return render(request, "certification/campaign.html", {
        "campaign": row, "state_label": CAMPAIGN.label(row.state, _language()), "steps": steps,
        "criteria": _criteria(row), "candidacies": candidacies,
        "candidacy_labels": {s: CANDIDACY.label(s, _language()) for s in CANDIDACY.states},
        "assign_form": AssignForm(evaluators=evaluators()),
        "assigning": row.state in ("open", "evaluation"),
    })


@login_required
@require_POST
def campaign_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Run one transition of the campaign."""
    row = _campaign(request, pk)
    try:
        services.transition_campaign(row, request.POST.get("action", ""), request.user)
        messages.success(request, _("The campaign is now “%(state)s”.") % {"state": CAMPAIGN.label(row.state, _language())})
    except Refused as refused:
        messages.error(request, refused.text())
    return redirect("certification_campaign", pk=row.pk)


@login_required
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Assign an evaluator to an application."""
    check(can_manage_campaigns(request.user))
    candidacy = _candidacy(request, pk)
    form = AssignForm(request.POST, evaluators=evaluators())
    if not form.is_valid():
        messages.error(request, _("Choose an evaluator from the list."))
    else:
        try:
            services.assign(request.user, candidacy, form.cleaned_data["evaluator"])
            messages.success(request, _("Evaluator assigned to %(cluster)s.") % {"cluster": candidacy.cluster})
        except Refused as refused:
            messages.error(request, refused.text())
    return redirect("certification_campaign", pk=candidacy.campaign_id)


@login_required
def candidacy(request: HttpRequest, pk: int) -> HttpResponse:
    """An application: the draft for the cluster's managers, read-only for its evaluators and the officers."""
    row = _candidacy(request, pk)
    grid = services.grid_of(row.campaign)
    editable = can_edit_candidacy(request.user, row)[0]
    initial = {f"statement_{k}": v for k, v in (row.statements or {}).items()} | {"evidence": row.evidence}
    form = CandidacyForm(request.POST or None, grid=grid, initial=initial) if editable else None
    if request.method == "POST":
        check(can_edit_candidacy(request.user, row))
        if form.is_valid():
            services.save_candidacy(request.user, row, statements=form.statements(), evidence=form.cleaned_data["evidence"])
            messages.success(request, _("Application saved."))
            return redirect("certification_candidacy", pk=row.pk)
    indicators = shown(row.indicators if row.state != "draft" else indicators_for(row.cluster), _language())
    facts = services.candidacy_facts(row)
    may_submit = Actor.MANAGER in candidacy_actors(request.user, row) and row.state == "draft"
    own = visible_evaluations(request.user, row).filter(evaluator=request.user).first()
    officer = can_manage_campaigns(request.user)[0]
    return render(request, "certification/candidacy.html", {
        "candidacy": row, "campaign": row.campaign, "form": form,
        "state_label": CANDIDACY.label(row.state, _language()),
        "statements": [(c, (row.statements or {}).get(c.key, "")) for c in grid.criteria],
        "indicators": indicators, "may_submit": may_submit,
        "submit_refusals": [r.text(_language()) for r in CANDIDACY.refusals(row.state, "submit", {Actor.MANAGER}, facts)]
        if may_submit else [],
        "own_evaluation": own, "officer": officer, "files": list(row.files.all()),
        "may_add_file": editable and len(row.files.all()) < files.MAX_FILES,
        "file_limits": _("%(kinds)s; at most %(size)s each, %(n)s files.") % {
            "kinds": ", ".join(files.EXTENSIONS), "size": filesizeformat(files.max_bytes()), "n": files.MAX_FILES},
        "show_decision": officer or (row.campaign.state == "published" and row.state == "decided"),
    })


@login_required
@require_POST
def candidacy_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The cluster's managers submit the application."""
    row = _candidacy(request, pk)
    try:
        services.submit(row, request.user)
        messages.success(request, _("Application submitted. The indicators are frozen with it."))
    except Refused as refused:
        if refused.forbidden:
            raise PermissionDenied(refused.text()) from refused
        messages.error(request, refused.text())
    return redirect("certification_candidacy", pk=row.pk)


@login_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned evaluator scores the grid with comments, saves a draft or submits."""
    evaluation = Evaluation.objects.select_related("candidacy__campaign", "candidacy__cluster").filter(pk=pk).first()
    if evaluation is None:
        raise Http404(_("No evaluation with this number."))
    check(can_evaluate(request.user, evaluation))
    row = evaluation.candidacy
    grid = services.grid_of(row.campaign)
    initial = {f"score_{k}": v for k, v in evaluation.scores.items()} | {
        f"comment_{k}": v for k, v in evaluation.comments.items()}
    form = EvaluationForm(request.POST or None, grid=grid, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = request.POST.get("submit") == "1"
        try:
            services.save_evaluation(request.user, evaluation, form.scores(), form.comments(), submit=submit)
            messages.success(request, _("Evaluation submitted.") if submit else _("Evaluation saved."))
            return redirect("certification_evaluate", pk=evaluation.pk)
        except Refused as refused:
            messages.error(request, refused.text())
    return render(request, "certification/evaluate.html", {
        "evaluation": evaluation, "candidacy": row, "campaign": row.campaign, "form": form,
        "statements": [(c, (row.statements or {}).get(c.key, "")) for c in grid.criteria],
        "indicators": shown(row.indicators, _language()), "frozen": evaluation.submitted_at is not None,
    })


@login_required
def consolidation(request: HttpRequest, pk: int) -> HttpResponse:
    """Every evaluator's scores side by side, per application, with means and spreads (programme officers)."""
    row = _campaign(request, pk)
    entries = [(c, services.consolidation(c)) for c in
               row.candidacies.filter(state__in=services.SUBMITTED).select_related("cluster", "campaign")]
    return render(request, "certification/consolidation.html", {"campaign": row, "entries": entries,
                                                                 "english": _language() == "en"})


@login_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The national officer records the decision on an application, in deliberation."""
    check(can_manage_campaigns(request.user))
    row = _candidacy(request, pk)
    initial = {"outcome": row.outcome, "duration": row.duration_years, "conditions": row.conditions}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(row, request.user, outcome=data["outcome"], duration=data["duration"],
                            conditions=data["conditions"])
            messages.success(request, _("Decision recorded for %(cluster)s; it is published with the campaign's decisions.")
                             % {"cluster": row.cluster})
            return redirect("certification_campaign", pk=row.campaign_id)
        except Refused as refused:
            messages.error(request, refused.text())
    return render(request, "certification/decide.html", {
        "candidacy": row, "campaign": row.campaign, "form": form,
        "consolidation": services.consolidation(row), "english": _language() == "en"})



@login_required
def campaign_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Every evaluator's scores, or the decisions, as XLSX or CSV (`?format=`, `?csv=fr|standard`): programme officers."""
    row = _campaign(request, pk)
    if kind not in TABLES:
        raise Http404(_("No such export."))
    columns, build = TABLES[kind]
    return keyed_response(request, f"campaign-{row.pk}-{kind}", columns, build(row, _language()))


@login_required
@require_POST
def candidacy_file_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The managers attach an evidence file to the draft (kind and size checked; kept by Django's storage)."""
    row = _candidacy(request, pk)
    check(can_edit_candidacy(request.user, row))
    refused = (getattr(request, "refused_uploads", None) or {}).get("file")
    upload = request.FILES.get("file")
    if refused or upload is None:
        messages.error(request, _("“%(name)s” is larger than %(size)s, the largest file accepted.")
                       % {"name": refused, "size": filesizeformat(files.max_bytes())} if refused
                       else _("Choose a file to attach."))
        return redirect("certification_candidacy", pk=row.pk)
    try:
        files.add_file(request.user, row, upload)
        messages.success(request, _("File “%(name)s” attached.") % {"name": upload.name})
    except Refused as refusal:
        messages.error(request, refusal.text())
    return redirect("certification_candidacy", pk=row.pk)


def _file(request: HttpRequest, pk: int, file_pk: int):
    row = _candidacy(request, pk)
    found = files.readable_file(request.user, row, file_pk)
    if found is None:
        raise Http404(_("No such file on this application."))
    return found


@login_required
def candidacy_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """An evidence file, as a download: the cluster's managers, the officers, the assigned evaluators."""
    return files.download(_file(request, pk, file_pk))


@login_required
@require_POST
def candidacy_file_remove(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    """The managers take a file off the draft."""
    found = _file(request, pk, file_pk)
    files.remove_file(request.user, found)
    messages.success(request, _("File “%(name)s” removed.") % {"name": found.name})
    return redirect("certification_candidacy", pk=pk)
