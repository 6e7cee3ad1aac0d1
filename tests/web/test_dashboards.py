"""Dashboards: filters, aggregates withheld under 3 clusters, a cluster's confidential indicators to its readers only."""

from __future__ import annotations

import html
import re

import factories
import pytest
from django.urls import reverse

from poles.indicators import definitions as d
from poles.registry.models import ClusterYear
from poles.web.pagecache import forget_pages

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def three(register):
    """A third cluster in region 84 beside A, so that region 84 holds 2 clusters and the nation 3."""
    c = factories.cluster("Cluster Gamma", regions=("84",))
    for k in range(4):
        factories.membership(factories.organisation(f"Gamma member {k}"), c, 2025)
    ClusterYear.objects.create(cluster=c, year=2025, staff_fte=3, budget_services=123_456_789)
    return c


def test_national_dashboard_shows_the_aggregates_of_three_clusters_to_the_public(client, three):
    body = _text(client.get(reverse("dashboard")))
    assert "Clusters" in body or "Pôles" in body
    assert "Fewer than 3 clusters" not in body and "Moins de 3 pôles" not in body
    assert 'id="chart-dashboard-members"' in client.get(reverse("dashboard")).content.decode()


def _digits(response) -> str:
    return re.sub(r"[\s,.]", "", _text(response))


def test_a_confidential_aggregate_needs_three_contributing_clusters_besides_the_readers_own(client, api_as, three):
    """The engine's secrecy rule (`confidentiality.may_read`) decides each confidential aggregate."""
    ClusterYear.objects.create(cluster=factories.cluster("Cluster Delta", regions=("53",)), year=2025, budget_state=1)
    assert "123456790" not in _digits(client.get(reverse("dashboard")))  # 2 clusters have a 2025 budget
    assert "123456790" in _digits(api_as("national").get(reverse("dashboard")))
    ClusterYear.objects.create(cluster=factories.cluster("Cluster Epsilon", regions=("53",)), year=2025, budget_state=1)
    forget_pages()
    assert "123456791" in _digits(client.get(reverse("dashboard")))  # 3 contribute: published
    assert "123456791" not in _digits(api_as("manager").get(reverse("dashboard")))  # 3 minus A's own: 2


def test_a_region_with_fewer_than_three_clusters_publishes_no_figures(client, three):
    response = client.get(reverse("dashboard_region", args=["84"]))
    body = _text(response)
    assert response.status_code == 200
    assert "Fewer than 3 clusters" in body or "Moins de 3 pôles" in body
    assert 'id="chart-dashboard-members"' not in response.content.decode()


def test_filters_by_region_ecosystem_phase_and_year_keep_only_known_values(client, three):
    response = client.get(reverse("dashboard") + "?year=1999&region=zz&phase=nope&ecosystem=<b>")
    assert response.status_code == 200
    assert 'value="2025" selected' in response.content.decode()


def test_cluster_page_shows_confidential_indicators_to_its_manager_only(client, api_as, cluster_a, three):
    url = reverse("dashboard_cluster", args=[cluster_a.slug]) + "?year=2025"
    manager = _text(api_as("manager").get(url))
    public = _text(client.get(url))
    label = d.get("private_share").label("fr")
    assert label in manager and label not in public
    assert "Médiane des pairs" in public


def test_a_cluster_the_reader_may_not_see_is_not_found(client):
    assert client.get(reverse("dashboard_cluster", args=["nowhere"])).status_code == 404


def test_dashboards_tab_is_offered_to_everyone_and_reports_to_the_national_officer(client, api_as, users, register):
    assert reverse("dashboard") in client.get(reverse("home")).content.decode()
    assert reverse("programme_reports") in api_as("national").get(reverse("programme")).content.decode()
    assert reverse("programme_reports") not in api_as("regional").get(reverse("programme")).content.decode()
