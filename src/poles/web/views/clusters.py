"""The cluster directory (filters, text search, HTMX refresh) and the public cluster profile."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from poles.access.fieldlevels import Level, fields_at
from poles.access.permissions import level_for, visible
from poles.projects.models import Project
from poles.registry.filters import filter_clusters
from poles.registry.models import (
    Certification,
    Cluster,
    ClusterContact,
    ClusterEUProject,
    ClusterYear,
    Label,
    Membership,
)
from poles.registry.programme import latest_member_year
from poles.search.results import cluster_ids
from poles.web.access import paginate
from poles.web.chartdata import cluster_members, cluster_projects, rendered
from poles.web.directory import summaries, theme_choices
from poles.web.fields import readable, readable_rows
from poles.web.forms import DirectoryForm
from poles.web.pagecache import public_page


@public_page
def directory(request: HttpRequest) -> HttpResponse:
    """Every cluster, filtered and searched (the search index, best first); HTMX requests get the results block only."""
    items = summaries()
    form = DirectoryForm(request.GET or None, themes=theme_choices(items))
    params = form.params()
    query = params.pop("q", "")
    allowed = set(filter_clusters(visible(request.user, Cluster), params).values_list("pk", flat=True))
    if query:
        by_id = {s.id: s for s in items}
        found = [by_id[pk] for pk in cluster_ids(request.user, query) if pk in allowed and pk in by_id]
    else:
        found = [s for s in items if s.id in allowed]
    context = {"form": form, "page": paginate(request, found), "total": len(found)}
    if request.htmx:
        return render(request, "web/partials/cluster_results.html", context)
    return render(request, "web/directory.html", context)


MEMBERS_PER_PAGE = 50  # the members-only list of a profile, one page at a time


@public_page
def cluster_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """What an ECCP profile shows, at the field level the reader is entitled to."""
    cluster = (
        visible(request.user, Cluster).filter(slug=slug)
        .prefetch_related("regions", "ecosystems", "head_office").first()
    )
    if cluster is None:
        raise Http404(_("No cluster with this address."))
    level = level_for(request.user, cluster)
    summary = next((s for s in summaries() if s.id == cluster.pk), None)
    today = dt.date.today()
    labels = Label.objects.filter(cluster=cluster, kind=Label.Kind.EXCELLENCE).order_by("-awarded")
    certifications = Certification.objects.filter(cluster=cluster).select_related("phase").order_by("-phase__number")
    contacts = visible(request.user, ClusterContact.objects.filter(cluster=cluster)).order_by("role")
    years = ClusterYear.objects.filter(cluster=cluster).order_by("-year")
    latest_year = years.first()
    projects = (
        visible(request.user, Project).filter(cluster_links__cluster=cluster)
        .distinct().order_by("-start_date", "acronym")
    )
    members = None
    if level >= Level.MEMBERS and summary is not None:
        members = paginate(request, (
            visible(request.user, Membership).filter(
                cluster=cluster, year=latest_member_year(cluster.pk), status=Membership.Status.MEMBER
            ).select_related("organisation").order_by("organisation__name", "pk")
        ), MEMBERS_PER_PAGE)
    return render(request, "web/cluster_profile.html", {
        "cluster": cluster,
        "summary": summary,
        "level": level,
        "levels": Level,
        "reads_workspace": level >= Level.CONFIDENTIAL,
        "budget": _budget(latest_year, level),
        "show_conditions": "conditions" in fields_at(Certification, level),
        "labels": labels,
        "current_labels": [lb for lb in labels if lb.awarded <= today and (lb.expires is None or lb.expires >= today)],
        "certifications": readable_rows(certifications, level, lambda c: {"phase": c.phase}),
        "contacts": readable_rows(contacts, level),
        "staff": readable(latest_year, level) if latest_year else None,
        "eu_projects": ClusterEUProject.objects.filter(cluster=cluster).order_by("-ongoing", "name"),
        "projects": projects[:12],
        "project_count": projects.count(),
        "published_count": projects.filter(is_public=True).count(),
        "member_year": latest_member_year(),
        "members_chart": rendered(cluster_members(request, slug), cluster=slug),
        "projects_chart": rendered(cluster_projects(request, slug), cluster=slug),
        "members": members,
    })



BUDGET_FIELDS = (
    ("budget_membership_fees", gettext_lazy("Membership fees")), ("budget_services", gettext_lazy("Services sold")),
    ("budget_state", gettext_lazy("State")), ("budget_regions", gettext_lazy("Regions")),
    ("budget_other_public", gettext_lazy("Other public")), ("budget_eu", gettext_lazy("European Union")),
)


def _budget(year: ClusterYear | None, level: Level) -> dict | None:
    """The budget lines of a cluster's year, only when every line is readable at `level`."""
    if year is None:
        return None
    readable = set(fields_at(ClusterYear, level))
    if not all(name in readable for name, _label in BUDGET_FIELDS):
        return None
    return {
        "year": year.year,
        "lines": [(label, getattr(year, name)) for name, label in BUDGET_FIELDS],
        "private_share": year.private_share,
    }
