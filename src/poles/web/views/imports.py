"""Bulk import of a member list from the workspace, with the CLI's row-level report."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from poles.access.permissions import check
from poles.imports.members import MEMBERS
from poles.imports.template_files import explanations, template_csv, template_xlsx
from poles.registry.models import Membership
from poles.registry.programme import current_year, latest_member_year
from poles.web import importjobs
from poles.web.access import workspace_cluster
from poles.web.exports import XLSX_TYPE
from poles.web.forms import ImportForm
from poles.web.models import ImportJob
from poles.web.views.workspace import workspace_context


@login_required
def workspace_import(request: HttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV/XLSX of members: it is checked row by row, and imported only when clean."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "import", Membership, cluster=cluster)
    year = latest_member_year(cluster.pk) or current_year()
    form = ImportForm(request.POST or None, request.FILES or None, initial={"year": year},
                      refused=getattr(request, "refused_uploads", None))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        job = ImportJob.objects.create(
            cluster=cluster, user=request.user, file_name=upload.name[:255], content=content,
            size=len(content), year=form.cleaned_data["year"], dry_run=form.cleaned_data["dry_run"],
        )
        importjobs.start(job)
        return redirect("workspace_import_job", slug=cluster.slug, pk=job.pk)
    jobs = ImportJob.objects.filter(cluster=cluster).defer("content", "report")[:10]
    return render(request, "web/workspace/import.html", workspace_context(
        request, cluster, form=form, jobs=jobs, explanations=explanations(MEMBERS)))


@login_required
def workspace_import_template(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """An empty member list to fill in (CSV or XLSX), its headers in the interface's language."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "import", Membership, cluster=cluster)
    filename = _("members-template")
    if fmt == "xlsx":
        response = HttpResponse(template_xlsx(MEMBERS), content_type=XLSX_TYPE)
    elif fmt == "csv":
        response = HttpResponse(template_csv(MEMBERS, get_language() or settings.LANGUAGE_CODE),
                                content_type="text/csv; charset=utf-8")
    else:
        raise Http404(_("Templates are CSV or XLSX."))
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@login_required
def workspace_import_job(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An import's progress and report; HTMX polls the status block until it is finished."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "import", Membership, cluster=cluster)
    job = ImportJob.objects.filter(pk=pk, cluster=cluster).defer("content").first()
    if job is None:
        raise Http404(_("No such import in this cluster."))
    job = importjobs.live(job)
    errors = (job.report or {}).get("errors") or []
    shown = errors[:settings.POLES_IMPORT_MAX_ERRORS]
    total = max((job.report or {}).get("error_count") or 0, len(errors))
    context = workspace_context(
        request, cluster, job=job, form=ImportForm(initial={"year": job.year}), errors=shown,
        error_count=total, errors_hidden=total - len(shown), max_attempts=ImportJob.MAX_ATTEMPTS,
    )
    if request.htmx:
        return render(request, "web/workspace/partials/import_status.html", context)
    return render(request, "web/workspace/import_job.html", context)
