"""Add or edit a member organisation through the shared write services; its size category shown live."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from poles.access import writes
from poles.access.permissions import check, visible
from poles.registry.models import Membership, Organisation, OrganisationFigures
from poles.web.access import workspace_cluster
from poles.web.forms import (
    SIZE_LABELS,
    CategoryPreviewForm,
    MembershipForm,
    OrganisationForm,
    category_from,
)
from poles.web.views.workspace import workspace_context

FIGURE_FIELDS = ("staff", "turnover", "balance_sheet")


def _latest_figures(organisation: Organisation) -> dict:
    row = OrganisationFigures.objects.filter(organisation=organisation).order_by("-year").first()
    if row is None:
        return {}
    return {"figures_year": row.year, **{f: getattr(row, f) for f in FIGURE_FIELDS}}


def _figures(data: dict) -> dict | None:
    """The figures part of the form as the write services take it (None when not given)."""
    if not data.get("figures_year"):
        return None
    return {"year": data["figures_year"], **{f: data.get(f) for f in FIGURE_FIELDS}}


def _fields(form: OrganisationForm) -> dict:
    return {name: form.cleaned_data.get(name) for name in OrganisationForm.Meta.fields}


def _report(form: OrganisationForm, error: Exception) -> None:
    """A refusal of the write service shown on the form, next to the field when it names one."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, str(error.messages[0] if isinstance(error, ValidationError) else error))


@login_required
def organisation_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new organisation and its membership of the cluster."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "create", Organisation, cluster=cluster)
    check(request.user, "create", Membership, cluster=cluster)
    from poles.registry.programme import latest_member_year

    form = OrganisationForm(request.POST or None, initial={"kind": Organisation.Kind.COMPANY})
    membership_form = MembershipForm(
        request.POST or None, initial={"year": latest_member_year(cluster.pk), "status": Membership.Status.MEMBER}
    )
    if request.method == "POST" and form.is_valid() and membership_form.is_valid():
        m = membership_form.cleaned_data
        try:
            with transaction.atomic():
                organisation = writes.create_organisation(
                    request.user, _fields(form), cluster=cluster, year=m["year"],
                    figures=_figures(form.cleaned_data),
                )
                membership = Membership.objects.get(organisation=organisation, cluster=cluster, year=m["year"])
                writes.update_membership(request.user, membership, {
                    "status": m["status"], "fee_invoiced": m.get("fee_invoiced"),
                })
        except (writes.Conflict, ValidationError) as error:
            _report(form, error)
        else:
            messages.success(request, _("%(name)s added to the members.") % {"name": organisation.name})
            return redirect("workspace_members", slug=cluster.slug)
    return render(request, "web/workspace/organisation_form.html", workspace_context(
        request, cluster, form=form, membership_form=membership_form, organisation=None,
        category=_preview(form),
    ))


@login_required
def organisation_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Edit a member organisation of the cluster."""
    cluster = workspace_cluster(request, slug)
    organisation = (
        visible(request.user, Organisation).filter(pk=pk, memberships__cluster=cluster).distinct().first()
    )
    if organisation is None:
        raise Http404(_("No such member organisation in this cluster."))
    check(request.user, "change", organisation)
    form = OrganisationForm(request.POST or None, instance=organisation, initial=_latest_figures(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            stored = Organisation.objects.get(pk=organisation.pk)  # the form has already changed `organisation`
            writes.update_organisation(request.user, stored, _fields(form), figures=_figures(form.cleaned_data))
        except (writes.Conflict, ValidationError) as error:
            _report(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": organisation.name})
            return redirect("workspace_members", slug=cluster.slug)
    return render(request, "web/workspace/organisation_form.html", workspace_context(
        request, cluster, form=form, membership_form=None, organisation=organisation,
        category=_preview(form),
    ))


def _preview(form) -> str:
    """The category the figures in a (bound or initial) form give."""
    source = form.data if form.is_bound else form.initial
    preview = CategoryPreviewForm({
        "kind": source.get("kind") or getattr(form.instance, "kind", ""),
        **{f: source.get(f) or "" for f in FIGURE_FIELDS},
    })
    return _category_text(preview)


def _category_text(preview: CategoryPreviewForm) -> str:
    if not preview.is_valid():
        return _("Figures not understood yet: give numbers.")
    data = preview.cleaned_data
    if data.get("kind") and data["kind"] != Organisation.Kind.COMPANY:
        return _("Not a company: no size category.")
    category = category_from(data.get("staff"), data.get("turnover"), data.get("balance_sheet"))
    return str(SIZE_LABELS[category.value])


@login_required
def organisation_category(request: HttpRequest, slug: str) -> HttpResponse:
    """HTMX: the size category the figures typed so far give (EU 2003/361, décret 2008-1354)."""
    workspace_cluster(request, slug)
    preview = CategoryPreviewForm(request.GET)
    return render(request, "web/workspace/partials/category.html", {"category": _category_text(preview)})
