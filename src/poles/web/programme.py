"""Key figures of many clusters at once, for the programme view and the comparison."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum

from poles.access.fieldlevels import Level
from poles.access.permissions import levels_for
from poles.projects.models import Funding, Project, ProjectCluster
from poles.registry.models import ClusterYear
from poles.web.directory import ClusterSummary, summaries


@dataclass(frozen=True)
class ClusterRow:
    """One cluster's line in the programme table (confidential figures included: officers only)."""

    summary: ClusterSummary
    projects: int
    projects_labelled: int
    funding: Decimal
    total_cost: Decimal
    budget_year: int | None
    budget_total: Decimal | None
    private_share: Decimal | None
    staff_fte: Decimal | None

    @property
    def sme_share(self) -> Decimal | None:
        s = self.summary
        return Decimal(s.sme_members) / s.members if s.members else None

    def sort_value(self, key: str):
        """The value this row sorts by for a column key (missing values sort first)."""
        values = {
            "name": self.summary.name.lower(),
            "members": self.summary.members,
            "sme_share": self.sme_share,
            "projects": self.projects,
            "funding": self.funding,
            "private_share": self.private_share,
            "label": {"gold": 3, "silver": 2, "bronze": 1}.get(self.summary.label_level, 0),
        }
        value = values[key]
        return (value is not None, value if value is not None else 0)


def confidential_ids(user, clusters) -> list[int]:
    """Clusters in scope whose confidential figures the user reads (all of an officer's, by the rules)."""
    levels = levels_for(user, list(clusters))
    return [pk for pk, level in levels.items() if level >= Level.CONFIDENTIAL]


SORT_KEYS = ("name", "members", "sme_share", "projects", "funding", "private_share", "label")


def cluster_rows(cluster_ids: list[int] | set[int]) -> list[ClusterRow]:
    """The programme figures of these clusters, in a fixed number of queries."""
    ids = set(cluster_ids)
    links = (
        ProjectCluster.objects.filter(cluster_id__in=ids).values("cluster_id")
        .annotate(n=Count("project_id", distinct=True),
                  labelled=Count("project_id", filter=Q(role=ProjectCluster.Role.LABELLED), distinct=True))
    )
    projects = {row["cluster_id"]: row for row in links}
    funding = dict(
        Funding.objects.filter(project__cluster_links__cluster_id__in=ids)
        .values("project__cluster_links__cluster_id").annotate(t=Sum("amount"))
        .values_list("project__cluster_links__cluster_id", "t")
    )
    cost = dict(
        Project.objects.filter(cluster_links__cluster_id__in=ids)
        .values("cluster_links__cluster_id").annotate(t=Sum("total_cost"))
        .values_list("cluster_links__cluster_id", "t")
    )
    latest: dict[int, ClusterYear] = {}
    for year in ClusterYear.objects.filter(cluster_id__in=ids).order_by("cluster_id", "year"):
        latest[year.cluster_id] = year
    rows = []
    empty: dict = defaultdict(int)
    for s in summaries():
        if s.id not in ids:
            continue
        year = latest.get(s.id)
        link = projects.get(s.id, empty)
        rows.append(ClusterRow(
            summary=s, projects=link["n"], projects_labelled=link["labelled"],
            funding=funding.get(s.id) or Decimal(0), total_cost=cost.get(s.id) or Decimal(0),
            budget_year=year.year if year else None,
            budget_total=year.budget_total if year else None,
            private_share=year.private_share if year else None,
            staff_fte=year.staff_fte if year else None,
        ))
    return rows


def sort_rows(rows: list[ClusterRow], sort: str) -> tuple[list[ClusterRow], str]:
    """Rows sorted by a column key, '-' for descending; an unknown key sorts by name."""
    key = sort.lstrip("-")
    if key not in SORT_KEYS:
        sort, key = "name", "name"
    return sorted(rows, key=lambda r: r.sort_value(key), reverse=sort.startswith("-")), sort
