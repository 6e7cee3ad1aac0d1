"""The map page: clusters by region, each region a link, with a table as text alternative."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_map_counts_clusters_by_region_and_links_to_the_directory(client, register):
    response = client.get(reverse("map"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-region="84" data-count="1"' in body
    assert 'href="/clusters/?region=84"' in body
    rows = {row["region"].code: row["count"] for row in response.context["rows"]}
    assert rows["84"] == 1 and rows["53"] == 1


def test_map_offers_the_table_as_text_alternative(client, register):
    body = client.get(reverse("map")).content.decode()
    assert 'id="map-table"' in body and 'href="#map-table"' in body
