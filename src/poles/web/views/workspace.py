"""The cluster workspace's entry: the clusters one manages, and a cluster's key figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from poles.access.fieldlevels import Level, fields_at
from poles.access.permissions import level_for
from poles.registry.models import ClusterYear
from poles.web.access import can_change, workspace_cluster
from poles.web.figures import cluster_figures
from poles.web.navigation import as_links, workspace_tabs
from poles.web.spaces import spaces_of


def workspace_context(request: HttpRequest, cluster, **extra) -> dict:
    """What every workspace page needs: the cluster, whether the user may write, the tabs they may use."""
    return {"cluster": cluster, "may_change": can_change(request, cluster),
            "workspace_tabs": as_links(workspace_tabs(request.user, cluster), request), **extra}


@login_required
def workspace_index(request: HttpRequest) -> HttpResponse:
    """Straight to the workspace of one's cluster, or the list when one manages several."""
    clusters = spaces_of(request.user).clusters
    if len(clusters) == 1:
        return redirect("workspace", slug=clusters[0].slug)
    return render(request, "web/workspace/index.html", {"clusters": clusters})


@login_required
def workspace(request: HttpRequest, slug: str) -> HttpResponse:
    """The cluster's own key figures from the register."""
    cluster = workspace_cluster(request, slug)
    figures = cluster_figures(cluster)
    budget_fields = fields_at(ClusterYear, level_for(request.user, cluster))
    show_budget = figures.budget is not None and "budget_state" in budget_fields
    return render(request, "web/workspace/home.html", workspace_context(
        request, cluster, figures=figures, show_budget=show_budget, levels=Level,
    ))
