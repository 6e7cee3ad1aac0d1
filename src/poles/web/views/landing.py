"""Each role's home: where a login lands (`navigation.home_for`), the regional officer's region
overview, the representative's organisation page and the reviewer's inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from poles.access.fieldlevels import readable_fields
from poles.access.models import Grant
from poles.access.permissions import visible
from poles.access.roles import Role, scope_of
from poles.registry.models import Cluster, Membership, Organisation, OrganisationFigures
from poles.territories.models import Region
from poles.web.factsheet import factsheet_tables
from poles.web.navigation import home_for
from poles.web.pagecache import personal_page
from poles.web.regions import region_figures


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    """Straight to the home page of the user's role."""
    return redirect(home_for(request.user))


def _regions_in_scope(request: HttpRequest):
    scope = scope_of(request.user)
    regions = Region.objects.filter(clusters__isnull=False).distinct().order_by("name")
    if scope.sees_all:
        return regions
    if scope.region_codes:
        return regions.filter(code__in=sorted(scope.region_codes))
    raise PermissionDenied(_("The region overview is for regional and national officers."))


@login_required
def region_index(request: HttpRequest) -> HttpResponse:
    """The regions one oversees: straight to one's region, or the list."""
    regions = list(_regions_in_scope(request))
    if len(regions) == 1:
        return redirect("region_overview", code=regions[0].code)
    return render(request, "web/regions/index.html", {"regions": regions})


@login_required
def region_overview(request: HttpRequest, code: str) -> HttpResponse:
    """A region's clusters with their key figures, its members and projects (the officers in scope)."""
    region = _regions_in_scope(request).filter(code=code).first()
    if region is None:
        if Region.objects.filter(code=code).exists():
            raise PermissionDenied(_("This region is outside your scope."))
        raise Http404(_("No region with this code."))
    clusters = visible(request.user, Cluster).filter(regions=region)
    figures = region_figures(request.user, list(clusters.values_list("pk", flat=True)))
    return render(request, "web/regions/overview.html", {"region": region, "figures": figures,
                                                          **factsheet_tables(region)})


def _represented(request: HttpRequest):
    scope = scope_of(request.user)
    if not scope.organisation_ids:
        raise PermissionDenied(_("This page is for member representatives."))
    return Organisation.objects.filter(pk__in=sorted(scope.organisation_ids)).order_by("name")


@login_required
def my_organisations(request: HttpRequest) -> HttpResponse:
    """The organisations one represents: straight to the one, or the list."""
    organisations = list(_represented(request))
    if len(organisations) == 1:
        return redirect("my_organisation", pk=organisations[0].pk)
    return render(request, "web/me/organisations.html", {"organisations": organisations})


PROFILE_FIELDS = ("siren", "siret", "kind", "size_category", "address", "postcode", "city", "website")


@login_required
def my_organisation(request: HttpRequest, pk: int) -> HttpResponse:
    """One represented organisation: its record at the representative's level, its memberships, figures."""
    organisation = _represented(request).filter(pk=pk).first()
    if organisation is None:
        raise Http404(_("You do not represent this organisation."))
    readable = set(readable_fields(request.user, organisation))
    fields = []
    for name in PROFILE_FIELDS:
        if name not in readable:
            continue
        model_field = Organisation._meta.get_field(name)
        display = getattr(organisation, f"get_{name}_display", None)
        value = display() if callable(display) and model_field.choices else getattr(organisation, name)
        fields.append((model_field.verbose_name, value))
    memberships = (visible(request.user, Membership).filter(organisation=organisation)
                   .select_related("cluster").order_by("-year", "cluster__name"))
    figures = visible(request.user, OrganisationFigures).filter(organisation=organisation).order_by("-year")[:5]
    grants = Grant.objects.filter(user=request.user, role=Role.MEMBER, organisation=organisation,
                                  status=Grant.Status.ACTIVE).select_related("cluster")
    try:
        public_url = reverse("organisation", args=[organisation.pk])
    except NoReverseMatch:
        public_url = ""
    return render(request, "web/me/organisation.html", {
        "organisation": organisation, "fields": fields, "memberships": memberships, "figures": figures,
        "grants": grants, "public_url": public_url,
    })


@login_required
def reviewer_inbox(request: HttpRequest) -> HttpResponse:
    """The files assigned to the reviewer (only theirs, 50 a page), their own review's state, and their roles."""
    from poles.calls.views.reviewer import inbox

    scope = scope_of(request.user)
    if not scope.is_reviewer:
        raise PermissionDenied(_("This inbox is for reviewers."))
    def make() -> HttpResponse:
        page, counts = inbox(request)
        grants = Grant.objects.filter(user=request.user, role=Role.REVIEWER).select_related("created_by")
        return render(request, "web/me/reviews.html", {"page": page, "counts": counts, "grants": grants})

    return personal_page(request, make)
