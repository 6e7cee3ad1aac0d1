"""The programme workspace: every cluster in scope with sortable key figures, and comparison."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from poles.web.access import programme_clusters
from poles.web.chartdata import (
    compare_funding,
    compare_members,
    programme_rows,
    programme_scatter,
    rendered,
)
from poles.web.exports import FORMATS, Column, dialect_for, table_response
from poles.web.programme import cluster_rows, confidential_ids, sort_rows
from poles.web.templatetags.web import level_name

COMPARE_MIN, COMPARE_MAX = 2, 5


def _confidential_ids(request: HttpRequest, clusters) -> list[int]:
    return confidential_ids(request.user, clusters)


@login_required
def programme(request: HttpRequest) -> HttpResponse:
    """All clusters in the officer's scope, sortable by members, SMEs, projects, funding, label."""
    clusters = programme_clusters(request)
    rows, sort = sort_rows(cluster_rows(_confidential_ids(request, clusters)), request.GET.get("sort", "name"))
    return render(request, "web/programme/index.html", {
        "rows": rows, "sort": sort, "compare_min": COMPARE_MIN, "compare_max": COMPARE_MAX,
        "scatter_chart": rendered(programme_scatter(request)) if rows else None,
    })


@login_required
def programme_export(request: HttpRequest) -> HttpResponse:
    """The programme table as CSV or XLSX (?format=csv|xlsx), same rows and order as the page, rounded as shown."""
    clusters = programme_clusters(request)
    rows, _sort = sort_rows(cluster_rows(_confidential_ids(request, clusters)), request.GET.get("sort", "name"))
    headers = [Column(_("Cluster")), Column(_("Regions")), Column(_("Members"), "int"),
               Column(_("SME members"), "int"), Column(_("SME share (%)"), "share"), Column(_("Projects"), "int"),
               Column(_("Funding of projects (€)"), "eur"), Column(_("Total cost of projects (€)"), "eur"),
               Column(_("Budget of the latest year (€)"), "eur"), Column(_("Private share of budget (%)"), "share"),
               Column(_("Excellence label"))]
    table = (
        [r.summary.name, ", ".join(r.summary.region_names), r.summary.members, r.summary.sme_members, r.sme_share,
         r.projects, r.funding, r.total_cost, r.budget_total, r.private_share,
         level_name(r.summary.label_level) if r.summary.label_level else ""]
        for r in rows
    )
    fmt = request.GET.get("format", "csv")
    return table_response(fmt if fmt in FORMATS else "csv", "programme", headers, table, dialect_for(request))


@login_required
def programme_compare(request: HttpRequest) -> HttpResponse:
    """Two to five clusters side by side (?c=slug&c=slug…)."""
    clusters = programme_clusters(request)
    slugs = list(dict.fromkeys(request.GET.getlist("c")))
    error = ""
    if not COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
        error = _("Choose between %(min)d and %(max)d clusters to compare; you chose %(n)d.") % {
            "min": COMPARE_MIN, "max": COMPARE_MAX, "n": len(slugs)}
    rows = [] if error else programme_rows(request, slugs)
    return render(request, "web/programme/compare.html", {
        "rows": rows, "error": error,
        "all_rows": sort_rows(cluster_rows(_confidential_ids(request, clusters)), "name")[0] if error else [],
        "compare_min": COMPARE_MIN, "compare_max": COMPARE_MAX, "slugs": slugs,
        "charts": [] if error else [rendered(compare_members(request, rows), c=slugs),
                                    rendered(compare_funding(request, rows), c=slugs)],
    }, status=400 if error else 200)
