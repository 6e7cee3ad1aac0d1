"""Charts on the pages and their downloads, through the permission layer; counts on links equal their page."""

from __future__ import annotations

import csv
import io
import re
import xml.dom.minidom
from decimal import Decimal

import factories
import pytest
from django.urls import reverse

from poles.web.figures import member_series, programme_figures

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ","))


def _chart_url(name: str, fmt: str, **params) -> str:
    query = "&".join([*(f"{k}={v}" for k, v in params.items()), f"format={fmt}"])
    return f"{reverse('chart', args=[name])}?{query}"


def test_home_draws_members_by_category_with_its_table_and_download_links(client, register):
    body = client.get(reverse("home")).content.decode()
    assert 'id="chart-home-members"' in body and 'id="chart-home-funding"' in body
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in body and 'role="img"' in body
    figures = programme_figures()
    table = body[body.index('id="chart-home-members"'):body.index('id="chart-home-funding"')]
    for row in figures.categories:
        assert str(row.label).capitalize() in table
    assert "/charts/home-members/?format=csv" in body and "/charts/home-members/?format=svg" in body


def test_home_csv_is_the_chart_data_in_french_spreadsheet_form(client, register):
    response = client.get(_chart_url("home-members", "csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = _csv(response)
    figures = programme_figures()
    assert rows[0] == ["Catégorie", "Membres", "Part"]
    assert [(r[0], int(r[1])) for r in rows[1:]] == [(str(c.label).capitalize(), c.count) for c in figures.categories]
    assert all("," in r[2] or r[2] == "1" for r in rows[1:])  # decimal comma


def test_svg_download_is_a_standalone_image(client, register):
    response = client.get(_chart_url("home-funding", "svg"))
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in response["Content-Disposition"]
    doc = xml.dom.minidom.parseString(response.content)  # noqa: S318 — our own output
    assert doc.documentElement.tagName == "svg"


def test_funding_by_funder_withholds_totals_of_fewer_than_three_projects(client, register):
    rows = _csv(client.get(_chart_url("home-funding", "csv")))
    anr = next(r for r in rows[1:] if r[0] == "ANR")
    assert anr[1] == "" and int(anr[2]) == 2  # amount withheld, its two projects counted


def test_unknown_chart_is_404_and_unknown_format_400_in_words(client, register):
    assert client.get(reverse("chart", args=["nothing"])).status_code == 404
    response = client.get(_chart_url("home-members", "pdf"))
    assert response.status_code == 400 and "csv" in response.content.decode()


def test_cluster_projects_chart_shows_only_what_the_reader_may_see(client_for, register):
    from poles.projects.models import Project

    Project.objects.filter(pk__in=[register.public_project.pk, register.hidden_project.pk]).update(
        start_date="2024-03-01")
    slug = register.cluster_a.slug
    anonymous = _csv(client_for("anonymous").get(_chart_url("cluster-projects", "csv", cluster=slug)))
    manager = _csv(client_for("manager").get(_chart_url("cluster-projects", "csv", cluster=slug)))
    assert sum(int(v) for r in anonymous[1:] for v in r[1:]) == 1  # the published project only
    assert sum(int(v) for r in manager[1:] for v in r[1:]) == 2  # and the unpublished one


def test_workspace_and_programme_charts_are_refused_outside_their_readers(client_for, register):
    slug = register.cluster_a.slug
    assert client_for("anonymous").get(_chart_url("cluster-categories", "csv", cluster=slug)).status_code == 403
    assert client_for("outsider").get(_chart_url("cluster-categories", "csv", cluster=slug)).status_code == 403
    assert client_for("manager").get(_chart_url("cluster-categories", "csv", cluster=slug)).status_code == 200
    assert client_for("anonymous").get(_chart_url("programme-scatter", "csv")).status_code == 403
    assert client_for("manager").get(_chart_url("programme-scatter", "csv")).status_code == 403
    assert client_for("national").get(_chart_url("programme-scatter", "csv")).status_code == 200


def test_compare_charts_refuse_clusters_outside_the_scope_as_the_page_does(client_for, register):
    both = f"c={register.cluster_a.slug}&c={register.cluster_b.slug}&format=csv"
    url = f"{reverse('chart', args=['compare-members'])}?{both}"
    assert client_for("regional").get(url).status_code == 403
    assert client_for("regional").get(reverse("programme_compare") + "?" + both).status_code == 403
    rows = _csv(client_for("national").get(url))
    assert [r[0] for r in rows[1:]] == ["Cluster Alpha", "Cluster Beta"]


def test_a_missing_cluster_is_404(client, register):
    assert client.get(_chart_url("cluster-members", "csv", cluster="nowhere")).status_code == 404


def test_member_series_ends_on_the_key_figure_of_profile_directory_and_workspace(client_for, register):
    factories.membership(register.org_b, register.cluster_a, year=2023)
    series = member_series(register.cluster_a.pk)
    profile = client_for("manager").get(reverse("cluster_profile", args=[register.cluster_a.slug]))
    workspace = client_for("manager").get(reverse("workspace", args=[register.cluster_a.slug]))
    assert series[-1] == (2025, profile.context["summary"].members)
    assert series[-1][1] == workspace.context["figures"].members == 2
    assert dict(series)[2023] == 1
    rows = _csv(client_for("anonymous").get(_chart_url("cluster-members", "csv", cluster=register.cluster_a.slug)))
    assert rows[-1] == ["2025", "2"]


def _link(body: str, href_start: str) -> tuple[str, int]:
    """The first link starting with href_start and the number it shows."""
    match = re.search(rf'<a href="({re.escape(href_start)}[^"]*)">[^<\d]*([\d\u202f\u00a0 ]+)', body)
    assert match, f"no link to {href_start}"
    return match.group(1).replace("&amp;", "&"), int(re.sub(r"\D", "", match.group(2)))


@pytest.mark.parametrize("role", ["anonymous", "manager", "national"])
def test_project_counts_on_profile_links_equal_the_page_they_open(client_for, register, role):
    client = client_for(role)
    body = client.get(reverse("cluster_profile", args=[register.cluster_a.slug])).content.decode()
    href, shown = _link(body, reverse("projects") + "?cluster=")
    assert client.get(href).context["total"] == shown == 1
    if role != "anonymous":
        href, shown = _link(body, reverse("workspace_projects", args=[register.cluster_a.slug]))
        assert client.get(href).context["page"].paginator.count == shown == 2


def test_workspace_member_figure_links_to_a_list_of_as_many_members(client_for, register):
    factories.membership(register.org_b, register.cluster_a, year=2025, status="pending")
    client = client_for("manager")
    body = client.get(reverse("workspace", args=[register.cluster_a.slug])).content.decode()
    href, shown = _link(body, reverse("workspace_members", args=[register.cluster_a.slug]))
    assert shown == 2
    assert client.get(href).context["total"] == shown
    href, shown = _link(body, reverse("workspace_projects", args=[register.cluster_a.slug]))
    assert client.get(href).context["page"].paginator.count == shown == 2


def test_funding_is_written_in_one_unit_on_the_programme_table_comparison_and_workspace(client_for, register):
    client = client_for("national")
    factories.funding(register.public_project, Decimal("1234567"), funder="bpifrance")
    programme = client.get(reverse("programme")).content.decode()
    compare = client.get(reverse("programme_compare"),
                         {"c": [register.cluster_a.slug, register.cluster_b.slug]}).content.decode()
    workspace = client.get(reverse("workspace", args=[register.cluster_a.slug])).content.decode()
    row = next(r for r in client.get(reverse("programme")).context["rows"] if r.summary.slug == register.cluster_a.slug)
    from django.utils import translation

    from poles.web.templatetags.web import eur, meur

    with translation.override("fr"):
        shown, long_form = meur(row.funding), eur(row.funding)
    for page in (programme, compare, workspace):
        assert shown in page and long_form not in page
