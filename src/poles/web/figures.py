"""Key figures computed from the register: the programme's (home) and one cluster's (workspace).

Aggregates of confidential amounts are published only when they cover at least
`DISCLOSURE_MINIMUM` projects (the statistical-secrecy rule), so that no total reveals one
project's amount.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, Q, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from poles.indicators import engine
from poles.projects.models import Funder, Funding, Project, ProjectCluster
from poles.registry.categories import SizeCategory
from poles.registry.models import Cluster, ClusterYear, Membership, Organisation
from poles.registry.programme import latest_member_year
from poles.web.pagecache import generational

DISCLOSURE_MINIMUM = 3
CACHE_SECONDS = 120
ACTIVE = (Membership.Status.MEMBER,)

CATEGORY_LABELS = {
    "micro": _("micro-enterprises"),
    "small": _("small enterprises"),
    "medium": _("medium-sized enterprises"),
    "eti": _("mid-caps (ETI)"),
    "large": _("large companies"),
    "unknown": _("companies of unknown size"),
    Organisation.Kind.RESEARCH: _("research organisations"),
    Organisation.Kind.EDUCATION: _("higher education and training"),
    Organisation.Kind.TECH_CENTRE: _("technology centres"),
    Organisation.Kind.PUBLIC: _("public bodies"),
    Organisation.Kind.ASSOCIATION: _("associations"),
    Organisation.Kind.OTHER: _("other organisations"),
}
CATEGORY_ORDER = list(CATEGORY_LABELS)
SME = {c.value for c in SizeCategory if c.is_sme}


def category_of(kind: str, size_category: str) -> str:
    """The member category shown in figures: the size class for companies, else the kind."""
    return size_category if kind == Organisation.Kind.COMPANY else kind


@dataclass(frozen=True)
class Share:
    """One category's count and its share of the whole."""

    code: str
    label: str | Promise
    count: int
    share: Decimal | None


@dataclass
class ProgrammeFigures:
    """What the home page tells about the programme."""

    clusters: int = 0
    regions: int = 0
    members: int = 0
    member_year: int | None = None
    sme_members: int = 0
    categories: list[Share] = field(default_factory=list)
    public_projects: int = 0
    funded_projects: int = 0
    funding_total: Decimal | None = None
    funding_by_funder: list[tuple[str | Promise, int, Decimal | None]] = field(default_factory=list)

    @property
    def sme_share(self) -> Decimal | None:
        return Decimal(self.sme_members) / self.members if self.members else None


def shares(counts: Counter[str]) -> list[Share]:
    """Counts by category as shares of their total, in the fixed category order."""
    total = sum(counts.values())
    return [
        Share(code, CATEGORY_LABELS.get(code, code), counts[code],
              Decimal(counts[code]) / total if total else None)
        for code in CATEGORY_ORDER
        if counts.get(code)
    ]


CATEGORY_CODES = tuple(f"members_{code}" for code in CATEGORY_ORDER)


def member_counts(year: int | None, cluster_id: int | None = None) -> Counter[str]:
    """Distinct active member organisations of a year by category (the indicator engine's `members_*`)."""
    if year is None:
        return Counter()
    values = engine.aggregate([year], CATEGORY_CODES, cluster_ids=None if cluster_id is None else [cluster_id])[year]
    return Counter({code.removeprefix("members_"): n for code, n in values.items() if n})


def disclosed(total: Decimal | None, projects: int) -> Decimal | None:
    """A total of amounts, or None when it covers too few projects to be published."""
    if total is None or projects < DISCLOSURE_MINIMUM:
        return None
    return total


def programme_figures() -> ProgrammeFigures:
    """The programme's key figures from the register, cached for a short while."""
    key = generational("web:programme-figures")
    cached = cache.get(key)
    if cached is not None:
        return cached
    figures = ProgrammeFigures()
    figures.clusters = Cluster.objects.filter(status=Cluster.Status.ACTIVE).count()
    figures.regions = (
        Cluster.regions.through.objects.filter(cluster__status=Cluster.Status.ACTIVE)
        .values("region_id").distinct().count()
    )
    figures.member_year = latest_member_year()
    counts = member_counts(figures.member_year)
    figures.members = sum(counts.values())
    figures.sme_members = sum(n for code, n in counts.items() if code in SME)
    figures.categories = shares(counts)
    public = Project.objects.filter(is_public=True)
    figures.public_projects = public.count()
    funded = Funding.objects.filter(project__is_public=True)
    figures.funded_projects = funded.values("project_id").distinct().count()
    total = funded.aggregate(total=Sum("amount"))["total"]
    figures.funding_total = disclosed(total, figures.funded_projects)
    labels = dict(Funder.choices)
    for row in (
        funded.values("funder").annotate(projects=Count("project_id", distinct=True), total=Sum("amount"))
        .order_by("-total")
    ):
        figures.funding_by_funder.append(
            (labels.get(row["funder"], row["funder"]), row["projects"],
             disclosed(row["total"], row["projects"]))
        )
    cache.set(key, figures, CACHE_SECONDS)
    return figures


@dataclass
class ClusterFigures:
    """One cluster's key figures, for its team and the officers in scope."""

    year: int | None = None
    members: int = 0
    sme_members: int = 0
    categories: list[Share] = field(default_factory=list)
    fees_invoiced: Decimal = Decimal(0)
    fees_paid: Decimal = Decimal(0)
    projects_labelled: int = 0
    projects_accompanied: int = 0
    funding_total: Decimal = Decimal(0)
    total_cost: Decimal = Decimal(0)
    budget: ClusterYear | None = None

    @property
    def sme_share(self) -> Decimal | None:
        return Decimal(self.sme_members) / self.members if self.members else None


def cluster_figures(cluster: Cluster) -> ClusterFigures:
    """Members by category, fees, projects, funding and the latest budget of one cluster.

    Members are counted in the programme's reporting year, as on the profile, the directory and
    the programme table, so the same cluster shows the same count on every page.
    """
    figures = ClusterFigures(year=latest_member_year())
    counts = member_counts(figures.year, cluster.pk)
    figures.members = sum(counts.values())
    figures.sme_members = sum(n for code, n in counts.items() if code in SME)
    figures.categories = shares(counts)
    fees = Membership.objects.filter(cluster=cluster, year=figures.year).aggregate(
        invoiced=Sum("fee_invoiced"), paid=Sum("fee_paid")
    )
    figures.fees_invoiced = fees["invoiced"] or Decimal(0)
    figures.fees_paid = fees["paid"] or Decimal(0)
    links = ProjectCluster.objects.filter(cluster=cluster).aggregate(
        labelled=Count("id", filter=Q(role=ProjectCluster.Role.LABELLED)),
        accompanied=Count("id", filter=Q(role=ProjectCluster.Role.ACCOMPANIED)),
    )
    figures.projects_labelled = links["labelled"]
    figures.projects_accompanied = links["accompanied"]
    project_ids = ProjectCluster.objects.filter(cluster=cluster).values("project_id")
    figures.funding_total = (
        Funding.objects.filter(project_id__in=project_ids).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    )
    figures.total_cost = (
        Project.objects.filter(pk__in=project_ids).aggregate(t=Sum("total_cost"))["t"] or Decimal(0)
    )
    figures.budget = ClusterYear.objects.filter(cluster=cluster).order_by("-year").first()
    return figures


SERIES_FIRST_YEAR = 2019


def member_series(cluster_id: int | None = None) -> list[tuple[int, int]]:
    """Active members per year from 2019 to the reporting year (the indicator engine's `members`).

    The last point is the key figure (`ProgrammeFigures.members`, a cluster summary's `members`).
    """
    last = latest_member_year()
    if last is None or last < SERIES_FIRST_YEAR:
        return []
    by_year = engine.aggregate(range(SERIES_FIRST_YEAR, last + 1), ["members"],
                               cluster_ids=None if cluster_id is None else [cluster_id])
    counts = {year: values["members"] for year, values in by_year.items() if values["members"]}
    if not counts:
        return []
    return [(year, counts.get(year, 0)) for year in range(min(counts), last + 1)]


def project_series(links) -> tuple[list[int], dict[str, list[int]], int]:
    """Projects by start year and by the cluster's role, from ProjectCluster rows the reader may see.

    Returns the years, the counts per role aligned on them, and how many projects have no start date.
    """
    rows = list(links.values_list("project__start_date", "role"))
    years = sorted({d.year for d, _role in rows if d is not None})
    span = list(range(years[0], years[-1] + 1)) if years else []
    counts = {role: [0] * len(span) for role in ProjectCluster.Role.values}
    undated = 0
    for start, role in rows:
        if start is None:
            undated += 1
            continue
        counts[role][span.index(start.year)] += 1
    return span, counts, undated


@dataclass(frozen=True)
class RegionFigures:
    """What the map says of one region: its clusters, their members, projects and funding."""

    clusters: int = 0
    members: int = 0
    projects: int = 0
    funded_projects: int = 0
    funding: Decimal | None = None


def region_figures(summaries, allowed: set[int]) -> dict[str, RegionFigures]:
    """Figures by region code for the active clusters in `allowed` (a cluster in two regions counts in both).

    Members are the clusters' members (the directory's counts); projects are published ones, each
    counted once per region; funding is theirs, withheld under `DISCLOSURE_MINIMUM` funded projects.
    """
    active = [s for s in summaries if s.id in allowed and s.status == Cluster.Status.ACTIVE]
    regions_of = {s.id: s.region_codes for s in active}
    projects: dict[str, set[int]] = {}
    for project_id, cluster_id in ProjectCluster.objects.filter(
        cluster_id__in=list(regions_of), project__is_public=True
    ).values_list("project_id", "cluster_id"):
        for code in regions_of[cluster_id]:
            projects.setdefault(code, set()).add(project_id)
    funded_ids = {pid for ids in projects.values() for pid in ids}
    amounts = dict(
        Funding.objects.filter(project_id__in=funded_ids).values("project_id").annotate(t=Sum("amount"))
        .values_list("project_id", "t").order_by()
    )
    out: dict[str, RegionFigures] = {}
    for code in {c for codes in regions_of.values() for c in codes}:
        here = [s for s in active if code in s.region_codes]
        ids = projects.get(code, set())
        funded = [amounts[pid] for pid in ids if pid in amounts]
        out[code] = RegionFigures(
            clusters=len(here), members=sum(s.members for s in here), projects=len(ids),
            funded_projects=len(funded), funding=disclosed(sum(funded, Decimal(0)), len(funded)),
        )
    return out
