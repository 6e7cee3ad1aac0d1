"""Who reads and who fills a territory's state of play: `(bool, reason)` on the access scope.

The country's assessment is the national officers' (and admins'); a region's is its regional
officers' and the national officers'. Programme officers read the country's and those of the
regions they fill; nobody else reads any (they are working assessments, not published figures).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from poles.access.roles import Scope, scope_of
from poles.policy.models import COUNTRY

Decision = tuple[bool, str]


def may_fill(scope: Scope, territory: str) -> Decision:
    """National officers and admins fill every territory; a regional officer their regions."""
    if not scope.is_authenticated:
        return False, _("Log in first.")
    if scope.sees_all:
        return True, _("programme officer")
    if territory != COUNTRY and territory in scope.region_codes:
        return True, _("regional officer of the region")
    return False, _("The state of play is filled by the national officer (country) and the regional officers (their region).")


def may_read(scope: Scope, territory: str) -> Decision:
    """Who fills it, and the regional officers for the country's."""
    if may_fill(scope, territory)[0]:
        return True, _("fills it")
    if scope.is_authenticated and scope.region_codes and territory == COUNTRY:
        return True, _("regional officer (the country's assessment)")
    return False, _("The state of play is for the programme officers.")


def territories_for(user) -> list[str]:
    """The territory codes `user` may read: FR first, then regions by code."""
    from poles.territories.models import Region

    scope = scope_of(user)
    if not scope.is_authenticated or not (scope.sees_all or scope.region_codes):
        return []
    regions = Region.objects.order_by("code").values_list("code", flat=True)
    if not scope.sees_all:
        regions = regions.filter(code__in=sorted(scope.region_codes))
    return [COUNTRY, *regions]
