"""The charts of the pages, each built from the figure functions the page's own numbers come from.

A builder takes the request (the permission layer decides what it may show) and returns a
`charts.Chart`. Pages call the builders to draw inline; the chart endpoint (`views/charts.py`)
calls the same builders by name for the CSV and SVG downloads, so a download never shows more
than the page, and never other numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from poles.access.permissions import visible
from poles.projects.models import Project, ProjectCluster
from poles.registry.models import Cluster
from poles.web import charts
from poles.web.access import programme_clusters, workspace_cluster
from poles.web.charts import Chart, Series
from poles.web.figures import (
    DISCLOSURE_MINIMUM,
    cluster_figures,
    member_series,
    programme_figures,
    project_series,
)
from poles.web.programme import cluster_rows, confidential_ids
from poles.web.templatetags.web import eur, meur, num, pct


def page_format(value: Any, unit: charts.Unit) -> str:
    """Values as the pages write them (the `num`, `eur`, `meur`, `pct` filters); None is “s”."""
    if value is None:
        return "s"
    if unit == "share":
        return pct(value)
    if unit == "meur":
        return meur(value)
    if unit == "eur":
        return eur(value)
    return num(value)


def home_members(request: HttpRequest) -> Chart:
    """Member organisations by category in the reporting year (the home page's key figure)."""
    figures = programme_figures()
    year = figures.member_year
    return Chart(
        key="home-members", kind="bar",
        title=_("Member organisations by category, %(year)s") % {"year": year} if year
        else _("Member organisations by category"),
        description=_("%(n)s member organisations; bars give the number of each category.")
        % {"n": num(figures.members)},
        category_label=_("Category"),
        categories=tuple(str(row.label).capitalize() for row in figures.categories),
        series=(Series(_("Members"), tuple(row.count for row in figures.categories)),),
        extra=(Series(_("Share"), tuple(row.share for row in figures.categories), "share"),),
    )


def home_funding(request: HttpRequest) -> Chart:
    """Public funding of published projects by funder (totals under the secrecy rule are withheld)."""
    figures = programme_figures()
    rows = figures.funding_by_funder
    return Chart(
        key="home-funding", kind="bar",
        title=_("Public funding of published projects by funder"),
        description=_("Amount by funder in millions of euros; totals covering fewer than %(n)d projects "
                      "are not published (“s”).") % {"n": DISCLOSURE_MINIMUM},
        category_label=_("Funder"),
        categories=tuple(str(name) for name, _projects, _total in rows),
        series=(Series(_("Amount"), tuple(total for _name, _projects, total in rows), "meur"),),
        extra=(Series(_("Projects"), tuple(projects for _name, projects, _total in rows)),),
        note=_("Totals covering fewer than %(n)d projects are not published (statistical secrecy, marked “s”).")
        % {"n": DISCLOSURE_MINIMUM},
    )


def _public_cluster(request: HttpRequest, slug: str | None) -> Cluster:
    cluster = visible(request.user, Cluster).filter(slug=slug or "").first()
    if cluster is None:
        raise Http404(_("No cluster with this address."))
    return cluster


def cluster_members(request: HttpRequest, slug: str | None) -> Chart:
    """A cluster's active members per year (public counts, as the profile's key figure)."""
    cluster = _public_cluster(request, slug)
    series = member_series(cluster.pk)
    return Chart(
        key="cluster-members", kind="line",
        title=_("Members of %(name)s per year") % {"name": cluster.short_name or cluster.name},
        description=_("Member organisations (memberships in force) each year from %(first)s to %(last)s.")
        % {"first": series[0][0], "last": series[-1][0]} if series else _("No membership recorded."),
        category_label=_("Year"),
        categories=tuple(str(year) for year, _n in series),
        series=(Series(_("Members"), tuple(n for _year, n in series)),),
    )


def cluster_projects(request: HttpRequest, slug: str | None) -> Chart:
    """A cluster's projects by start year and role, among the projects the reader may see."""
    cluster = _public_cluster(request, slug)
    links = ProjectCluster.objects.filter(cluster=cluster, project__in=visible(request.user, Project))
    years, counts, undated = project_series(links)
    roles = ProjectCluster.Role
    return Chart(
        key="cluster-projects", kind="column", stacked=True,
        title=_("Projects of %(name)s by start year") % {"name": cluster.short_name or cluster.name},
        description=_("Projects labelled or accompanied by the cluster, by the year they started."),
        category_label=_("Start year"),
        categories=tuple(str(y) for y in years),
        series=tuple(Series(str(label).capitalize(), tuple(counts[value])) for value, label in roles.choices),
        note=_("%(n)d projects without a start date are not shown.") % {"n": undated} if undated else "",
    )


def cluster_categories(request: HttpRequest, slug: str | None) -> Chart:
    """A cluster's members by category (its workspace: team and officers in scope only)."""
    cluster = workspace_cluster(request, slug or "")
    figures = cluster_figures(cluster)
    return Chart(
        key="cluster-categories", kind="bar",
        title=_("Members by category, %(year)s") % {"year": figures.year} if figures.year
        else _("Members by category"),
        description=_("%(n)s member organisations by category.") % {"n": num(figures.members)},
        category_label=_("Category"),
        categories=tuple(str(row.label).capitalize() for row in figures.categories),
        series=(Series(_("Members"), tuple(row.count for row in figures.categories)),),
        extra=(Series(_("Share"), tuple(row.share for row in figures.categories), "share"),),
    )


def programme_rows(request: HttpRequest, slugs: list[str] | None = None):
    """The programme rows in the reader's scope; with `slugs`, those clusters in that order (403 if any is outside)."""
    clusters = programme_clusters(request)
    if slugs is not None:
        clusters = clusters.filter(slug__in=slugs)
        if clusters.count() != len(set(slugs)):
            raise PermissionDenied(_("Some of these clusters are outside your scope."))
    rows = cluster_rows(confidential_ids(request.user, clusters))
    if slugs is not None:
        order = {slug: i for i, slug in enumerate(slugs)}
        rows.sort(key=lambda r: order.get(r.summary.slug, 0))
    return rows


def programme_scatter(request: HttpRequest) -> Chart:
    """Members against funding of projects for every cluster in the officer's scope."""
    rows = programme_rows(request)
    return Chart(
        key="programme-scatter", kind="scatter",
        title=_("Members and funding of projects, by cluster"),
        description=_("Each point is a cluster: its members (across) and the public funding of its projects (up)."),
        category_label=_("Cluster"),
        categories=tuple(r.summary.name for r in rows),
        series=(Series(_("Members"), tuple(r.summary.members for r in rows)),
                Series(_("Funding of projects"), tuple(r.funding for r in rows), "meur")),
    )


def _compare_slugs(request: HttpRequest) -> list[str]:
    return list(dict.fromkeys(request.GET.getlist("c")))


def compare_members(request: HttpRequest, rows: list | None = None) -> Chart:
    """Members and SME members of the compared clusters (`rows`: the page's, else read from ?c=)."""
    rows = rows if rows is not None else programme_rows(request, _compare_slugs(request))
    return Chart(
        key="compare-members", kind="bar",
        title=_("Members and SME members"),
        description=_("Member organisations and, among them, SMEs, for each cluster compared."),
        category_label=_("Cluster"),
        categories=tuple(r.summary.name for r in rows),
        series=(Series(_("Members"), tuple(r.summary.members for r in rows)),
                Series(_("SME members").capitalize(), tuple(r.summary.sme_members for r in rows))),
    )


def compare_funding(request: HttpRequest, rows: list | None = None) -> Chart:
    """Funding and total cost of the projects of the compared clusters (`rows`: the page's, else read from ?c=)."""
    rows = rows if rows is not None else programme_rows(request, _compare_slugs(request))
    return Chart(
        key="compare-funding", kind="bar",
        title=_("Funding and total cost of projects"),
        description=_("Public funding and total cost of the projects of each cluster compared, in millions of euros."),
        category_label=_("Cluster"),
        categories=tuple(r.summary.name for r in rows),
        series=(Series(_("Funding of projects"), tuple(r.funding for r in rows), "meur"),
                Series(_("Total cost of projects"), tuple(r.total_cost for r in rows), "meur")),
    )


BUILDERS: dict[str, Callable[[HttpRequest], Chart]] = {
    "home-members": home_members,
    "home-funding": home_funding,
    "cluster-members": lambda request: cluster_members(request, request.GET.get("cluster")),
    "cluster-projects": lambda request: cluster_projects(request, request.GET.get("cluster")),
    "cluster-categories": lambda request: cluster_categories(request, request.GET.get("cluster")),
    "programme-scatter": programme_scatter,
    "compare-members": compare_members,
    "compare-funding": compare_funding,
    "factsheet-ecosystems": lambda request: factsheet_ecosystems(request),
}


def _dashboard_builders() -> None:
    """The dashboards' charts (poles.web.dashboards imports this module's neighbours, not this one)."""
    from poles.web.dashboards import BUILDERS as DASHBOARDS

    BUILDERS.update(DASHBOARDS)


_dashboard_builders()
def factsheet_ecosystems(request: HttpRequest) -> Chart:
    """Figure 1 of the factsheet (public Eurostat figures); 404 when no regional data is configured."""
    from django.http import Http404

    from poles.web.factsheet import Unavailable, country_factsheet, figure_1

    try:
        return figure_1(country_factsheet())
    except Unavailable as error:
        raise Http404(str(error)) from error


class Rendered:
    """A chart ready for the `web/partials/chart.html` template: SVG, table and download links."""

    def __init__(self, chart: Chart, query: dict[str, Any] | None = None) -> None:
        self.chart = chart
        self.key = chart.key
        self.svg: SafeString = mark_safe(charts.render_svg(chart, page_format))  # noqa: S308 — every text escaped
        self.headers, self.rows = charts.table_rows(chart, page_format)
        base = reverse("chart", args=[chart.key])
        params = list((query or {}).items())
        self.csv_url = f"{base}?{urlencode([*params, ('format', 'csv')], doseq=True)}"
        self.svg_url = f"{base}?{urlencode([*params, ('format', 'svg')], doseq=True)}"


def rendered(chart: Chart, **query: Any) -> Rendered:
    """The chart with its table and the download links that rebuild it (`query`: the builder's parameters)."""
    return Rendered(chart, query)

