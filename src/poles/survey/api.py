"""The annual survey's API (/api/v1/surveys, added by `poles.survey.apps`): the years' surveys and
who has submitted (officers in scope), each cluster's report with its figures (its managers and the
officers in scope), its transitions and its snapshot.

Every read asks `poles.survey.permissions`; every write goes through `poles.survey.services`, the
pages' own functions (the same rules, audit entries and notifications; `channel="api"`). A refused
transition is a problem document with every reason, in the caller's language (Accept-Language,
French first): 403 when the caller is no actor of the action, 409 when it may not run now.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.http import Http404, HttpResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from poles.api.caller import who
from poles.api.lists import wants_csv
from poles.api.problems import Problem
from poles.core.filtering import is_digits, row_id
from poles.core.tables import MACHINE, csv_text
from poles.core.transitions import Refused
from poles.survey import figures, services
from poles.survey.models import Report, Survey
from poles.survey.permissions import (
    actors_for,
    can_edit_report,
    can_follow_surveys,
    check,
    visible_reports,
)
from poles.survey.tables import TABLES
from poles.survey.workflow import REPORT, STATE_LABELS, State

router = Router(tags=["surveys"])
CSV_OR_JSON = {"responses": {200: {"content": {"application/json": {}, "text/csv": {}}}}}


def _language() -> str:
    return "en" if (get_language() or "fr").startswith("en") else "fr"


class SurveyOut(Schema):
    year: int
    deadline: dt.date | None
    open: bool
    reports: int = Field(..., description="Reports of the caller's scope.")
    counts: dict[str, int] = Field(..., description="Reports of the caller's scope by state.")


class StatusOut(Schema):
    cluster: int
    cluster_slug: str
    cluster_name: str
    state: str
    state_label: str
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None
    reminded_at: dt.datetime | None


class SurveyStatusOut(SurveyOut):
    status: list[StatusOut]


class FigureOut(Schema):
    code: str
    section: str
    label: str
    unit: str
    from_register: str | None = Field(..., description="The register's value (frozen once validated), a decimal string.")
    declared: str | None = Field(..., description="What the managers declared, a decimal string.")
    value: str | None = Field(..., description="The value that counts: the declared one, else the register's.")
    corrected: bool


class ActionOut(Schema):
    action: str
    label: str
    needs_comment: bool


class EvidenceOut(Schema):
    id: int
    name: str
    size: int
    uploaded_at: dt.datetime


class ReportOut(Schema):
    id: int
    year: int
    cluster: int
    cluster_slug: str
    cluster_name: str
    state: str
    state_label: str
    note: str
    comment: str = Field(..., description="The officer's comment when the report was sent back.")
    submitted_at: dt.datetime | None
    validated_at: dt.datetime | None
    editable: bool
    actions: list[ActionOut] = Field(..., description="The transitions the caller may try now.")
    figures: list[FigureOut]
    evidence: list[EvidenceOut]
    history: list[dict[str, Any]]


def _survey(year: int) -> Survey:
    survey = Survey.objects.filter(year=year).first()
    if survey is None:
        raise Http404(_("No survey for this year."))
    return survey


def _follow(request) -> None:
    check(can_follow_surveys(who(request)))


def _summary(user, survey: Survey) -> dict[str, Any]:
    counts = Counter(visible_reports(user, survey.reports.all()).values_list("state", flat=True))
    return {"year": survey.year, "deadline": survey.deadline, "open": survey.is_open,
            "reports": sum(counts.values()), "counts": {s.value: counts[s.value] for s in State}}


@router.get("", response=list[SurveyOut], summary="The years' surveys (national and regional officers)")
def list_surveys(request):
    """Every year's survey with the number of reports of the caller's scope in each state."""
    _follow(request)
    user = who(request)
    return [_summary(user, s) for s in Survey.objects.all()]


@router.get("/{int:year}", response=SurveyStatusOut, summary="Who has submitted: a year's reports in the caller's scope",
            openapi_extra=CSV_OR_JSON)
def get_survey(request, year: int):
    """The year's survey and the state of each report of the caller's scope (a regional officer: their
    region's clusters). `?format=csv` gives the status table as CSV."""
    _follow(request)
    user = who(request)
    survey = _survey(year)
    reports = list(visible_reports(user, survey.reports.select_related("cluster", "survey")).order_by("cluster__name"))
    if wants_csv(request):
        columns, rows = TABLES["status"]
        keys = [key for key, _fr, _en in columns]
        response = HttpResponse(csv_text(keys, ([r[k] for k in keys] for r in rows(reports, _language())), MACHINE),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="survey-{year}-status.csv"'
        return response
    index = 1 if _language() == "en" else 0
    status = [{"cluster": r.cluster_id, "cluster_slug": r.cluster.slug, "cluster_name": r.cluster.name,
               "state": r.state, "state_label": STATE_LABELS[State(r.state)][index], "submitted_at": r.submitted_at,
               "validated_at": r.validated_at, "reminded_at": r.reminded_at} for r in reports]
    return {**_summary(user, survey), "status": status}


def _report(request, year: int, cluster: str) -> Report:
    """The report of `cluster` (id or slug) for `year`, or 404 when there is none the caller may read."""
    qs = Report.objects.filter(survey__year=year).select_related("survey", "cluster", "submitted_by", "validated_by")
    number = row_id(cluster)
    if number is not None:
        qs = qs.filter(cluster_id=number)
    elif is_digits(cluster):
        qs = qs.none()
    else:
        qs = qs.filter(cluster__slug=cluster)
    report = visible_reports(who(request), qs).first()
    if report is None:
        raise Http404(_("No report of this cluster for this year."))
    return report


def report_row(user, report: Report) -> dict[str, Any]:
    """The report as the API shows it to `user` (who may read it)."""
    language = _language()
    index = 1 if language == "en" else 0
    return {
        "id": report.pk, "year": report.survey.year, "cluster": report.cluster_id,
        "cluster_slug": report.cluster.slug, "cluster_name": report.cluster.name, "state": report.state,
        "state_label": STATE_LABELS[State(report.state)][index], "note": report.note, "comment": report.comment,
        "submitted_at": report.submitted_at, "validated_at": report.validated_at,
        "editable": can_edit_report(user, report)[0],
        "actions": [{"action": t.action, "label": t.label[index], "needs_comment": "comment_given" in t.preconditions}
                    for t in REPORT.available(State(report.state), actors_for(user, report))],
        "figures": [{"code": r.figure.code, "section": figures.SECTIONS[r.figure.section][index],
                     "label": r.figure.label(language), "unit": r.figure.unit, "from_register": r.register,
                     "declared": r.declared, "value": r.value, "corrected": r.corrected}
                    for r in services.report_rows(report)],
        "evidence": list(report.evidence.values("id", "name", "size", "uploaded_at")),
        "history": report.history,
    }


@router.get("/{int:year}/reports/{cluster}", response=ReportOut, summary="A cluster's yearly report with its figures")
def get_survey_report(request, year: int, cluster: str):
    """The cluster's managers and the officers in scope (national, administrators, the regional officers
    of the cluster's regions); 404 for anyone else."""
    return report_row(who(request), _report(request, year, cluster))


class ReportPatch(Schema):
    figures: dict[str, str] = Field(default_factory=dict, description=(
        "Declared values by figure code (French or English writing); an empty string takes the declaration "
        "off (the register's value counts again). Codes not given keep their declaration."))
    note: str | None = Field(None, max_length=5000)


@router.patch("/{int:year}/reports/{cluster}", response=ReportOut, summary="Declare figures of a report (its managers)")
def update_survey_report(request, year: int, cluster: str, payload: ReportPatch):
    """Only while the report is a draft or sent back and the survey open. A figure that does not read
    is a 422 naming each one; nothing is saved then."""
    user = who(request)
    report = _report(request, year, cluster)
    check(can_edit_report(user, report))
    unknown = sorted(set(payload.figures) - set(figures.BY_CODE))
    if unknown:
        raise Problem(422, _("figures: unknown figure codes %(codes)s") % {"codes": ", ".join(unknown)})
    entries = {**report.declared, **payload.figures}
    errors = services.save_figures(user, report, entries, payload.note)
    if errors:
        language = _language()
        raise Problem(422, _("Invalid input — %(errors)s") % {"errors": "; ".join(
            f"figures.{code}: {reason.text(language)}" for code, reason in errors.items())},
            errors=[{"loc": ["figures", code], "msg": reason.text(language), "type": "invalid"}
                    for code, reason in errors.items()])
    return report_row(user, _report(request, year, cluster))


class TransitionIn(Schema):
    action: str = Field(..., max_length=40, description="submit (managers), send_back or validate (officers in scope).")
    comment: str = Field("", max_length=5000, description="What to correct (required to send back).")


def refused_problem(refusal: Refused) -> Problem:
    """A refused transition: 403 when the caller is no actor of it, else 409; every reason in both languages."""
    return Problem(403 if refusal.forbidden else 409, refusal.text(_language()),
                   reasons=[r.as_dict() for r in refusal.reasons])


@router.post("/{int:year}/reports/{cluster}/transitions", response=ReportOut,
             summary="Submit, send back or validate a report")
def transition_survey_report(request, year: int, cluster: str, payload: TransitionIn):
    """The one transition service of the pages: 422 for an unknown action, 403 when the caller is no
    actor of it, 409 with every reason when it may not run now (wrong state, survey closed, a figure
    that does not read, no comment to send back). Audited and notified as on the pages."""
    user = who(request)
    report = _report(request, year, cluster)
    if payload.action not in REPORT.by_action:
        raise Problem(422, _("action: unknown action “%(action)s”; expected one of %(actions)s.")
                      % {"action": payload.action, "actions": ", ".join(sorted(REPORT.by_action))})
    try:
        services.transition(report, payload.action, user, comment=payload.comment, channel="api")
    except Refused as refusal:
        raise refused_problem(refusal) from refusal
    return report_row(user, _report(request, year, cluster))


@router.get("/{int:year}/reports/{cluster}/snapshot", response=dict[str, Any],
            summary="The validated report as frozen (every figure, who and when)")
def get_survey_snapshot(request, year: int, cluster: str):
    """404 until the report is validated."""
    report = _report(request, year, cluster)
    if not report.snapshot:
        raise Http404(_("This report is not validated yet: it has no snapshot."))
    return report.snapshot


