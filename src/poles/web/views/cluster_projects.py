"""The projects a cluster labels or accompanies, with consortium and funding."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from poles.access.fieldlevels import fields_at
from poles.access.permissions import level_for, visible
from poles.projects.models import Funding, Participation, Project, ProjectCluster
from poles.web.access import paginate, workspace_cluster
from poles.web.views.workspace import workspace_context


@login_required
def workspace_projects(request: HttpRequest, slug: str) -> HttpResponse:
    """Every project linked to the cluster (published or not), its partners and its funding."""
    cluster = workspace_cluster(request, slug)
    level = level_for(request.user, cluster)
    links = (
        ProjectCluster.objects.filter(cluster=cluster, project__in=visible(request.user, Project))
        .select_related("project").order_by("-project__start_date", "project__acronym")
    )
    page = paginate(request, links, per_page=20)
    ids = [link.project_id for link in page.object_list]
    partners: dict[int, list[Participation]] = defaultdict(list)
    for p in (
        visible(request.user, Participation.objects.filter(project_id__in=ids))
        .select_related("organisation").order_by("role", "organisation__name")
    ):
        partners[p.project_id].append(p)
    show_amounts = "amount" in fields_at(Funding, level)
    funding = {}
    if show_amounts:
        funding = dict(
            Funding.objects.filter(project_id__in=ids).values("project_id")
            .annotate(t=Sum("amount")).values_list("project_id", "t")
        )
    show_cost = "total_cost" in fields_at(Project, level)
    rows = [
        {
            "link": link, "project": link.project, "partners": partners.get(link.project_id, []),
            "funding": funding.get(link.project_id), "cost": link.project.total_cost if show_cost else None,
        }
        for link in page.object_list
    ]
    return render(request, "web/workspace/projects.html", workspace_context(
        request, cluster, rows=rows, page=page, show_amounts=show_amounts, show_cost=show_cost,
    ))
