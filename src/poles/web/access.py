"""Shared view helpers: the workspace gate, the programme scope and pagination."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from poles.access.permissions import Level, check, level_for, visible
from poles.access.roles import scope_of
from poles.registry.models import Cluster

PAGE_SIZE = 24


def workspace_cluster(request: HttpRequest, slug: str) -> Cluster:
    """The cluster of a workspace page, for its managers and the officers in scope only."""
    cluster = visible(request.user, Cluster).filter(slug=slug).first()
    if cluster is None:
        raise Http404(_("No cluster with this address."))
    check(request.user, "view", cluster)
    if level_for(request.user, cluster) < Level.CONFIDENTIAL:
        raise PermissionDenied(_("The workspace is for the cluster's team and the officers in scope."))
    return cluster


def can_change(request: HttpRequest, cluster: Cluster) -> bool:
    """Whether the user may write the cluster's data (its managers and admins)."""
    from poles.access.permissions import can

    return can(request.user, "change", cluster)[0]


def programme_clusters(request: HttpRequest) -> QuerySet[Cluster]:
    """The clusters an officer's programme view covers: all for national officers, else theirs."""
    scope = scope_of(request.user)
    if not scope.is_authenticated:
        raise PermissionDenied(_("Log in first."))
    qs = visible(request.user, Cluster)
    if scope.sees_all:
        return qs
    if scope.region_codes:
        return qs.filter(pk__in=scope.regional_cluster_ids)
    raise PermissionDenied(_("The programme view is for national and regional officers."))


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of a list; a page number out of range gives the last page."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))
