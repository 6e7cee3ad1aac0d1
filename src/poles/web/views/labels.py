"""Excellence labels: the cluster workspace's page to record them, the programme's follow-up page
(labels expiring within 90 days, clusters whose phase requires a label they do not hold) and its export."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.access import writes
from poles.access.permissions import can, check
from poles.registry.labelrules import EXPIRY_WINDOW_DAYS
from poles.registry.labelstatus import expiring_labels, missing_requirements
from poles.registry.models import Label
from poles.web.access import programme_clusters, workspace_cluster
from poles.web.exports import FORMATS, Column, dialect_for, table_response
from poles.web.labelforms import LabelForm
from poles.web.templatetags.web import level_name
from poles.web.views.workspace import workspace_context


def _labels(cluster):
    return Label.objects.filter(cluster=cluster, kind=Label.Kind.EXCELLENCE).order_by("-awarded", "-pk")


def _may_record(request: HttpRequest, cluster) -> bool:
    return can(request.user, "create", Label, cluster=cluster)[0]


def _report(form: LabelForm, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        form.add_error(field if field in form.fields else None, texts)


@login_required
def workspace_labels(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's excellence labels; its managers record a new one here."""
    cluster = workspace_cluster(request, slug)
    may_record = _may_record(request, cluster)
    form = LabelForm(request.POST or None) if may_record else None
    if request.method == "POST":
        check(request.user, "create", Label, cluster=cluster)
        if form.is_valid():
            try:
                writes.save_cluster_label(request.user, cluster, form.cleaned_data)
            except ValidationError as error:
                _report(form, error)
            else:
                messages.success(request, _("The excellence label is recorded."))
                return redirect("workspace_labels", slug=cluster.slug)
    status = 400 if form is not None and form.errors else 200
    return render(request, "web/labels/workspace.html", workspace_context(
        request, cluster, labels=_labels(cluster), form=form, may_record=may_record,
        today=dt.date.today(), window=EXPIRY_WINDOW_DAYS,
    ), status=status)


def _label_of(request: HttpRequest, slug: str, pk: int):
    cluster = workspace_cluster(request, slug)
    label = _labels(cluster).filter(pk=pk).first()
    if label is None:
        raise Http404(_("No such label of this cluster."))
    check(request.user, "change", label)
    return cluster, label


@login_required
def workspace_label_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Correct a recorded label (its managers and programme officers)."""
    cluster, label = _label_of(request, slug, pk)
    form = LabelForm(request.POST) if request.method == "POST" else LabelForm.of(label)
    if request.method == "POST" and form.is_valid():
        try:
            writes.save_cluster_label(request.user, cluster, form.cleaned_data, label=label)
        except ValidationError as error:
            _report(form, error)
        else:
            messages.success(request, _("The excellence label is updated."))
            return redirect("workspace_labels", slug=cluster.slug)
    return render(request, "web/labels/edit.html", workspace_context(request, cluster, label=label, form=form),
                  status=400 if form.errors else 200)


@login_required
@require_POST
def workspace_label_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Remove a label recorded by mistake (audited)."""
    cluster, label = _label_of(request, slug, pk)
    writes.delete_cluster_label(request.user, label)
    messages.success(request, _("The excellence label is removed."))
    return redirect("workspace_labels", slug=cluster.slug)


def _follow_up(request: HttpRequest):
    ids = list(programme_clusters(request).values_list("pk", flat=True))
    today = dt.date.today()
    return today, expiring_labels(ids, today), missing_requirements(ids, today)


@login_required
def programme_labels(request: HttpRequest) -> HttpResponse:
    """Labels expiring within 90 days and clusters missing the label their phase requires (officers in scope)."""
    today, expiring, missing = _follow_up(request)
    return render(request, "web/labels/programme.html", {
        "today": today, "expiring": expiring, "missing": missing, "window": EXPIRY_WINDOW_DAYS,
    })


@login_required
def programme_labels_export(request: HttpRequest) -> HttpResponse:
    """One of the two lists as CSV or XLSX (?list=expiring|missing&format=csv|xlsx)."""
    today, expiring, missing = _follow_up(request)
    fmt = request.GET.get("format", "csv")
    fmt = fmt if fmt in FORMATS else "csv"
    if request.GET.get("list") == "missing":
        headers = [Column(_("Cluster")), Column(_("Phase")), Column(_("Level required")),
                   Column(_("Best level held")), Column(_("Checked on"))]
        rows = ([m.cluster.name, m.phase_code, level_name(m.required), level_name(m.held) if m.held else "",
                 m.checked_on] for m in missing)
        return table_response(fmt, "labels-missing", headers, rows, dialect_for(request))
    headers = [Column(_("Cluster")), Column(_("Level")), Column(_("Issuer")), Column(_("Award date")),
               Column(_("Expiry date")), Column(_("Days left"), "int")]
    rows = ([e.cluster.name, level_name(e.label.level), e.label.issuer, e.label.awarded, e.label.expires, e.days_left]
            for e in expiring)
    return table_response(fmt, "labels-expiring", headers, rows, dialect_for(request))
