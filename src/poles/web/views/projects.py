"""The project showcase (public projects, filters) and a project's page with its consortium."""

from __future__ import annotations

from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from poles.access.fieldlevels import Level, fields_at
from poles.access.permissions import level_for, levels_for, visible
from poles.calls.followup import published_awards
from poles.calls.models import LabellingRequest
from poles.projects.filters import filter_projects
from poles.projects.models import Funding, Participation, Project, ProjectCluster
from poles.web.access import paginate
from poles.web.fields import readable, readable_rows
from poles.web.forms import ProjectFilterForm, valid_params
from poles.web.pagecache import public_page


@public_page
def projects(request: HttpRequest) -> HttpResponse:
    """Published projects only, whoever reads: the showcase is the public face."""
    form = ProjectFilterForm(request.GET or None)
    qs = filter_projects(visible(request.user, Project).filter(is_public=True), valid_params(form))
    qs = qs.prefetch_related("clusters").order_by("-start_date", "acronym")
    page = paginate(request, qs)
    context = {"form": form, "page": page, "total": page.paginator.count}
    if request.htmx:
        return render(request, "web/partials/project_results.html", context)
    return render(request, "web/projects.html", context)


def label_decisions(project: Project) -> dict[int, LabellingRequest]:
    """The calls' label decisions behind the project's clusters (date, with or without conditions), by cluster."""
    return {r.cluster_id: r for r in LabellingRequest.objects.filter(
        application__project=project, decided_at__isnull=False,
        status__in=[LabellingRequest.Status.LABELLED, LabellingRequest.Status.CONDITIONAL])}


@public_page
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A project, its clusters, consortium and funding, at the reader's field level."""
    project = visible(request.user, Project).filter(pk=pk).select_related("call").first()
    if project is None:
        raise Http404(_("No project with this number."))
    level = level_for(request.user, project)
    participations = list(
        visible(request.user, Participation.objects.filter(project=project))
        .select_related("organisation").order_by("role", "organisation__name")
    )
    part_levels = levels_for(request.user, participations)
    consortium = [
        readable(p, part_levels.get(p.pk, Level.PUBLIC), {"organisation": p.organisation})
        for p in participations
    ]
    fundings = readable_rows(
        visible(request.user, Funding.objects.filter(project=project)).order_by("date", "funder"), level
    )
    # a call's grant is published with its signed agreement, whatever the reader's level on other fundings
    awards = published_awards(request.user, project)
    for row in fundings:
        award = awards.get(row["pk"])
        if award is not None:
            row.update(amount=award.amount, award=award)
    funding_total = None
    if "amount" in fields_at(Funding, level):
        funding_total = Funding.objects.filter(project=project).aggregate(t=Sum("amount"))["t"]
    links = list(ProjectCluster.objects.filter(project=project).select_related("cluster").order_by("cluster__name"))
    decided = label_decisions(project)
    for link in links:
        link.label_decision = decided.get(link.cluster_id)
    return render(request, "web/project_detail.html", {
        "project": readable(project, level, {"call": project.call}),
        "clusters": links,
        "consortium": consortium,
        "show_budget": any("budget" in row for row in consortium),
        "fundings": fundings,
        "show_amount": "amount" in fields_at(Funding, level) or bool(awards),
        "funding_total": funding_total,
    })
