"""The cluster's audit trail: who created, changed or deleted what, and through which channel."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from poles.access.permissions import visible
from poles.core.models import AuditEntry
from poles.web.access import paginate, workspace_cluster
from poles.web.views.workspace import workspace_context


@login_required
def workspace_audit(request: HttpRequest, slug: str) -> HttpResponse:
    """The entries filed under the cluster that the user may read (managers and admins)."""
    cluster = workspace_cluster(request, slug)
    entries = visible(request.user, AuditEntry).filter(cluster_id=cluster.pk).select_related("user")
    return render(request, "web/workspace/audit.html", workspace_context(
        request, cluster, page=paginate(request, entries.order_by("-at"), per_page=50),
    ))
