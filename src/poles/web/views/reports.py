"""Report pages: the programme's runs (all clusters and the national synthesis) and a cluster's own report.

Runs are for the national programme officers (they read every cluster's confidential figures);
a cluster's annual report is generated on request for whoever reads its workspace.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from poles.access.permissions import may_write_programme
from poles.access.roles import scope_of
from poles.core import audit
from poles.registry.programme import FIRST_YEAR, current_year
from poles.reports import documents as D
from poles.reports import figures as F
from poles.reports import run as runs
from poles.reports.models import ReportRun
from poles.reports.pdf import PdfUnavailable
from poles.web.access import workspace_cluster

CONTENT_TYPES = {"pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _officer(request: HttpRequest) -> None:
    allowed, reason = may_write_programme(scope_of(request.user))
    if not allowed:
        raise PermissionDenied(reason)


def _read_year(text: str) -> tuple[int | None, str]:
    """(year, error) from a form's or a query's `year`."""
    try:
        year = int(text)
    except ValueError:
        return None, _("Choose a year.")
    if not FIRST_YEAR <= year <= current_year():
        return None, _("Expected a year between %(first)s and %(last)s, found %(value)s.") % {
            "first": FIRST_YEAR, "last": current_year(), "value": year}
    return year, ""


def _read_as_of(text: str) -> tuple[dt.date | None, str]:
    """(date, error) from the form's `as_of`: empty is today; a date up to today."""
    if not text.strip():
        return None, ""
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None, _("Expected a date (YYYY-MM-DD), found “%(value)s”.") % {"value": text.strip()[:40]}
    if value > D.today():
        return None, _("Expected a date up to today, found %(value)s.") % {"value": value.isoformat()}
    return value, ""


@login_required
@require_http_methods(["GET", "POST"])
def programme_reports(request: HttpRequest) -> HttpResponse:
    """The report runs, newest first, and the form that starts one for a year at a date."""
    _officer(request)
    error = ""
    years = F.years_with_members()
    if request.method == "POST":
        year, error = _read_year(request.POST.get("year", ""))
        as_of, as_of_error = _read_as_of(request.POST.get("as_of", ""))
        error = error or as_of_error
        if not error:
            run = ReportRun.objects.create(year=year, read_on=D.today(), as_of=as_of or D.today(), user=request.user,
                                           language=get_language() or "")
            audit.record(request.user, "create", run, {"year": [None, year], "as_of": [None, run.as_of]}, "page")
            runs.start(run)
            return redirect("programme_report_run", pk=run.pk)
    return render(request, "web/reports/index.html", {
        "runs": [runs.live(r) for r in ReportRun.objects.all()[:20]], "years": years,
        "default_year": years[-1] if years else current_year(), "error": error, "today": D.today(),
    })


@login_required
def programme_report_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's progress (HTMX polls it while it runs) and its files once done."""
    _officer(request)
    run = ReportRun.objects.filter(pk=pk).first()
    if run is None:
        raise Http404(_("No such report run."))
    context = {"run": runs.live(run)}
    if request.htmx:
        return render(request, "web/reports/partials/run_status.html", context)
    return render(request, "web/reports/run.html", context)


@login_required
def programme_report_file(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One file of a finished run."""
    _officer(request)
    run = ReportRun.objects.filter(pk=pk, status=ReportRun.Status.DONE).first()
    if run is None or name not in run.files:
        raise Http404(_("No such file."))
    path = runs.run_dir(run) / name
    if not path.is_file():
        raise Http404(_("No such file."))
    kind = name.rsplit(".", 1)[-1]
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"))


@login_required
def workspace_report(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's annual report for ?year= as ?format=pdf|xlsx, for its workspace's readers."""
    cluster = workspace_cluster(request, slug)
    fmt = request.GET.get("format", "pdf")
    if fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest(_("Unknown format “%(format)s”: choose pdf or xlsx.") % {"format": fmt},
                                      content_type="text/plain; charset=utf-8")
    year, error = _read_year(request.GET.get("year") or str((F.years_with_members() or [0])[-1]))
    if error:
        return HttpResponseBadRequest(error, content_type="text/plain; charset=utf-8")
    data = D.Dataset.load(year, history_of=[cluster.pk])
    info = next(c for c in data.clusters if c.id == cluster.pk)
    doc = D.cluster_report(data, info)
    try:
        content = D.to_pdf(doc) if fmt == "pdf" else D.to_xlsx(doc)
    except PdfUnavailable as unavailable:
        return HttpResponse(str(unavailable), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{doc.file_stem}.{fmt}"'
    return response
