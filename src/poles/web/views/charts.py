"""The chart endpoint: a page's chart as CSV data or as an SVG image (`?format=csv|svg`).

It calls the page's own chart builder (`poles.web.chartdata`), so the permission layer decides
what it shows exactly as on the page: a 404 outside one's view, a 403 outside one's scope.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from poles.core.tables import FRENCH, SPREADSHEET
from poles.web import charts
from poles.web.chartdata import BUILDERS, page_format
from poles.web.exports import csv_response

FORMATS = ("csv", "svg")


def chart(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's data (CSV: `;` and decimal comma in French) or image (standalone SVG)."""
    builder = BUILDERS.get(key)
    if builder is None:
        raise Http404(_("No chart with this name."))
    fmt = request.GET.get("format", "svg")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(
            _("Unknown format “%(format)s”: choose csv or svg.") % {"format": fmt},
            content_type="text/plain; charset=utf-8",
        )
    built = builder(request)
    if fmt == "csv":
        headers, rows = charts.csv_rows(built)
        dialect = FRENCH if (get_language() or "fr").startswith("fr") else SPREADSHEET
        return csv_response(key, headers, rows, dialect)
    response = HttpResponse(charts.render_svg(built, page_format, standalone=True),
                            content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}.svg"'
    return response
