"""Which workspaces a user may open: the clusters they manage, and the programme view."""

from __future__ import annotations

from dataclasses import dataclass, field

from poles.access.roles import scope_of
from poles.registry.models import Cluster

_CACHE_ATTR = "_poles_web_spaces"


@dataclass(frozen=True)
class Spaces:
    """What the menu offers a user beyond the public pages."""

    clusters: list[Cluster] = field(default_factory=list)
    programme: bool = False


def spaces_of(user) -> Spaces:
    """The managed clusters (workspace links) and programme access, cached on the user object."""
    if user is None or not user.is_authenticated:
        return Spaces()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = scope_of(user)
    clusters = list(
        Cluster.objects.filter(id__in=scope.managed_cluster_ids).only("id", "name", "short_name", "slug")
    )
    spaces = Spaces(clusters=clusters, programme=scope.sees_all or bool(scope.region_codes))
    setattr(user, _CACHE_ATTR, spaces)
    return spaces
