"""Bulk import of a member list from the workspace, with the CLI's row-level report."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
            status=ImportJob.Status.PREVIEW, language=get_language() or settings.LANGUAGE_CODE,
        )
        ImportJob.objects.filter(cluster=cluster, user=request.user, status=ImportJob.Status.PREVIEW).exclude(
            pk=job.pk).delete()  # a new upload replaces the user's previews not confirmed
        importjobs.check_upload(job)
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
    if job.status == ImportJob.Status.PREVIEW:
        return render(request, "web/workspace/import_job.html", workspace_context(
            request, cluster, job=job, preview=preview_context(job.report.get("preview") or {}),
            form=ImportForm(initial={"year": job.year}), explanations=explanations(MEMBERS)))
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


def preview_context(preview: dict) -> dict:
    """The stored preview with each column's label in the reader's language and the rows' headers."""
    columns = [{**c, "label": MEMBERS.label(c["key"]) if c.get("key") else ""} for c in preview.get("columns", [])]
    return {**preview, "columns": columns, "used": [c["header"] for c in columns if c.get("key")],
            "blocked": bool(preview.get("missing") or preview.get("unreadable"))}


@login_required
@require_POST
def workspace_import_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Import a previewed file: the job is queued (once) and its page follows it."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "import", Membership, cluster=cluster)
    job = ImportJob.objects.filter(pk=pk, cluster=cluster).defer("content", "report").first()
    if job is None:
        raise Http404(_("No such import in this cluster."))
    importjobs.confirm(job)
    return redirect("workspace_import_job", slug=cluster.slug, pk=job.pk)


@login_required
@require_POST
def workspace_import_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Drop a previewed file without importing it."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "import", Membership, cluster=cluster)
    job = ImportJob.objects.filter(pk=pk, cluster=cluster).only("pk", "status").first()
    if job is None:
        raise Http404(_("No such import in this cluster."))
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEW).delete()
    return redirect("workspace_import", slug=cluster.slug)
