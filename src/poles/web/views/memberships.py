"""Memberships and fees per year, and the renewal of a year into the next."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.access.fieldlevels import fields_at
from poles.access.permissions import check, level_for, visible
from poles.access.writes import renew_memberships
from poles.registry.models import Membership
from poles.web.access import workspace_cluster
from poles.web.views.workspace import workspace_context


@login_required
def workspace_memberships(request: HttpRequest, slug: str) -> HttpResponse:
    """Per year: members by status, fees invoiced and paid (when readable), and renewal."""
    cluster = workspace_cluster(request, slug)
    readable = set(fields_at(Membership, level_for(request.user, cluster)))
    counts = {
        f"n_{status}": Count("id", filter=Q(status=status)) for status in Membership.Status.values
    }
    sums = {}
    if {"fee_invoiced", "fee_paid"} <= readable:
        sums = {"invoiced": Sum("fee_invoiced"), "paid": Sum("fee_paid"),
                "unpaid": Count("id", filter=Q(fee_paid__lt=F("fee_invoiced")))}
    years = list(
        visible(request.user, Membership.objects.filter(cluster=cluster))
        .values("year").annotate(total=Count("id"), **counts, **sums).order_by("-year")
    )
    for row in years:
        row["by_status"] = [(label, row[f"n_{value}"]) for value, label in Membership.Status.choices]
    return render(request, "web/workspace/memberships.html", workspace_context(
        request, cluster, years=years, show_fees=bool(sums), statuses=Membership.Status.choices,
        next_year=(years[0]["year"] + 1) if years else None,
    ))


@login_required
@require_POST
def workspace_renew(request: HttpRequest, slug: str) -> HttpResponse:
    """Carry the year's members into the next year as pending, with their fee to invoice."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "create", Membership, cluster=cluster)
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Choose the year to renew."))
        return redirect("workspace_memberships", slug=cluster.slug)
    if not Membership.objects.filter(cluster=cluster, year=year).exists():
        messages.error(request, _("No membership in %(year)s to renew.") % {"year": year})
        return redirect("workspace_memberships", slug=cluster.slug)
    created, skipped = renew_memberships(request.user, cluster, year)
    messages.success(request, _("%(n)d memberships renewed from %(year)s into %(next)s (pending until paid); "
                                "%(skipped)d already there.")
                     % {"n": created, "year": year, "next": year + 1, "skipped": skipped})
    return redirect("workspace_memberships", slug=cluster.slug)
