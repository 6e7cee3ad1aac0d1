"""The cluster directory: one public summary per cluster, and the filters over them.

The summaries hold public fields and public counts only, so the same cached list serves every
audience; the filters are the register's shared ones (`poles.registry.filters`), as in the API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from poles.indicators import engine
from poles.projects.models import ProjectCluster
from poles.registry.filters import CLUSTER_SIZES
from poles.registry.models import Cluster, Label
from poles.registry.names import fold
from poles.registry.programme import latest_member_year
from poles.web.figures import SME
from poles.web.pagecache import generational

CACHE_KEY = "web:cluster-summaries"
CACHE_SECONDS = 120

SIZE_BAND_LABELS = {
    "small": _("fewer than 100 members"),
    "medium": _("100 to 249 members"),
    "large": _("250 members or more"),
}
LEVEL_RANK = {"gold": 3, "silver": 2, "bronze": 1, "": 0}


@dataclass(frozen=True)
class ClusterSummary:
    """What the directory, the map and the comparison show of a cluster (public facts only)."""

    id: int
    slug: str
    name: str
    short_name: str
    mission: str
    status: str
    website: str
    themes: tuple[str, ...]
    technology_fields: tuple[str, ...]
    sectors: tuple[str, ...]
    region_codes: tuple[str, ...]
    region_names: tuple[str, ...]
    ecosystem_codes: tuple[str, ...]
    label_level: str
    members: int
    sme_members: int
    projects: int
    is_generated: bool

    @property
    def size_band(self) -> str:
        return size_band(self.members)


def size_band(members: int) -> str:
    """The size band (the shared filters' bands) a member count falls in."""
    for code, (low, high) in CLUSTER_SIZES.items():
        if members >= low and (high is None or members < high):
            return code
    return "small"


def _label_levels(today: dt.date) -> dict[int, str]:
    """Each cluster's best excellence-label level still valid today."""
    best: dict[int, str] = {}
    rows = Label.objects.filter(kind=Label.Kind.EXCELLENCE, cluster__isnull=False).filter(
        Q(expires__isnull=True) | Q(expires__gte=today)
    ).values_list("cluster_id", "level")
    for cluster_id, level in rows:
        if LEVEL_RANK.get(level, 0) > LEVEL_RANK.get(best.get(cluster_id, ""), 0):
            best[cluster_id] = level
    return best


def _member_counts(year: int | None) -> tuple[dict[int, int], dict[int, int]]:
    """Each cluster's members and SME members (micro, small, medium) of the year, from the indicator engine."""
    if year is None:
        return {}, {}
    sme_codes = [f"members_{code}" for code in sorted(SME)]
    table = engine.cluster_table([year], ["members", *sme_codes])
    members = {cid: values["members"] for (cid, _year), values in table.items()}
    smes = {cid: sum(values[code] for code in sme_codes) for (cid, _year), values in table.items()}
    return members, smes


def build_summaries() -> list[ClusterSummary]:
    """Every cluster's summary from the register, in a fixed number of queries."""
    clusters = list(
        Cluster.objects.prefetch_related("regions", "ecosystems").order_by("name")
    )
    members, smes = _member_counts(latest_member_year())
    projects = dict(
        ProjectCluster.objects.filter(project__is_public=True)
        .values("cluster_id").annotate(n=Count("project_id", distinct=True))
        .values_list("cluster_id", "n")
    )
    levels = _label_levels(dt.date.today())
    summaries = []
    for c in clusters:
        regions = sorted(c.regions.all(), key=lambda r: r.name)
        ecosystems = list(c.ecosystems.all())
        summaries.append(ClusterSummary(
            id=c.pk, slug=c.slug, name=c.name, short_name=c.short_name, mission=c.mission,
            status=c.status, website=c.website,
            themes=tuple(c.themes or ()), technology_fields=tuple(c.technology_fields or ()),
            sectors=tuple(c.industrial_sectors or ()),
            region_codes=tuple(r.code for r in regions), region_names=tuple(r.name for r in regions),
            ecosystem_codes=tuple(e.code for e in ecosystems),
            label_level=levels.get(c.pk, ""), members=members.get(c.pk, 0),
            sme_members=smes.get(c.pk, 0), projects=projects.get(c.pk, 0),
            is_generated=c.is_generated,
        ))
    return summaries


def summaries() -> list[ClusterSummary]:
    """The summaries, cached for a short while (they change with imports, not per request)."""
    key = generational(f"{CACHE_KEY}:{get_language()}")
    cached = cache.get(key)
    if cached is None:
        cached = build_summaries()
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def theme_choices(items: list[ClusterSummary]) -> list[str]:
    """Every theme used by some cluster, sorted."""
    return sorted({t for s in items for t in s.themes}, key=fold)
