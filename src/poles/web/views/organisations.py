"""Add or edit a member organisation; its size category computed from its figures, shown live."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from poles.core import audit
from poles.core.permissions import check, visible
from poles.registry.models import Membership, Organisation, OrganisationFigures
from poles.registry.names import name_key
from poles.registry.services import refresh_size_categories
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


def organisation_key(siren: str | None, name: str, city: str) -> str:
    """The register's natural key: the SIREN when known, else the normalised name and city."""
    return f"siren:{siren}" if siren else name_key(name, city)


def _latest_figures(organisation: Organisation) -> dict:
    row = OrganisationFigures.objects.filter(organisation=organisation).order_by("-year").first()
    if row is None:
        return {}
    return {"figures_year": row.year, **{f: getattr(row, f) for f in FIGURE_FIELDS}}


def _save(request: HttpRequest, form: OrganisationForm, cluster, membership_form: MembershipForm | None):
    """Write the organisation, its figures and (when new) its membership, with audit entries."""
    data = form.cleaned_data
    created = form.instance.pk is None
    before = None if created else Organisation.objects.get(pk=form.instance.pk)
    organisation = form.save(commit=False)
    organisation.key = organisation_key(organisation.siren, organisation.name, organisation.city)
    with transaction.atomic():
        organisation.save()
        if data.get("figures_year"):
            OrganisationFigures.objects.update_or_create(
                organisation=organisation, year=data["figures_year"],
                defaults={f: data.get(f) for f in FIGURE_FIELDS},
            )
        refresh_size_categories([organisation.pk])
        organisation.refresh_from_db()
        audit.record(request.user, "create" if created else "update", organisation,
                     audit.diff_instances(before, organisation), "page", cluster_id=cluster.pk)
        if membership_form is not None:
            m = membership_form.cleaned_data
            membership = Membership.objects.create(
                organisation=organisation, cluster=cluster, year=m["year"], status=m["status"],
                fee_invoiced=m.get("fee_invoiced") or 0,
            )
            audit.record(request.user, "create", membership, audit.diff_instances(None, membership),
                         "page", cluster_id=cluster.pk)
    return organisation


def _key_taken(form: OrganisationForm) -> bool:
    data = form.cleaned_data
    key = organisation_key(data.get("siren"), data.get("name", ""), data.get("city", ""))
    others = Organisation.objects.filter(key=key)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        form.add_error("name", _("An organisation with this name and city is already in the register: give its SIREN or edit it."))
        return True
    return False


@login_required
def organisation_new(request: HttpRequest, slug: str) -> HttpResponse:
    """A new organisation and its membership of the cluster."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "create", Organisation, cluster=cluster)
    check(request.user, "create", Membership, cluster=cluster)
    from poles.web.figures import latest_member_year

    form = OrganisationForm(request.POST or None)
    membership_form = MembershipForm(
        request.POST or None, initial={"year": latest_member_year(cluster.pk), "status": Membership.Status.MEMBER}
    )
    if request.method == "POST" and form.is_valid() and membership_form.is_valid() and not _key_taken(form):
        organisation = _save(request, form, cluster, membership_form)
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
    if request.method == "POST" and form.is_valid() and not _key_taken(form):
        _save(request, form, cluster, None)
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
