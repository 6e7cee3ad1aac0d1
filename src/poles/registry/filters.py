"""Filters of the register's lists, shared by the pages and the API (same parameter names)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from poles.core.filtering import FilterError, choice, integer, is_digits, reference, text
from poles.registry.categories import SizeCategory
from poles.registry.models import Cluster, Label, Membership, Organisation
from poles.registry.programme import latest_member_year

CLUSTER_FILTERS = ("region", "theme", "ecosystem", "label", "size", "status", "q")
CLUSTER_SIZES = {"small": (0, 100), "medium": (100, 250), "large": (250, None)}
ORGANISATION_FILTERS = ("region", "cluster", "ecosystem", "label", "size", "kind", "country", "year", "q")
MEMBERSHIP_FILTERS = ("cluster", "organisation", "year", "status", "region", "size", "q")
LABEL_LEVELS = ("bronze", "silver", "gold", "any")


def _cluster_ref(params: dict, name: str = "cluster") -> Q | None:
    value = reference(params, name)
    if value is None:
        return None
    return Q(cluster_id=value) if isinstance(value, int) else Q(cluster__slug=value)


def filter_clusters(qs: QuerySet, params: dict) -> QuerySet:
    """Clusters by region (code or slug), theme, ecosystem, excellence label, size, status, text."""
    if region := text(params, "region"):
        qs = qs.filter(pk__in=Cluster.regions.through.objects.filter(
            Q(region__code=region) | Q(region__slug=region)).values("cluster_id"))
    if theme := text(params, "theme"):
        qs = qs.filter(Q(themes_fr__icontains=theme) | Q(themes_en__icontains=theme))
    if ecosystem := text(params, "ecosystem"):
        qs = qs.filter(pk__in=Cluster.ecosystems.through.objects.filter(
            ecosystem_id=ecosystem).values("cluster_id"))
    if label := choice(params, "label", LABEL_LEVELS):
        labels = Label.objects.filter(kind=Label.Kind.EXCELLENCE, cluster__isnull=False)
        if label != "any":
            labels = labels.filter(level=label)
        qs = qs.filter(pk__in=labels.values("cluster_id"))
    if size := choice(params, "size", CLUSTER_SIZES):
        qs = qs.filter(pk__in=clusters_of_size(size))
    if status := choice(params, "status", Cluster.Status.values):
        qs = qs.filter(status=status)
    if q := text(params, "q"):
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q)
                       | Q(mission_fr__icontains=q) | Q(mission_en__icontains=q))
    return qs


def clusters_of_size(size: str) -> list[int]:
    """Clusters whose members in their latest year fall in the size band (small < 100 ≤ medium < 250 ≤ large)."""
    low, high = CLUSTER_SIZES[size]
    latest = latest_member_year()
    counts = dict(
        Membership.objects.filter(year=latest, status=Membership.Status.MEMBER)
        .values("cluster_id").annotate(n=Count("id")).values_list("cluster_id", "n")
    )
    ids = Cluster.objects.values_list("pk", flat=True)
    return [
        pk for pk in ids
        if counts.get(pk, 0) >= low and (high is None or counts.get(pk, 0) < high)
    ]


def filter_organisations(qs: QuerySet, params: dict, *, memberships: QuerySet) -> QuerySet:
    """Organisations by region, cluster, ecosystem, firm label, size category, kind, country, member year, text.

    `memberships` are the memberships the reader may see: a cluster's member list is filtered
    through them, so it reveals no more than the memberships list would.
    """
    if region := text(params, "region"):
        qs = qs.filter(
            Q(commune__departement__region_id=region)
            | Q(commune__departement__region__slug=region)
        )
    cluster = _cluster_ref(params)
    year = integer(params, "year")
    if cluster is not None or year is not None:
        if cluster is not None:
            memberships = memberships.filter(cluster)
        if year is not None:
            memberships = memberships.filter(year=year)
        qs = qs.filter(pk__in=memberships.values("organisation_id"))
    if ecosystem := text(params, "ecosystem"):
        in_ecosystem = Organisation.objects.filter(naf__nace__parent__parent__ecosystems=ecosystem)
        qs = qs.filter(pk__in=in_ecosystem.values("pk"))
    if label := choice(params, "label", LABEL_LEVELS):
        labels = Label.objects.filter(organisation__isnull=False)
        if label != "any":
            labels = labels.filter(level=label)
        qs = qs.filter(pk__in=labels.values("organisation_id"))
    if size := choice(params, "size", [c.value for c in SizeCategory] + ["sme"]):
        if size == "sme":
            qs = qs.filter(size_category__in=[c.value for c in SizeCategory if c.is_sme])
        else:
            qs = qs.filter(size_category=size)
    if kind := choice(params, "kind", Organisation.Kind.values):
        qs = qs.filter(kind=kind)
    if country := text(params, "country"):
        if len(country) != 2 or not country.isalpha():
            raise FilterError(gettext("country: expected a two-letter ISO code, found “%(value)s”") % {"value": country})
        qs = qs.filter(country=country.upper())
    if q := text(params, "q"):
        match = Q(name__icontains=q) | Q(city__icontains=q)
        if is_digits(q.replace(" ", "")):
            match |= Q(siren__startswith=q.replace(" ", ""))
        qs = qs.filter(match)
    return qs


def filter_memberships(qs: QuerySet, params: dict) -> QuerySet:
    """Memberships by cluster, organisation, year, status, the member's region and size, text."""
    if (cluster := _cluster_ref(params)) is not None:
        qs = qs.filter(cluster)
    if (organisation := integer(params, "organisation")) is not None:
        qs = qs.filter(organisation_id=organisation)
    if (year := integer(params, "year")) is not None:
        qs = qs.filter(year=year)
    if status := choice(params, "status", Membership.Status.values):
        qs = qs.filter(status=status)
    if region := text(params, "region"):
        qs = qs.filter(organisation__commune__departement__region_id=region)
    if size := choice(params, "size", [c.value for c in SizeCategory] + ["sme"]):
        if size == "sme":
            qs = qs.filter(organisation__size_category__in=[c.value for c in SizeCategory if c.is_sme])
        else:
            qs = qs.filter(organisation__size_category=size)
    if q := text(params, "q"):
        qs = qs.filter(Q(organisation__name__icontains=q) | Q(organisation__city__icontains=q))
    return qs
