"""Roles a user holds through grants, and the scope they give: the input of every permission."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

SCOPE_CACHE_ATTR = "_poles_scope"


class Role(models.TextChoices):
    """What a grant lets its holder do; anonymous callers hold none."""

    ADMIN = "admin", _("platform administrator")
    NATIONAL = "national", _("national programme officer")
    REGIONAL = "regional", _("regional officer")
    MANAGER = "manager", _("cluster manager")
    MEMBER = "member", _("member representative")
    REVIEWER = "reviewer", _("reviewer")


@dataclass(frozen=True)
class GrantFacts:
    """The parts of one grant a scope is built from (a plain value, so rules stay pure)."""

    role: str
    cluster_id: int | None = None
    region_code: str | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Scope:
    """Everything a user may reach, computed once per request from their grants."""

    is_authenticated: bool = False
    is_admin: bool = False
    is_national: bool = False
    is_reviewer: bool = False
    region_codes: frozenset[str] = field(default_factory=frozenset)
    regional_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    managed_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    member_cluster_ids: frozenset[int] = field(default_factory=frozenset)
    organisation_ids: frozenset[int] = field(default_factory=frozenset)
    representations: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    """(organisation, cluster) pairs: the organisation represented, through the cluster that granted it."""
    user_id: int | None = None

    @property
    def sees_all(self) -> bool:
        """Admins and national officers read every cluster at the confidential level."""
        return self.is_admin or self.is_national

    @property
    def confidential_cluster_ids(self) -> frozenset[int]:
        """Clusters whose confidential data this user reads (besides `sees_all`)."""
        return self.managed_cluster_ids | self.regional_cluster_ids

    @property
    def cluster_ids(self) -> frozenset[int]:
        """Every cluster this user has some link with."""
        return self.confidential_cluster_ids | self.member_cluster_ids

    @property
    def roles(self) -> frozenset[str]:
        """The roles held, for display and for the permission matrix."""
        held = set()
        if self.is_admin:
            held.add(Role.ADMIN.value)
        if self.is_national:
            held.add(Role.NATIONAL.value)
        if self.region_codes:
            held.add(Role.REGIONAL.value)
        if self.managed_cluster_ids:
            held.add(Role.MANAGER.value)
        if self.organisation_ids:
            held.add(Role.MEMBER.value)
        if self.is_reviewer:
            held.add(Role.REVIEWER.value)
        return frozenset(held)


ANONYMOUS = Scope()


def scope_from_grants(
    grants: Iterable[GrantFacts],
    *,
    user_id: int | None = None,
    is_superuser: bool = False,
    clusters_by_region: dict[str, Iterable[int]] | None = None,
    current_memberships: Iterable[tuple[int, int]] = (),
) -> Scope:
    """The scope given by some (active) grants; a superuser is an admin whatever their grants.

    A member representative reaches the members-only data of a cluster only through a grant of
    that cluster, and only while their organisation is a current (member or pending) member of it:
    a membership written by another cluster, or a grant of another cluster, opens nothing.
    """
    grants = list(grants)
    roles = {g.role for g in grants}
    region_codes = frozenset(
        g.region_code for g in grants if g.role == Role.REGIONAL and g.region_code
    )
    members = [g for g in grants if g.role == Role.MEMBER and g.organisation_id]
    organisation_ids = frozenset(g.organisation_id for g in members if g.organisation_id)
    representations = frozenset(
        (g.organisation_id, g.cluster_id) for g in members if g.organisation_id and g.cluster_id
    )
    current = set(current_memberships)
    member_clusters = frozenset(cluster for _, cluster in representations & current)
    regional_clusters: set[int] = set()
    for code in region_codes:
        regional_clusters.update((clusters_by_region or {}).get(code, ()))
    return Scope(
        is_authenticated=True,
        is_admin=is_superuser or Role.ADMIN in roles,
        is_national=Role.NATIONAL in roles,
        is_reviewer=Role.REVIEWER in roles,
        region_codes=region_codes,
        regional_cluster_ids=frozenset(regional_clusters),
        managed_cluster_ids=frozenset(
            g.cluster_id for g in grants if g.role == Role.MANAGER and g.cluster_id
        ),
        member_cluster_ids=member_clusters,
        organisation_ids=organisation_ids,
        representations=representations,
        user_id=user_id,
    )


def scope_of(user) -> Scope:
    """The user's scope from their active grants, read once and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, SCOPE_CACHE_ATTR, None)
    if cached is not None:
        return cached
    from poles.access.models import Grant
    from poles.registry.models import Cluster, Membership

    grants = [
        GrantFacts(g.role, g.cluster_id, g.region_id, g.organisation_id)
        for g in Grant.objects.filter(user=user, status=Grant.Status.ACTIVE).only(
            "role", "cluster_id", "region_id", "organisation_id"
        )
    ]
    region_codes = {g.region_code for g in grants if g.role == Role.REGIONAL and g.region_code}
    clusters_by_region: dict[str, set[int]] = {}
    if region_codes:
        links = Cluster.regions.through.objects.filter(region_id__in=region_codes)
        for cluster_id, region_id in links.values_list("cluster_id", "region_id"):
            clusters_by_region.setdefault(region_id, set()).add(cluster_id)
    organisation_ids = {g.organisation_id for g in grants if g.role == Role.MEMBER and g.organisation_id}
    current: set[tuple[int, int]] = set()
    if organisation_ids:
        current = set(Membership.objects.filter(
            organisation_id__in=organisation_ids,
            status__in=[Membership.Status.MEMBER, Membership.Status.PENDING],
        ).values_list("organisation_id", "cluster_id").distinct())
    scope = scope_from_grants(
        grants,
        user_id=user.pk,
        is_superuser=user.is_superuser,
        clusters_by_region=clusters_by_region,
        current_memberships=current,
    )
    setattr(user, SCOPE_CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after a grant changed during the same request)."""
    if user is not None and hasattr(user, SCOPE_CACHE_ATTR):
        delattr(user, SCOPE_CACHE_ATTR)
