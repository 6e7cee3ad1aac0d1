"""The indicator engine: every declared indicator for a scope and a year, computed in the database.

One grouped query per family of tables (memberships, employment, projects, fundings, cluster
years), never a loop over rows in Python: `compute` for one scope and year, `series` for several
years, `cluster_table` for every cluster at once (ranks, percentile ranks, the benchmark). With a
`user`, values that user may not read are withheld by the secrecy rule (`confidentiality`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractYear

from poles.indicators import asof as A
from poles.indicators import definitions as d
from poles.indicators.confidentiality import EVERYTHING, PUBLIC, Reader, may_read
from poles.projects.models import Funding, Project, ProjectCluster
from poles.registry.models import (
    Certification,
    Cluster,
    ClusterYear,
    Membership,
    OrganisationFigures,
)
from poles.registry.programme import latest_member_year

Value = int | Decimal | None
MEMBER = Membership.Status.MEMBER
SCOPE_KINDS = ("nation", "region", "cluster", "ecosystem", "phase")
CERTIFIED = (Certification.Outcome.CERTIFIED, Certification.Outcome.CONDITIONAL)
ZERO = Decimal(0)


SCOPE_PROBLEMS = {
    "kind": "scope: expected one of {kinds}, found {found}",
    "nation_key": "scope: the nation takes no key, found {found}",
    "no_key": "scope: expected {kind}:KEY, found no key",
    "empty": "scope: no cluster in {scope} (check the {kind} key)",
}
"""The English text of each scope problem; `poles.indicators.messages` says them in the reader's language."""


class ScopeError(ValueError):
    """A scope that does not parse or names nothing in the register: `problem` (a key of
    `SCOPE_PROBLEMS`) and its `params`, so that the CLI and the API translate it; str() is English."""

    def __init__(self, problem: str, **params: str) -> None:
        self.problem = problem
        self.params = params
        super().__init__(SCOPE_PROBLEMS[problem].format(**params))


@dataclass(frozen=True)
class Scope:
    """What the figures cover: the nation, a region (INSEE code), a cluster (slug), an ecosystem or a phase."""

    kind: str = "nation"
    key: str = ""

    def __post_init__(self) -> None:
        if self.kind not in SCOPE_KINDS:
            raise ScopeError("kind", kinds=", ".join(SCOPE_KINDS), found=repr(self.kind))
        if self.kind == "nation" and self.key:
            raise ScopeError("nation_key", found=repr(self.key))
        if self.kind != "nation" and not self.key:
            raise ScopeError("no_key", kind=self.kind)

    @classmethod
    def parse(cls, text: str) -> Scope:
        """'nation', 'region:84', 'cluster:aerospace-valley', 'ecosystem:digital', 'phase:V'."""
        kind, _sep, key = text.strip().partition(":")
        return cls(kind.strip().lower(), key.strip())

    def __str__(self) -> str:
        return self.kind if self.kind == "nation" else f"{self.kind}:{self.key}"


NATION = Scope()


def cluster_ids(scope: Scope) -> list[int]:
    """The clusters a scope covers (every cluster of the register for the nation)."""
    clusters = Cluster.objects.all()
    if scope.kind == "region":
        clusters = clusters.filter(regions__code=scope.key)
    elif scope.kind == "cluster":
        clusters = clusters.filter(slug=scope.key)
    elif scope.kind == "ecosystem":
        clusters = clusters.filter(ecosystems__code=scope.key)
    elif scope.kind == "phase":
        clusters = clusters.filter(certifications__phase_id=scope.key, certifications__outcome__in=CERTIFIED)
    ids = sorted(set(clusters.values_list("pk", flat=True)))
    if not ids and scope.kind != "nation":
        raise ScopeError("empty", scope=str(scope), kind=scope.kind)
    return ids


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator for one scope and year, with its context (previous year, rank, target)."""

    code: str
    year: int
    scope: Scope
    value: Value
    clusters: int = 0
    """Clusters that contribute rows to this value (the secrecy rule counts them)."""
    withheld: bool = False
    """True when the reader may not read this value (then `value` is None)."""
    previous: Value = None
    growth: Decimal | None = None
    rank: int | None = None
    peers: int | None = None
    percentile: Decimal | None = None

    @property
    def indicator(self) -> d.Indicator:
        return d.BY_CODE[self.code]

    @property
    def unit(self) -> d.Unit:
        return self.indicator.unit

    @property
    def confidential(self) -> bool:
        return self.indicator.confidential

    @property
    def target(self) -> Decimal | None:
        target = self.indicator.target
        return target.value if target else None

    @property
    def meets_target(self) -> bool | None:
        target = self.indicator.target
        return target.met(self.value) if target else None

    def label(self, lang: str = "fr") -> str:
        return self.indicator.label(lang)

    def as_dict(self, lang: str = "fr") -> dict[str, Any]:
        """A plain mapping for JSON (decimals as strings, as the API writes money)."""
        return {
            "code": self.code, "label": self.label(lang), "unit": self.unit.value,
            "year": self.year, "scope": str(self.scope), "value": plain(self.value),
            "confidential": self.confidential, "withheld": self.withheld, "clusters": self.clusters,
            "previous": plain(self.previous), "growth": plain(rounded(self.growth, 4)),
            "rank": self.rank, "peers": self.peers, "percentile": plain(rounded(self.percentile, 1)),
            "target": plain(self.target), "meets_target": self.meets_target,
        }


def rounded(value: Value, places: int) -> Value:
    """A Decimal rounded half-even to `places` decimals (ints and None unchanged)."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-places))
    return value


def presented(value: Value, unit: d.Unit) -> Value:
    """The value as every output writes it: cents for euros, 4 decimals for shares and ratios."""
    if unit is d.Unit.EUR:
        return rounded(value, 2)
    if unit in (d.Unit.SHARE, d.Unit.RATIO):
        return rounded(value, 4)
    if unit is d.Unit.FTE:
        return rounded(value, 1)
    return value


def plain(value: Value) -> int | str | None:
    return str(value) if isinstance(value, Decimal) else value


# --- the grouped queries ------------------------------------------------------------------------

Key = tuple[int | None, int]  # (cluster id, or None for the whole scope; year)
Raw = dict[Key, dict[str, Any]]


@dataclass
class _Query:
    """The clusters and years one computation covers, and whether it groups by cluster."""

    ids: list[int] | None
    years: list[int]
    by_cluster: bool
    cutoff: dt.datetime | None = None
    """Rows created at or after this instant are left out (the register as it stood; None: as it stands)."""
    raw: Raw = field(default_factory=lambda: defaultdict(dict))

    def in_scope(self, path: str) -> Q:
        return Q(**{f"{path}__in": self.ids}) if self.ids is not None else Q()

    def stood(self, prefix: str = "") -> Q:
        """The rows (through `prefix`) that stood in the register at the cut-off: created before it, or
        before creation times were kept (empty `created_at`)."""
        if self.cutoff is None:
            return Q()
        return Q(**{f"{prefix}created_at__isnull": True}) | Q(**{f"{prefix}created_at__lt": self.cutoff})

    def group(self, cluster_path: str) -> list[str]:
        return [cluster_path] if self.by_cluster else []

    def store(self, rows: Iterable[dict[str, Any]], cluster_key: str | None, year_key: str = "year") -> None:
        for row in rows:
            cluster = row.pop(cluster_key) if cluster_key and self.by_cluster else None
            if cluster_key and not self.by_cluster:
                row.pop(cluster_key, None)
            year = row.pop(year_key)
            self.raw[(cluster, year)].update(row)

    def start_range(self, path: str) -> Q:
        return Q(**{f"{path}__gte": dt.date(min(self.years), 1, 1),
                    f"{path}__lt": dt.date(max(self.years) + 1, 1, 1)})


def _category(code: str, prefix: str = "organisation__") -> Q:
    if code in d.COMPANY_SIZES:
        return Q(**{f"{prefix}kind": "company", f"{prefix}size_category": code})
    return Q(**{f"{prefix}kind": code})


def _same_scope_membership(q: _Query, year_shift: int) -> Exists:
    """A member row of the same organisation in the scope (same cluster when grouping) `year_shift` away."""
    rows = Membership.objects.filter(
        q.stood(), organisation_id=OuterRef("organisation_id"), year=OuterRef("year") + year_shift, status=MEMBER,
    )
    rows = rows.filter(cluster_id=OuterRef("cluster_id")) if q.by_cluster else rows.filter(q.in_scope("cluster_id"))
    return Exists(rows)


def _organisations(q: _Query, condition: Q | None = None) -> Count:
    """Member organisations meeting `condition`: distinct over a scope; within one cluster and year an
    organisation has one membership row (the unique constraint), so rows are counted, which is faster."""
    if q.by_cluster:
        return Count("id", filter=condition)
    return Count("organisation_id", distinct=True, filter=condition)


def _members(q: _Query) -> None:
    base = Membership.objects.filter(q.in_scope("cluster_id"), q.stood(), year__in=q.years).order_by()
    member = Q(status=MEMBER)
    totals: dict[str, Any] = {
        "memberships": Count("id", filter=member), "fees_invoiced": Sum("fee_invoiced"), "fees_paid": Sum("fee_paid"),
    }
    if not q.by_cluster:
        totals["clusters"] = Count("cluster_id", distinct=True, filter=member)
    q.store(_by_cluster(q, base).values("year", *q.group("group_cluster")).annotate(**totals), "group_cluster")
    # Members by category: one group per (year, [cluster,] kind, size class). An organisation has one
    # kind and one size class, so the distinct counts of the groups add up to the distinct members.
    mix = (
        _by_cluster(q, base.filter(member))
        .values("year", *q.group("group_cluster"), "organisation__kind", "organisation__size_category")
        .annotate(n=_organisations(q), new=_organisations(q, ~Q(_same_scope_membership(q, -1))))
    )
    for row in mix:
        key = (row["group_cluster"] if q.by_cluster else None, row["year"])
        kind, size = row["organisation__kind"], row["organisation__size_category"]
        code = f"members_{size if kind == 'company' else kind}"
        values = q.raw[key]
        for name, n in ((code, row["n"]), ("members", row["n"]), ("members_new", row["new"])):
            values[name] = values.get(name, 0) + n
        if q.by_cluster:
            values["clusters"] = 1
    leaving = Membership.objects.filter(q.in_scope("cluster_id"), q.stood(), year__in=[y - 1 for y in q.years],
                                        status=MEMBER)
    leaving = (
        _by_cluster(q, leaving.order_by()).annotate(report_year=F("year") + 1)
        .values("report_year", *q.group("group_cluster"))
        .annotate(members_leaving=_organisations(q, ~Q(_same_scope_membership(q, +1))))
    )
    q.store(leaving, "group_cluster", "report_year")


def _by_cluster(q: _Query, memberships: QuerySet) -> QuerySet:
    """Memberships with the cluster to group by as `group_cluster` = `cluster_id + 0`: SQLite then scans the table and
    sorts once rather than walking the (cluster, year) index with a random read per row (4× faster)."""
    return memberships.annotate(group_cluster=F("cluster_id") + 0) if q.by_cluster else memberships


def _employment(q: _Query) -> None:
    if q.by_cluster:
        _employment_by_cluster(q)
        return
    latest_staff = Subquery(
        OrganisationFigures.objects.filter(q.stood(), organisation_id=OuterRef("organisation_id"), staff__isnull=False)
        .order_by("-year").values("staff")[:1]
    )
    rows = Membership.objects.filter(q.in_scope("cluster_id"), q.stood(), year__in=q.years, status=MEMBER).order_by()
    if not q.by_cluster:  # each organisation once per year: keep its first membership row of the scope
        earlier = Membership.objects.filter(
            q.in_scope("cluster_id"), q.stood(), organisation_id=OuterRef("organisation_id"), year=OuterRef("year"),
            status=MEMBER, pk__lt=OuterRef("pk"),
        )
        rows = rows.filter(~Exists(earlier))
    rows = rows.annotate(staff=latest_staff).values("year", *q.group("cluster_id")).annotate(
        member_employment=Sum("staff"))
    q.store(rows, "cluster_id")


def _employment_by_cluster(q: _Query) -> None:
    """Employment per cluster from each organisation's latest figures row joined to its memberships
    (one subquery per figures row rather than per membership)."""
    later = OrganisationFigures.objects.filter(
        q.stood(), organisation_id=OuterRef("organisation_id"), staff__isnull=False, year__gt=OuterRef("year"))
    membership = "organisation__memberships__"
    rows = (
        OrganisationFigures.objects.filter(  # one filter call: every condition on the same membership row
            ~Exists(later), q.stood(), q.in_scope(f"{membership}cluster_id") & q.stood(membership),
            staff__isnull=False, **{f"{membership}year__in": q.years, f"{membership}status": MEMBER},
        )
        .order_by().values(member_year=F(f"{membership}year"), cluster=F(f"{membership}cluster_id") + 0)
        .annotate(member_employment=Sum("staff"))
    )
    q.store(rows, "cluster", "member_year")


def _linked(q: _Query, **extra: Any) -> Exists:
    return Exists(ProjectCluster.objects.filter(q.in_scope("cluster_id"), q.stood(), project_id=OuterRef("pk"),
                                                **extra))


def _public_aid(prefix: str = "") -> Q:
    return Q(**{f"{prefix}instrument__in": d.PUBLIC_AID_INSTRUMENTS}) & ~Q(**{f"{prefix}funder__in": d.PRIVATE_FUNDERS})


def _aided(q: _Query, outer: str) -> Exists:
    return Exists(Funding.objects.filter(_public_aid(), q.stood(), project_id=OuterRef(outer)))


def _projects(q: _Query) -> None:
    sums = ("total_cost", "rd_expenditure", "products_to_market", "patents", "jobs_created")
    if q.by_cluster:
        base = ProjectCluster.objects.filter(q.in_scope("cluster_id"), q.start_range("project__start_date"),
                                             q.stood(), q.stood("project__"))
        p = "project__"
        ident = "project_id"
        labelled = Q(role=ProjectCluster.Role.LABELLED)
        rows = base.order_by().annotate(start_year=ExtractYear("project__start_date"), aided=_aided(q, "project_id"))
    else:
        base = Project.objects.filter(_linked(q), q.start_range("start_date"), q.stood())
        p = ""
        ident = "id"
        labelled = Q(_linked(q, role=ProjectCluster.Role.LABELLED))
        rows = base.order_by().annotate(start_year=ExtractYear("start_date"), aided=_aided(q, "pk"))
        links = (
            ProjectCluster.objects.filter(q.in_scope("cluster_id"), q.start_range("project__start_date"),
                                          q.stood(), q.stood("project__"))
            .order_by().annotate(start_year=ExtractYear("project__start_date"))
            .values("start_year").annotate(project_clusters=Count("cluster_id", distinct=True))
        )
        q.store(links, None, "start_year")
    annotations: dict[str, Any] = {
        "projects": Count(ident),
        "projects_labelled": Count(ident, filter=labelled),
        "projects_submitted": Count(ident, filter=Q(**{f"{p}status": Project.Status.SUBMITTED})),
        "projects_funded": Count(ident, filter=Q(**{f"{p}status__in": d.FUNDED_STATUSES})),
        "projects_completed": Count(ident, filter=Q(**{f"{p}status": Project.Status.COMPLETED})),
        "_rd_aided": Sum(f"{p}rd_expenditure", filter=Q(aided=True)),
    }
    for name in sums:
        annotations["projects_total_cost" if name == "total_cost" else name] = Sum(f"{p}{name}")
    q.store(rows.values("start_year", *q.group("cluster_id")).annotate(**annotations), "cluster_id", "start_year")


def _funding(q: _Query) -> None:
    if q.by_cluster:
        rows = Funding.objects.filter(
            q.start_range("project__start_date"),
            q.in_scope("project__cluster_links__cluster_id") & q.stood("project__cluster_links__"),
            project__cluster_links__isnull=False,
        ).annotate(cluster_id=F("project__cluster_links__cluster_id"))
    else:
        in_scope = Exists(ProjectCluster.objects.filter(q.in_scope("cluster_id"), q.stood(),
                                                        project_id=OuterRef("project_id")))
        rows = Funding.objects.filter(in_scope, q.start_range("project__start_date"))
    rows = rows.filter(q.stood(), q.stood("project__")).order_by().annotate(start_year=ExtractYear("project__start_date"))
    annotations: dict[str, Any] = {
        "funding_total": Sum("amount"),
        "public_aid": Sum("amount", filter=_public_aid()),
        "_aid_with_rd": Sum("amount", filter=_public_aid() & Q(project__rd_expenditure__isnull=False)),
        "eu_funding": Sum("amount", filter=Q(funder="eu")),
        "eu_projects": Count("project_id", distinct=True, filter=Q(funder="eu")),
    }
    for code, _fr, _en in d.FUNDERS:
        annotations[f"funding_{code}"] = Sum("amount", filter=Q(funder=code))
    for code, _fr, _en in d.INSTRUMENTS:
        annotations["funding_equity" if code == "equity" else f"funding_{code}s"] = Sum(
            "amount", filter=Q(instrument=code))
    q.store(rows.values("start_year", *q.group("cluster_id")).annotate(**annotations), "cluster_id", "start_year")


def _budget(q: _Query) -> None:
    annotations: dict[str, Any] = {name: Sum(name) for name, *_rest in d.BUDGET_PARTS}
    annotations.update(staff_fte=Sum("staff_fte"), international_fte=Sum("international_fte"),
                       budget_clusters=Count("cluster_id", distinct=True))
    rows = ClusterYear.objects.filter(q.in_scope("cluster_id"), q.stood(), year__in=q.years).order_by()
    q.store(rows.values("year", *q.group("cluster_id")).annotate(**annotations), "cluster_id")


RUNNERS = {
    d.Family.CLUSTERS: _members, d.Family.MEMBERS: _members, d.Family.EMPLOYMENT: _employment,
    d.Family.PROJECTS: _projects, d.Family.FUNDING: _funding, d.Family.BUDGET: _budget,
}
NEEDS = {  # derived values read other families' rows
    "leverage": {d.Family.PROJECTS},
}


def _ratio(top: Value, bottom: Value) -> Decimal | None:
    if top is None or not bottom:
        return None
    return Decimal(top) / Decimal(bottom)


def _derive(row: dict[str, Any]) -> dict[str, Any]:
    """Values computed from the grouped sums of one (cluster, year): mixes, totals, shares, leverage."""
    out = dict(row)
    get = row.get
    out["members_sme"] = (get("members_small") or 0) + (get("members_medium") or 0)
    out["members_eti_large"] = (get("members_eti") or 0) + (get("members_large") or 0)
    members = get("members") or 0
    out["share_micro"] = _ratio(get("members_micro") or 0, members)
    out["share_sme"] = _ratio(out["members_sme"], members)
    out["share_research"] = _ratio(get("members_research") or 0, members)
    out["share_eti_large"] = _ratio(out["members_eti_large"], members)
    parts = [get(name) for name, *_rest in d.BUDGET_PARTS]
    if get("budget_clusters"):
        out["budget_total"] = sum((p or ZERO for p in parts), ZERO)
        out["budget_private"] = sum((get(n) or ZERO for n, _f, _e, private in d.BUDGET_PARTS if private), ZERO)
        out["private_share"] = _ratio(out["budget_private"], out["budget_total"])
    out["leverage"] = _ratio(get("_rd_aided"), get("_aid_with_rd"))
    return out


ZERO_WHEN_EMPTY = {d.Family.CLUSTERS, d.Family.MEMBERS, d.Family.PROJECTS}


def _value(ind: d.Indicator, row: dict[str, Any]) -> Value:
    """An indicator's value from a derived row: counts of nothing are 0, sums of nothing None."""
    value = row.get(ind.code)
    if value is None and ind.unit is d.Unit.COUNT and ind.family in ZERO_WHEN_EMPTY:
        return 0
    if value is None and ind.family is d.Family.FUNDING and ind.unit is d.Unit.COUNT:
        return 0
    if value is None and ind.family is d.Family.FUNDING and ind.unit is d.Unit.EUR and row.get("projects"):
        return presented(ZERO, ind.unit)
    return presented(value, ind.unit)


def _contributors(ind: d.Indicator, row: dict[str, Any], by_cluster: bool) -> int:
    if ind.family is d.Family.BUDGET:
        n = row.get("budget_clusters")
    elif ind.family in (d.Family.PROJECTS, d.Family.FUNDING):
        n = row.get("project_clusters") if not by_cluster else (1 if row.get("projects") else 0)
    else:
        n = row.get("clusters")
    return int(n or 0)


def _families(indicators: Iterable[d.Indicator]) -> set[d.Family]:
    families = set()
    for ind in indicators:
        families.add(ind.family)
        families |= NEEDS.get(ind.code, set())
        if ind.family is d.Family.BUDGET or ind.family is d.Family.FUNDING:
            families.add(d.Family.PROJECTS)  # contributors and "no project → no amount"
    families.add(d.Family.MEMBERS)  # contributors of member figures
    return families


def _run(ids: list[int] | None, years: list[int], by_cluster: bool, indicators: tuple[d.Indicator, ...],
         cutoff: dt.datetime | None = None) -> Raw:
    return {key: _derive(row) for key, row in _collect(ids, years, by_cluster, indicators, cutoff).items()}


def _collect(ids: list[int] | None, years: list[int], by_cluster: bool, indicators: tuple[d.Indicator, ...],
             cutoff: dt.datetime | None = None) -> Raw:
    """The grouped sums of the register's rows (as they stood at `cutoff` when given), before derivation."""
    q = _Query(ids=ids, years=sorted(set(years)), by_cluster=by_cluster, cutoff=cutoff)
    if not q.years:
        return {}
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The planner prices the grouped scans with their EXISTS high enough to compile them
            # (JIT), which costs more than the queries themselves (2 s of 3 on the demo register).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        done = set()
        for family in sorted(_families(indicators)):
            runner = RUNNERS[family]
            if runner in done:
                continue
            done.add(runner)
            runner(q)
    return dict(q.raw)


# --- public interface ---------------------------------------------------------------------------

def latest_year() -> int | None:
    """The reporting year: the latest year up to the programme's current one with members."""
    return latest_member_year()


def first_year() -> int | None:
    """The first year with members in the register."""
    return Membership.objects.filter(status=MEMBER).order_by("year").values_list("year", flat=True).first()


EVERY_VALUE: Any = object()
"""The default `user` of `compute` and `series`: no secrecy rule (CLI, reports made by the programme).
Pass the reader's user (None or anonymous for the public) to apply it."""


def reader_of(user: Any) -> Reader:
    """The secrecy rule's view of a user (None or anonymous: the public)."""
    from poles.access.roles import scope_of

    if user is None:
        return PUBLIC
    scope = scope_of(user)
    return Reader(sees_all=scope.sees_all, confidential_cluster_ids=frozenset(scope.confidential_cluster_ids))


def _values(
    scope: Scope, ids: list[int], years: list[int], raw: Raw, indicators: tuple[d.Indicator, ...],
    reader: Reader, cluster: int | None = None,
) -> dict[int, list[IndicatorValue]]:
    out: dict[int, list[IndicatorValue]] = {}
    by_cluster = cluster is not None
    for year in years:
        row = raw.get((cluster, year), {})
        before = raw.get((cluster, year - 1))
        values = []
        for ind in indicators:
            value = _value(ind, row)
            previous = _value(ind, before) if before is not None else None
            n = _contributors(ind, row, by_cluster)
            allowed = may_read(reader, confidential=ind.confidential, scope_cluster_ids=ids, contributors=n)
            growth = (_ratio(Decimal(value) - Decimal(previous), previous)
                      if value is not None and previous else None)
            item = IndicatorValue(ind.code, year, scope, value, clusters=n, previous=previous, growth=growth)
            if not allowed:
                item = replace(item, value=None, previous=None, growth=None, withheld=True)
            values.append(item)
        out[year] = values
    return out


def compute(
    year: int | None = None, scope: Scope = NATION, codes: list[str] | tuple[str, ...] | None = None, *,
    user: Any = EVERY_VALUE, reader: Reader | None = None, ranks: bool = False,
) -> list[IndicatorValue]:
    """The indicators of one scope for one year (the reporting year when None), with growth.

    `user` (None for an anonymous caller) or `reader` applies the secrecy rule; without either,
    every value is returned (CLI, reports made by the programme). `ranks` adds each cluster's rank and percentile among clusters.
    """
    year = year if year is not None else latest_year()
    if year is None:
        return []
    return series(scope, codes, years=[year], user=user, reader=reader, ranks=ranks)[year]


def series(
    scope: Scope = NATION, codes: list[str] | tuple[str, ...] | None = None, *,
    years: Iterable[int] | None = None, user: Any = EVERY_VALUE, reader: Reader | None = None,
    ranks: bool = False,
) -> dict[int, list[IndicatorValue]]:
    """The indicators of one scope per year (every year with members when `years` is None)."""
    indicators = d.select(codes)
    if years is None:
        first, last = first_year(), latest_year()
        years = range(first, last + 1) if first is not None and last is not None else []
    years = sorted(set(years))
    if not years:
        return {}
    if reader is None:
        reader = EVERYTHING if user is EVERY_VALUE else reader_of(user)
    ids = cluster_ids(scope)
    raw = _run(None if scope.kind == "nation" else ids, [years[0] - 1, *years], False, indicators)
    out = _values(scope, ids, years, {(None, y): r for (_c, y), r in raw.items()}, indicators, reader)
    if ranks and scope.kind == "cluster":
        table = cluster_table(years, codes)
        out = {year: _with_ranks(values, table, ids[0]) for year, values in out.items()}
    return out


def cluster_table(
    years: Iterable[int], codes: list[str] | tuple[str, ...] | None = None, *, clusters: list[int] | None = None,
    as_of: dt.date | None = None,
) -> dict[tuple[int, int], dict[str, Value]]:
    """Every indicator of every cluster (or of `clusters`) for these years: {(cluster id, year): {code: value}}.

    With `as_of`, the figures as of that date (`poles.indicators.asof`): a cluster-year whose yearly
    report was validated by then reads its frozen figures, the others the register as it stood.
    No secrecy rule here: callers (ranks, reports, the benchmark) apply it to what they show.
    """
    indicators = d.select(codes)
    years = sorted(set(years))
    ids = sorted(set(clusters)) if clusters is not None else None
    raw = _collect(ids, years, True, indicators, A.cutoff(as_of) if as_of else None)
    if as_of is not None:
        chosen = {key: s for key, s in sources(years, ids, as_of).items() if s.frozen}
        frozen = _frozen_values(chosen.values())
        for key, source in chosen.items():
            raw.setdefault(key, {}).update(frozen.get(source.report_id or 0, {}))
    return {
        (cid, year): {ind.code: _value(ind, row) for ind in indicators}
        for (cid, year), row in ((key, _derive(r)) for key, r in raw.items()) if cid is not None
    }


def aggregate(
    years: Iterable[int], codes: list[str] | tuple[str, ...] | None = None, *, cluster_ids: Iterable[int] | None = None,
    as_of: dt.date | None = None,
) -> dict[int, dict[str, Value]]:
    """The indicators over a set of clusters (every cluster when None) per year: {year: {code: value}}.

    For callers that hold cluster ids rather than a scope (the pages' key figures); no secrecy rule.
    With `as_of`, the figures as of that date: the register as it stood, except that the clusters
    whose report of the year was validated by then contribute their frozen figures (summed) to what
    the frozen reports hold, and the others the register's (an organisation or project counts once
    among the register's clusters; the frozen reports do not name their members).
    """
    indicators = d.select(codes)
    years = sorted(set(years))
    ids = sorted(set(cluster_ids)) if cluster_ids is not None else None
    cutoff = A.cutoff(as_of) if as_of else None
    raw = _collect(ids, years, False, indicators, cutoff)
    if as_of is not None and FROZEN is not None:
        chosen = {key: s for key, s in sources(years, ids, as_of).items() if s.frozen}
        frozen = _frozen_values(chosen.values())
        every = ids if ids is not None else sorted(Cluster.objects.values_list("pk", flat=True))
        for year in years:
            mine = {cid: s for (cid, y), s in chosen.items() if y == year}
            if not mine:
                continue
            rest = [cid for cid in every if cid not in mine]
            register = _collect(rest, [year], False, indicators, cutoff).get((None, year), {}) if rest else {}
            summed = A.sum_raw(frozen.get(s.report_id or 0, {}) for s in mine.values())
            row = raw.setdefault((None, year), {})
            for code in FROZEN.codes | set(A.DERIVED_KEYS):
                mine_value, theirs = summed.get(code), register.get(code)
                row[code] = theirs if mine_value is None else (mine_value if theirs is None else theirs + mine_value)
    return {year: {ind.code: _value(ind, _derive(raw.get((None, year), {}))) for ind in indicators}
            for year in years}


# --- figures as of a date: the frozen reports of the annual survey ---------------------------------

FROZEN: A.FrozenReports | None = None
"""The frozen yearly reports (the survey app registers them with `use_frozen_reports`)."""


def use_frozen_reports(provider: A.FrozenReports | None) -> None:
    """Register where the engine reads the annual survey's frozen reports (None: nowhere)."""
    global FROZEN  # noqa: PLW0603 — one provider for the process, set when the apps are ready
    FROZEN = provider


def sources(years: Iterable[int], cluster_ids: Iterable[int] | None, as_of: dt.date) -> dict[tuple[int, int], A.SourceOf]:
    """The source of each (cluster, year) as of `as_of` (`asof.plan`): a frozen report or the register."""
    years = sorted(set(years))
    ids = sorted(set(cluster_ids)) if cluster_ids is not None else None
    validations = FROZEN.validations(ids, years) if FROZEN is not None and years else []
    every = ids if ids is not None else sorted(Cluster.objects.values_list("pk", flat=True))
    return A.plan(every, years, validations, as_of)


def _frozen_values(chosen: Iterable[A.SourceOf]) -> dict[int, dict[str, Value]]:
    """{report id: engine raw values} of the chosen frozen reports (one query)."""
    report_ids = sorted({s.report_id for s in chosen if s.report_id is not None})
    if FROZEN is None or not report_ids:
        return {}
    return {pk: A.frozen_raw(values) for pk, values in FROZEN.values(report_ids).items()}


def rank_among(value: Value, peers: list[Value], *, higher_is_better: bool = True) -> tuple[int, int, Decimal] | None:
    """(rank, number of peers, percentile rank) of `value` among peers' values (None values left out).

    Rank 1 is the best; ties share the best rank; the percentile rank is the share of the other
    peers that do worse, times 100 (100 for the best of several, 0 for the worst).
    """
    known = [p for p in peers if p is not None]
    if value is None or not known:
        return None
    better = sum(1 for p in known if (p > value if higher_is_better else p < value))
    worse = sum(1 for p in known if (p < value if higher_is_better else p > value))
    others = len(known) - 1
    percentile = Decimal(100) * worse / others if others > 0 else Decimal(100)
    return better + 1, len(known), percentile


def _with_ranks(values: list[IndicatorValue], table: dict[tuple[int, int], dict[str, Value]],
                cluster: int) -> list[IndicatorValue]:
    out = []
    for item in values:
        if item.withheld or item.value is None:
            out.append(item)
            continue
        peers = [row.get(item.code) for (_cid, year), row in table.items() if year == item.year]
        ranked = rank_among(item.value, peers, higher_is_better=item.indicator.higher_is_better)
        if ranked is None:
            out.append(item)
            continue
        rank, n, percentile = ranked
        out.append(replace(item, rank=rank, peers=n, percentile=percentile))
    return out


def as_mapping(values: Iterable[IndicatorValue]) -> dict[str, Value]:
    """{code: value} of a list of indicator values."""
    return {v.code: v.value for v in values}
