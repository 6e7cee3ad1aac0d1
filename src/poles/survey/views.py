"""The survey's pages: the programme's surveys and status tables, a cluster's yearly report.

Thin views around `poles.survey.services`; every page asks `poles.survey.permissions` (and the
workspace gate of `poles.web.access`) before it reads anything.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.calls.models import Notification
from poles.core.filtering import row_id
from poles.survey import figures, services
from poles.survey.forms import MAX_EVIDENCE_FILES, EvidenceForm, OpenSurveyForm
from poles.survey.models import Evidence, Report, Survey
from poles.survey.permissions import (
    actors_for,
    can_edit_report,
    can_follow_surveys,
    can_open_survey,
    check,
    visible_reports,
)
from poles.survey.tables import TABLES
from poles.survey.workflow import REPORT, STATE_LABELS, State
from poles.web.access import workspace_cluster
from poles.web.exports import keyed_response
from poles.web.views.workspace import workspace_context


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


def _state_choices() -> list[tuple[str, str]]:
    index = 1 if _language() == "en" else 0
    return [(s.value, STATE_LABELS[s][index]) for s in State]


def _notifications(request: HttpRequest) -> list:
    """The user's own latest survey notifications (the in-app side of reminders and transitions)."""
    return list(Notification.objects.filter(user=request.user, action__startswith="survey:")[:10])


@login_required
def survey_index(request: HttpRequest) -> HttpResponse:
    """The years' surveys with how many reports of the user's scope are in each state; the form to open one."""
    check(can_follow_surveys(request.user))
    surveys = list(Survey.objects.all())
    counts: dict[int, Counter] = {s.pk: Counter() for s in surveys}
    for survey_id, state in visible_reports(request.user).values_list("survey_id", "state"):
        counts[survey_id][state] += 1
    rows = [{"survey": s, "counts": [(value, label, counts[s.pk][value]) for value, label in _state_choices()],
             "total": sum(counts[s.pk].values())} for s in surveys]
    may_open = can_open_survey(request.user)[0]
    return render(request, "survey/index.html", {"rows": rows, "form": OpenSurveyForm() if may_open else None,
                                                 "notifications": _notifications(request)})


@login_required
@require_POST
def survey_open(request: HttpRequest) -> HttpResponse:
    """Open a year's survey (the programme's)."""
    check(can_open_survey(request.user))
    form = OpenSurveyForm(request.POST)
    if form.is_valid():
        try:
            survey = services.open_survey(request.user, form.cleaned_data["year"], form.cleaned_data["deadline"])
        except ValidationError as error:
            form.add_error("year", error)
        else:
            messages.success(request, _("The %(year)s survey is open: %(n)s clusters have a report to fill.")
                             % {"year": survey.year, "n": survey.reports.count()})
            return redirect("survey_status", year=survey.year)
    surveys = Survey.objects.all()
    return render(request, "survey/index.html", {"rows": [{"survey": s, "counts": [], "total": None} for s in surveys],
                                                 "form": form}, status=400)


def _survey(year: int) -> Survey:
    survey = Survey.objects.filter(year=year).first()
    if survey is None:
        raise Http404(_("No survey for this year."))
    return survey


@login_required
def survey_status(request: HttpRequest, year: int) -> HttpResponse:
    """Who has submitted: the reports of the user's scope for a year, with their state; reminders."""
    check(can_follow_surveys(request.user))
    survey = _survey(year)
    reports = list(visible_reports(request.user, survey.reports.select_related("cluster"))
                   .order_by("cluster__name"))
    counts = Counter(r.state for r in reports)
    return render(request, "survey/status.html", {
        "survey": survey, "reports": reports,
        "counts": [(value, label, counts[value]) for value, label in _state_choices()],
        "pending": [r for r in reports if r.state in (State.DRAFT, State.SENT_BACK)],
        "exports": [("status", _("who has submitted")), ("figures", _("every report's figures"))],
    })


@login_required
@require_POST
def survey_remind(request: HttpRequest, year: int) -> HttpResponse:
    """Remind the managers of the ticked reports (all those not submitted when none is ticked)."""
    check(can_follow_surveys(request.user))
    survey = _survey(year)
    scope = visible_reports(request.user, survey.reports.select_related("cluster", "survey"))
    ids = [pk for pk in (row_id(v) for v in request.POST.getlist("report")) if pk is not None]
    chosen = scope.filter(pk__in=ids) if ids else scope.filter(state__in=[State.DRAFT, State.SENT_BACK])
    if ids and chosen.count() != len(set(ids)):
        raise Http404(_("A ticked report is not in your scope."))
    count = services.remind(request.user, list(chosen))
    messages.success(request, _("%(n)s reminder(s) sent.") % {"n": count})
    return redirect("survey_status", year=year)


@login_required
def survey_export(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    """The status table or every report's figures (the officer's scope) as XLSX or CSV (`?format=`, `?csv=fr|standard`)."""
    check(can_follow_surveys(request.user))
    if kind not in TABLES:
        raise Http404(_("No such export."))
    survey = _survey(year)
    reports = list(visible_reports(request.user, survey.reports.select_related("cluster", "survey"))
                   .order_by("cluster__name"))
    columns, build = TABLES[kind]
    return keyed_response(request, f"survey-{year}-{kind}", columns, build(reports, _language()))


@login_required
def workspace_survey(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's yearly reports, one per survey."""
    cluster = workspace_cluster(request, slug)
    reports = visible_reports(request.user, Report.objects.filter(cluster=cluster).select_related("survey")) \
        .order_by("-survey__year")
    return render(request, "survey/workspace.html", workspace_context(
        request, cluster, reports=reports, notifications=_notifications(request)))


def _report(request: HttpRequest, slug: str, year: int):
    cluster = workspace_cluster(request, slug)
    report = visible_reports(request.user, Report.objects.filter(cluster=cluster, survey__year=year)) \
        .select_related("survey", "cluster", "submitted_by", "validated_by").first()
    if report is None:
        raise Http404(_("No report of this cluster for this year."))
    return cluster, report


def _sections(register: dict, declared: dict, entered: dict | None, errors: dict) -> list[dict]:
    """The report's figures grouped by section, each with register, declared, value and any error."""
    language = _language()
    sections: dict[str, dict] = {}
    for row in figures.rows(register, declared):
        f = row.figure
        section = sections.setdefault(f.section, {"code": f.section, "title": figures.SECTIONS[f.section][
            1 if language == "en" else 0], "rows": []})
        error = errors.get(f.code)
        section["rows"].append({
            "code": f.code, "label": f.label(language), "unit": f.unit,
            "register": figures.shown(row.register, f.unit, language),
            "declared": figures.shown(row.declared, f.unit, language) if row.declared is not None else "",
            "value": figures.shown(row.value, f.unit, language),
            "corrected": row.corrected,
            "input": (entered or {}).get(f.code, row.declared or "") if entered is not None else (row.declared or ""),
            "error": error.text(language) if error else "",
        })
    return [sections[code] for code in figures.SECTIONS if code in sections]


def _history(report: Report) -> list[dict]:
    """The report's steps for the page: when (a datetime), who, the step's label in the reader's language."""
    index = 1 if _language() == "en" else 0
    return [{**h, "when": dt.datetime.fromisoformat(h["at"]),
             "label": REPORT.by_action[h["action"]].label[index] if h["action"] in REPORT.by_action else h["action"]}
            for h in report.history]


def _render_report(request: HttpRequest, cluster, report: Report, *, entered: dict | None = None,
                   errors: dict | None = None, evidence_form: EvidenceForm | None = None, status: int = 200):
    actors = actors_for(request.user, report)
    editable = can_edit_report(request.user, report)[0]
    declared = services.declared_values(report)
    register = services.register_values(report)
    share = figures.private_share({r.figure.code: r.value for r in figures.rows(register, declared)})
    return render(request, "survey/report.html", workspace_context(
        request, cluster, report=report, survey=report.survey, editable=editable,
        sections=_sections(register, declared, entered, errors or {}),
        corrected=sum(1 for code in declared if code in figures.BY_CODE),
        private_share=share,
        actions=[{"action": t.action, "label": t.label[1 if _language() == "en" else 0],
                  "needs_comment": "comment_given" in t.preconditions}
                 for t in REPORT.available(State(report.state), actors)],
        evidence=list(report.evidence.all().only("pk", "name", "size", "uploaded_at", "report_id")),
        evidence_form=evidence_form or (EvidenceForm() if editable else None),
        may_add_evidence=editable and report.evidence.count() < MAX_EVIDENCE_FILES,
        history=_history(report), states=State,
        snapshot_json=json.dumps(report.snapshot, indent=2, ensure_ascii=False) if report.snapshot else "",
    ), status=status)


@login_required
def workspace_report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """A cluster's yearly report: pre-filled figures, what the managers corrected, evidence, actions, snapshot."""
    cluster, report = _report(request, slug, year)
    if request.method == "POST":
        check(can_edit_report(request.user, report))
        entered = {code: request.POST.get(f"fig_{code}", "") for code in figures.BY_CODE}
        errors = services.save_figures(request.user, report, entered, request.POST.get("note"))
        if errors:
            messages.error(request, _("Nothing was saved: %(n)s figure(s) to correct.") % {"n": len(errors)})
            return _render_report(request, cluster, report, entered=entered, errors=errors, status=400)
        messages.success(request, _("Figures saved."))
        return redirect("workspace_report", slug=slug, year=year)
    return _render_report(request, cluster, report)


@login_required
@require_POST
def workspace_report_action(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Submit, send back or validate the report (the one transition service)."""
    cluster, report = _report(request, slug, year)
    action = request.POST.get("action", "")
    try:
        services.transition(report, action, request.user, comment=request.POST.get("comment", ""))
    except services.Refused as refused:
        if refused.forbidden:
            raise PermissionDenied(refused.text()) from None
        messages.error(request, refused.text())
        return redirect("workspace_report", slug=slug, year=year)
    done = {"submit": _("Report submitted."), "send_back": _("Report sent back to the cluster."),
            "validate": _("Report validated: its figures are now frozen.")}
    messages.success(request, done.get(action, _("Done.")))
    return redirect("workspace_report", slug=slug, year=year)


@login_required
@require_POST
def workspace_report_evidence(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """Attach an evidence file to the report."""
    cluster, report = _report(request, slug, year)
    check(can_edit_report(request.user, report))
    if report.evidence.count() >= MAX_EVIDENCE_FILES:
        messages.error(request, _("A report holds at most %(n)s files; remove one first.") % {"n": MAX_EVIDENCE_FILES})
        return redirect("workspace_report", slug=slug, year=year)
    form = EvidenceForm(request.POST, request.FILES, refused=getattr(request, "refused_uploads", None))
    if not form.is_valid():
        return _render_report(request, cluster, report, evidence_form=form, status=400)
    upload = form.cleaned_data["file"]
    services.add_evidence(request.user, report, upload.name, upload.read(), upload.content_type or "")
    messages.success(request, _("File “%(name)s” attached.") % {"name": upload.name})
    return redirect("workspace_report", slug=slug, year=year)


def _evidence(request: HttpRequest, slug: str, year: int, pk: int) -> Evidence:
    _cluster, report = _report(request, slug, year)
    evidence = report.evidence.filter(pk=pk).first()
    if evidence is None:
        raise Http404(_("No such file on this report."))
    return evidence


@login_required
def workspace_report_evidence_file(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """An evidence file, always as a download (never shown inline)."""
    evidence = _evidence(request, slug, year, pk)
    response = HttpResponse(bytes(evidence.content), content_type="application/octet-stream")
    safe = "".join(c for c in evidence.name if c.isalnum() or c in "._- ") or "evidence"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


@login_required
@require_POST
def workspace_report_evidence_remove(request: HttpRequest, slug: str, year: int, pk: int) -> HttpResponse:
    """Take an evidence file off the report."""
    evidence = _evidence(request, slug, year, pk)
    services.remove_evidence(request.user, evidence)
    messages.success(request, _("File “%(name)s” removed.") % {"name": evidence.name})
    return redirect("workspace_report", slug=slug, year=year)
