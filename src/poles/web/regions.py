"""A region's figures for its officers: its clusters' programme rows and the region's totals."""

from __future__ import annotations

from dataclasses import dataclass, field

from poles.access.fieldlevels import Level
from poles.access.permissions import levels_for
from poles.projects.models import ProjectCluster
from poles.registry.models import Cluster, Membership
from poles.registry.programme import latest_member_year
from poles.web.programme import ClusterRow, cluster_rows, sort_rows


@dataclass
class RegionFigures:
    """The clusters of a region (the rows of the programme table) and what they add up to."""

    rows: list[ClusterRow] = field(default_factory=list)
    member_year: int | None = None
    members: int = 0
    """Distinct member organisations of the region's clusters in the reporting year."""
    projects: int = 0
    """Distinct projects linked to the region's clusters."""


def region_figures(user, cluster_ids: list[int]) -> RegionFigures:
    """The region's clusters that `user` reads at the confidential level, with the region's totals.

    A member counts once however many of the region's clusters it belongs to, and so does a
    project (a project two of the region's clusters label is one project).
    """
    clusters = list(Cluster.objects.filter(pk__in=cluster_ids))
    levels = levels_for(user, clusters)
    ids = sorted(pk for pk, level in levels.items() if level >= Level.CONFIDENTIAL)
    rows, _sort = sort_rows(cluster_rows(ids), "name")
    year = latest_member_year()
    members = 0
    if year is not None and ids:
        members = (Membership.objects.filter(cluster_id__in=ids, year=year, status=Membership.Status.MEMBER)
                   .values("organisation_id").distinct().count())
    projects = ProjectCluster.objects.filter(cluster_id__in=ids).values("project_id").distinct().count()
    return RegionFigures(rows=rows, member_year=year, members=members, projects=projects)
