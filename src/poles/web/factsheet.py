"""The factsheet's tables from the observatory, for the web: read the configured regional data
(`settings.OBSERVATORY_PANEL`), compute Table 1, Table 2 and Figure 1 with `poles.observatory.
factsheet`, and keep the result in the shared cache until the file changes (a few seconds to compute)."""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from poles.observatory.factsheet import Factsheet
from poles.web.chartdata import rendered
from poles.web.charts import Chart, Series

log = logging.getLogger("poles.web")
TIMEOUT = 7 * 24 * 3600


class Unavailable(Exception):
    """No regional data configured, or the data cannot be read (the message says which)."""


def _key(path: Path) -> str:
    stat = path.stat()
    parts = (str(path.resolve()), int(stat.st_mtime), stat.st_size, ",".join(settings.OBSERVATORY_FILTERS),
             settings.OBSERVATORY_YEAR, settings.OBSERVATORY_REFERENCE)
    return "poles:factsheet:" + "|".join(map(str, parts))


def country_factsheet() -> Factsheet:
    """France's Table 1, Table 2 and Figure 1 from the configured data (cached); Unavailable otherwise."""
    from poles.observatory import read_panel
    from poles.observatory.errors import ObservatoryError
    from poles.observatory.factsheet import build

    if not settings.OBSERVATORY_PANEL:
        raise Unavailable(_("No regional data is configured (POLES_OBSERVATORY_PANEL)."))
    path = Path(settings.OBSERVATORY_PANEL)
    if not path.exists():
        raise Unavailable(_("The regional data file is missing: %(path)s") % {"path": path.name})
    key = _key(path)
    found = cache.get(key)
    if isinstance(found, Factsheet):
        return found
    year = settings.OBSERVATORY_YEAR or None
    try:
        panel = read_panel(path, filters=list(settings.OBSERVATORY_FILTERS))
        sheet = build(panel, country="FR", year=year, reference=settings.OBSERVATORY_REFERENCE)
    except ObservatoryError as error:
        log.warning("factsheet tables: %s", error)
        raise Unavailable(_("The regional data cannot be used: %(error)s") % {"error": error}) from error
    cache.set(key, sheet, TIMEOUT)
    return sheet


def figure_1(sheet: Factsheet) -> Chart:
    """Figure 1: each ecosystem's share of the employment in the 14 ecosystems, France and the EU."""
    rows = sheet.figure1
    return Chart(
        key="factsheet-ecosystems", kind="bar",
        title=_("Employment across the ecosystems, %(year)s") % {"year": sheet.year},
        description=_("Share of each industrial ecosystem in the employment of the 14 ecosystems, France "
                      "and the EU-27, ordered by employment in France (ECCP factsheet, Figure 1)."),
        category_label=_("Industrial ecosystem"),
        categories=tuple(r.label for r in rows),
        series=(Series(_("France"), tuple(r.share for r in rows), "share"),
                Series(_("EU-27"), tuple(r.eu_share for r in rows), "share")),
        note=_("Source: Eurostat, computed by the poles observatory (ECCP method)."),
    )


def factsheet_tables(region) -> dict:
    """The observatory's Table 1, Table 2 and Figure 1 (a region's rows only), or why they are missing."""
    try:
        sheet = country_factsheet()
    except Unavailable as error:
        return {"unavailable": str(error)}

    shown = sheet.for_region(region.code) if region is not None else sheet
    return {"sheet": shown, "figure": rendered(figure_1(sheet))}
