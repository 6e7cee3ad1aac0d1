"""The figures the dashboards and reports show, per cluster and year, read from the register at a date.

This is the one adapter between the steering pages and the register: every chart, table and report
takes its numbers from `year_figures` (and `series`), computed in a fixed number of aggregate
queries whatever the number of clusters. When the indicator engine (`poles.indicators`) is on
main, these functions delegate to it; callers do not change.

"At a date" (`as_of`): projects count when they started on or before it, fundings when dated on or
before it (undated ones by their year); memberships and yearly budgets are those recorded for the
year. Same register, same year and date → same figures (the report prints their fingerprint).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from poles.projects.models import Funding, ProjectCluster
from poles.registry.models import Certification, Cluster, ClusterYear, Membership
from poles.web.figures import SME, category_of

BUDGET_SOURCES = ("budget_membership_fees", "budget_services", "budget_state", "budget_regions",
                  "budget_other_public", "budget_eu")
PRIVATE_SOURCES = ("budget_membership_fees", "budget_services")
PUBLIC_INDICATORS = ("members", "sme_share", "staff_fte", "projects")
"""Indicators whose value for one cluster anyone may read; the others only the cluster's team and
officers in scope, and the public only as aggregates of at least `stats.MINIMUM_CLUSTERS` clusters."""
CONFIDENTIAL_INDICATORS = ("projects_all", "funding", "budget_total", "private_share")
INDICATORS = PUBLIC_INDICATORS + CONFIDENTIAL_INDICATORS
CACHE_SECONDS = 300


def indicator_labels() -> dict[str, tuple[str, str]]:
    """Each indicator's translated label and unit."""
    return {
        "members": (_("Member organisations"), "count"),
        "sme_share": (_("Share of SMEs among members"), "share"),
        "staff_fte": (_("Staff (FTE)"), "count"),
        "projects": (_("Published projects started"), "count"),
        "projects_all": (_("Projects started"), "count"),
        "funding": (_("Public funding obtained by projects"), "eur"),
        "budget_total": (_("Budget of the cluster"), "eur"),
        "private_share": (_("Private share of the budget"), "share"),
    }


@dataclass
class Figures:
    """One cluster's figures for one year, at a date."""

    cluster_id: int
    year: int
    members: int = 0
    categories: Counter[str] = field(default_factory=Counter)
    sme_members: int = 0
    staff_fte: Decimal | None = None
    projects: int = 0
    """Published projects the cluster labelled or accompanied that started in the year."""
    projects_all: int = 0
    """All its projects that started in the year (confidential ones included)."""
    funded_projects: int = 0
    funding: Decimal = Decimal(0)
    """Public funding obtained in the year by the cluster's projects."""
    budget: dict[str, Decimal] = field(default_factory=dict)

    @property
    def sme_share(self) -> Decimal | None:
        return Decimal(self.sme_members) / self.members if self.members else None

    @property
    def budget_total(self) -> Decimal | None:
        return sum(self.budget.values(), Decimal(0)) if self.budget else None

    @property
    def private_share(self) -> Decimal | None:
        total = self.budget_total
        if not total:
            return None
        return sum((self.budget[s] for s in PRIVATE_SOURCES), Decimal(0)) / total

    def value(self, indicator: str) -> Decimal | int | None:
        """The value of one indicator by its code."""
        if indicator not in INDICATORS:
            raise ValueError(f"indicator: expected one of {', '.join(INDICATORS)}, found {indicator!r}")
        return getattr(self, indicator)

    def as_dict(self) -> dict[str, object]:
        """Every figure as plain values (for the fingerprint and the spreadsheets)."""
        return {
            "cluster": self.cluster_id, "year": self.year, "members": self.members,
            "categories": dict(sorted(self.categories.items())), "sme_members": self.sme_members,
            "staff_fte": self.staff_fte, "projects": self.projects, "projects_all": self.projects_all,
            "funded_projects": self.funded_projects, "funding": self.funding,
            "budget": dict(sorted(self.budget.items())),
        }


def end_of(year: int) -> dt.date:
    """The default date of a year's figures: its last day."""
    return dt.date(year, 12, 31)


def year_figures(year: int, as_of: dt.date | None = None, cluster_ids: list[int] | set[int] | None = None,
                 ) -> dict[int, Figures]:
    """Figures of `year` at `as_of` for these clusters (all when None), by cluster id."""
    as_of = as_of or end_of(year)
    clusters = Cluster.objects.all() if cluster_ids is None else Cluster.objects.filter(pk__in=list(cluster_ids))
    ids = list(clusters.values_list("pk", flat=True))
    out = {pk: Figures(pk, year) for pk in ids}
    _members(out, year)
    _projects(out, year, as_of)
    _funding(out, year, as_of)
    for row in ClusterYear.objects.filter(cluster_id__in=ids, year=year).values("cluster_id", "staff_fte",
                                                                                  *BUDGET_SOURCES):
        f = out[row["cluster_id"]]
        f.staff_fte = row["staff_fte"]
        f.budget = {s: row[s] for s in BUDGET_SOURCES}
    return out


def _members(out: dict[int, Figures], year: int) -> None:
    rows = (Membership.objects.filter(cluster_id__in=list(out), year=year, status=Membership.Status.MEMBER)
            .values("cluster_id", "organisation__kind", "organisation__size_category")
            .annotate(n=Count("organisation_id", distinct=True)).order_by())
    for row in rows:
        f = out[row["cluster_id"]]
        code = category_of(row["organisation__kind"], row["organisation__size_category"])
        f.categories[code] += row["n"]
        f.members += row["n"]
        if code in SME:
            f.sme_members += row["n"]


def _projects(out: dict[int, Figures], year: int, as_of: dt.date) -> None:
    rows = (ProjectCluster.objects.filter(cluster_id__in=list(out), project__start_date__year=year,
                                          project__start_date__lte=as_of)
            .values("cluster_id")
            .annotate(all=Count("project_id", distinct=True),
                      public=Count("project_id", filter=Q(project__is_public=True), distinct=True))
            .order_by())
    for row in rows:
        out[row["cluster_id"]].projects_all = row["all"]
        out[row["cluster_id"]].projects = row["public"]


def _funding(out: dict[int, Figures], year: int, as_of: dt.date) -> None:
    dated = Q(date__isnull=False, date__year=year, date__lte=as_of)
    undated = Q(date__isnull=True, year=year) if year <= as_of.year else Q(pk__in=[])
    rows = (Funding.objects.filter(dated | undated, project__cluster_links__cluster_id__in=list(out))
            .values("project__cluster_links__cluster_id")
            .annotate(t=Sum("amount"), n=Count("project_id", distinct=True)).order_by())
    for row in rows:
        f = out[row["project__cluster_links__cluster_id"]]
        f.funding, f.funded_projects = row["t"] or Decimal(0), row["n"]


def series(years: list[int], as_of: dt.date | None = None, cluster_ids: list[int] | set[int] | None = None,
           ) -> dict[int, dict[int, Figures]]:
    """`year_figures` for several years ({year: {cluster id: figures}}), each bounded by `as_of`."""
    return {y: year_figures(y, min(as_of, end_of(y)) if as_of else None, cluster_ids) for y in years}


def funding_by_funder(year: int, as_of: dt.date, cluster_ids: list[int]) -> list[tuple[str, int, Decimal]]:
    """(funder, projects, amount) of the year's fundings of these clusters' projects, largest first."""
    dated = Q(date__isnull=False, date__year=year, date__lte=as_of)
    undated = Q(date__isnull=True, year=year) if year <= as_of.year else Q(pk__in=[])
    rows = (Funding.objects.filter(dated | undated, project__cluster_links__cluster_id__in=cluster_ids)
            .values("funder").annotate(n=Count("project_id", distinct=True), t=Sum("amount"))
            .order_by("-t", "funder"))
    return [(row["funder"], row["n"], row["t"] or Decimal(0)) for row in rows]


def phase_clusters() -> dict[str, set[int]]:
    """Clusters certified for each phase (with or without conditions), by phase code."""
    out: dict[str, set[int]] = defaultdict(set)
    for phase, cluster in Certification.objects.filter(
        outcome__in=[Certification.Outcome.CERTIFIED, Certification.Outcome.CONDITIONAL]
    ).values_list("phase_id", "cluster_id"):
        out[phase].add(cluster)
    return dict(out)


def years_with_members() -> list[int]:
    """The years for which memberships are recorded, up to the programme's current year (cached)."""
    from django.core.cache import cache

    from poles.core.rendered import generational

    key = generational("reports:years")
    found = cache.get(key)
    if found is None:
        found = _years_with_members()
        cache.set(key, found, CACHE_SECONDS)
    return found


def _years_with_members() -> list[int]:
    from poles.registry.programme import current_year

    return sorted(set(Membership.objects.filter(year__lte=current_year()).values_list("year", flat=True)
                      .distinct().order_by()))



def cached_year_figures(year: int) -> dict[int, Figures]:
    """`year_figures` of the year at its last day, kept in the shared cache until the register changes."""
    from django.core.cache import cache

    from poles.core.rendered import generational

    key = generational(f"reports:figures:{year}")
    found = cache.get(key)
    if found is None:
        found = year_figures(year)
        cache.set(key, found, CACHE_SECONDS)
    return found
