"""The programme's calendar: its current year, the years a register row may carry, the reporting year.

"The current year" is a programme setting (`POLES_CURRENT_YEAR`, this year in Paris by default),
not the latest year anyone wrote: a membership entered for 2030 must not make the public figures
jump to an empty year. Rows may describe years up to the one after it (renewals are prepared a
year ahead); figures are reported for the latest year up to the current one that has members.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 1900
PARIS = ZoneInfo("Europe/Paris")


def current_year() -> int:
    """The programme's current year: the POLES_CURRENT_YEAR setting, else this year in Paris."""
    configured = getattr(settings, "POLES_CURRENT_YEAR", None)
    return int(configured) if configured else dt.datetime.now(PARIS).year


def last_allowed_year() -> int:
    """The latest year a register row may carry: the current year plus one."""
    return current_year() + 1


def validate_year(value: int) -> None:
    """Refuse a year before 1900 or after the programme's current year plus one."""
    if value is None:
        return
    if value < FIRST_YEAR or value > last_allowed_year():
        raise ValidationError(
            _("Expected a year between %(first)s and %(last)s (the programme's current year plus "
              "one), found %(value)s.")
            % {"first": FIRST_YEAR, "last": last_allowed_year(), "value": value},
            code="year_out_of_range",
        )


def latest_member_year(cluster_id: int | None = None) -> int | None:
    """The reporting year: the latest year up to the current one with members (of one cluster)."""
    from poles.registry.models import Membership

    qs = Membership.objects.filter(year__lte=current_year(), status=Membership.Status.MEMBER)
    if cluster_id is not None:
        qs = qs.filter(cluster_id=cluster_id)
    return qs.aggregate(year=Max("year"))["year"]
