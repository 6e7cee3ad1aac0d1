"""The register's figures of a cluster's year, as the survey pre-fills them: ONE function, `prefill`.

Until the indicator engine (`poles.indicators`) lands, the figures come from the figure functions
the pages already use (`poles.web.figures.member_counts` for members by category, `ClusterYear`
for staff and budget) and from plain aggregates over the register for the rest; switching to the
engine changes this module only. Values are strings of decimals (`figures.as_text`), None where
the register holds nothing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q, Sum

from poles.projects.models import Funding, Project, ProjectCluster
from poles.registry.models import Cluster, ClusterEUProject, ClusterYear, Membership
from poles.survey.figures import BUDGET_SOURCES, FUNDERS, INSTRUMENTS, MEMBER_CATEGORIES, as_text
from poles.web.figures import ACTIVE, member_counts

FUNDED = (Project.Status.FUNDED, Project.Status.RUNNING, Project.Status.COMPLETED)
SUBMITTED = (Project.Status.SUBMITTED, Project.Status.LABELLED, *FUNDED)


def _members(cluster: Cluster, year: int) -> dict[str, str | None]:
    counts = member_counts(year, cluster.pk)
    values: dict[str, str | None] = {"members_total": as_text(sum(counts.values()))}
    values |= {f"members_{code}": as_text(counts.get(code, 0)) for code, _fr, _en in MEMBER_CATEGORIES}
    active = Membership.objects.filter(cluster=cluster, status__in=ACTIVE)
    this = set(active.filter(year=year).values_list("organisation_id", flat=True))
    before = set(active.filter(year=year - 1).values_list("organisation_id", flat=True))
    values["members_new"] = as_text(len(this - before))
    values["members_leaving"] = as_text(len(before - this))
    return values


def _staff_and_budget(cluster: Cluster, year: int) -> dict[str, str | None]:
    row = ClusterYear.objects.filter(cluster=cluster, year=year).first()
    codes = ["staff_fte", "international_fte", *(code for code, *_ in BUDGET_SOURCES)]
    return {code: as_text(getattr(row, code)) if row is not None else None for code in codes}


def _projects_of_year(cluster: Cluster, year: int):
    """The cluster's projects of the year: the link's year, else the project's start year."""
    links = ProjectCluster.objects.filter(cluster=cluster).filter(
        Q(year=year) | Q(year__isnull=True, project__start_date__year=year))
    return Project.objects.filter(pk__in=links.values("project_id"))


def _projects(cluster: Cluster, year: int) -> dict[str, str | None]:
    projects = _projects_of_year(cluster, year)
    labelled = ProjectCluster.objects.filter(cluster=cluster, role=ProjectCluster.Role.LABELLED,
                                             project__in=projects).count()
    counts = projects.aggregate(
        submitted=Count("pk", filter=Q(status__in=SUBMITTED)),
        funded=Count("pk", filter=Q(status__in=FUNDED)),
        completed=Count("pk", filter=Q(status=Project.Status.COMPLETED)),
        products=Sum("products_to_market"), patents=Sum("patents"), jobs=Sum("jobs_created"),
    )
    return {
        "projects_labelled": as_text(labelled),
        "projects_submitted": as_text(counts["submitted"]),
        "projects_funded": as_text(counts["funded"]),
        "projects_completed": as_text(counts["completed"]),
        "products_to_market": as_text(counts["products"] or 0),
        "patents": as_text(counts["patents"] or 0),
        "jobs_created": as_text(counts["jobs"] or 0),
    }


def _funding(cluster: Cluster, year: int) -> dict[str, str | None]:
    """Funding obtained in the year (the funding's year, else its project's start year) by funder and instrument."""
    fundings = Funding.objects.filter(project__cluster_links__cluster=cluster).filter(
        Q(year=year) | Q(year__isnull=True, project__start_date__year=year))
    by_funder = dict(fundings.values("funder").annotate(t=Sum("amount")).values_list("funder", "t").order_by())
    by_instrument = dict(fundings.values("instrument").annotate(t=Sum("amount"))
                         .values_list("instrument", "t").order_by())
    values = {f"funding_{code}": as_text(by_funder.get(code) or Decimal(0)) for code, _fr, _en in FUNDERS}
    values |= {f"instrument_{code}": as_text(by_instrument.get(code) or Decimal(0)) for code, _fr, _en in INSTRUMENTS}
    values["eu_amount"] = values["funding_eu"]
    values["eu_projects"] = as_text(ClusterEUProject.objects.filter(cluster=cluster, ongoing=True).count())
    return values


def prefill(cluster: Cluster, year: int) -> dict[str, str | None]:
    """Every figure of the survey's catalogue for one cluster and year, from the register."""
    return {**_members(cluster, year), **_staff_and_budget(cluster, year), **_projects(cluster, year),
            **_funding(cluster, year)}
