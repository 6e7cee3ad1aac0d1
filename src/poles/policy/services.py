"""Saving a state of play: permission, validation by the framework, a new version, an audit entry."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from poles.access.roles import scope_of
from poles.core import audit
from poles.policy.framework import BY_KEY, changed, problems
from poles.policy.models import COUNTRY, Assessment
from poles.policy.permissions import may_fill
from poles.registry.programme import validate_year
from poles.territories.models import Region

REASONS = {
    "missing": lambda c: _("Choose a value for “%(criterion)s”.") % {"criterion": c},
    "unknown": lambda c: _("“%(criterion)s” is no criterion of the framework.") % {"criterion": c},
    "off-scale": lambda c: _("The score of “%(criterion)s” must be 0, 1, 2 or 3.") % {"criterion": c},
}


def current(territory: str, year: int) -> Assessment | None:
    """The latest version of a territory's assessment for a year."""
    return Assessment.objects.filter(territory=territory, year=year).order_by("-saved_at", "-pk").first()


def history(territory: str, year: int) -> list[Assessment]:
    """Every version, newest first."""
    return list(Assessment.objects.filter(territory=territory, year=year).select_related("author")
                .order_by("-saved_at", "-pk"))


def region_of(territory: str) -> Region | None:
    """The region of a territory code (None for the country); ValidationError for an unknown code."""
    if territory == COUNTRY:
        return None
    region = Region.objects.filter(code=territory).first()
    if region is None:
        raise ValidationError({"territory": [_("No region with the code “%(code)s”.") % {"code": territory}]})
    return region


@transaction.atomic
def save(user, territory: str, year: int, scores: dict, notes: dict | None = None, summary: str = "",
         *, channel: str = "page") -> Assessment:
    """A new version of the territory's assessment (refused outside one's scope, invalid scores named)."""
    allowed, reason = may_fill(scope_of(user), territory)
    if not allowed:
        raise PermissionDenied(reason)
    region = region_of(territory)
    try:
        validate_year(year)
    except ValidationError as error:
        raise ValidationError({"year": error.messages}) from error
    faults = problems(scores)
    if faults:
        raise ValidationError({key: [REASONS[why](BY_KEY[key].name_en if key in BY_KEY else key)]
                               for key, why in faults})
    notes = {k: str(v).strip() for k, v in (notes or {}).items() if k in BY_KEY and str(v or "").strip()}
    previous = current(territory, year)
    row = Assessment.objects.create(territory=territory, region=region, year=year, scores=dict(scores),
                                    notes=notes, summary=summary.strip(), author=user)
    before = {"scores": previous.scores, "notes": previous.notes, "summary": previous.summary} if previous else {}
    changes = audit.diff(before, {"scores": row.scores, "notes": row.notes, "summary": row.summary})
    if previous:
        changes["criteria_changed"] = [None, changed(previous.scores, row.scores)]
    audit.record(user, "update" if previous else "create", row, changes, channel)
    return row
