"""The map page: a figure by region (overseas included), each region a link, seats, tables."""

from __future__ import annotations

from decimal import Decimal

import factories
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_map_counts_clusters_by_region_and_links_to_the_directory(client, register):
    response = client.get(reverse("map"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-region="84" data-value="1"' in body
    assert 'href="/clusters/?region=84"' in body
    rows = {row["region"].code: row["figures"].clusters for row in response.context["rows"]}
    assert rows["84"] == 1 and rows["53"] == 1


def test_map_draws_the_five_overseas_regions_and_names_the_outlines_licence(client, register):
    body = client.get(reverse("map")).content.decode()
    for code in ("01", "02", "03", "04", "06"):
        assert f'data-region="{code}"' in body
    for name in ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"):
        assert name in body
    assert "Natural Earth" in body and "Licence Ouverte" in body
    assert "CC BY-NC" not in body and "svg-maps" not in body


def test_map_offers_the_table_as_text_alternative(client, register):
    body = client.get(reverse("map")).content.decode()
    assert 'id="map-table"' in body and 'href="#map-table"' in body


def test_each_measure_fills_the_map_with_the_figure_of_the_table(client, register):
    for measure in ("clusters", "members", "projects", "funding"):
        response = client.get(reverse("map"), {"measure": measure})
        body = response.content.decode()
        for row in response.context["rows"]:
            value = getattr(row["figures"], measure)
            assert f'data-region="{row["region"].code}" data-value="{"" if value is None else value}"' in body


def test_members_by_region_are_the_members_of_the_directory(client, register):
    response = client.get(reverse("map"), {"measure": "members"})
    rows = {row["region"].code: row["figures"] for row in response.context["rows"]}
    directory = client.get(reverse("directory"), {"region": "84"})
    assert rows["84"].members == sum(s.members for s in directory.context["page"].object_list)


def test_regional_funding_is_withheld_under_three_projects_and_published_from_three(client, register):
    rows = {r["region"].code: r["figures"] for r in client.get(reverse("map")).context["rows"]}
    assert rows["84"].funded_projects < 3 and rows["84"].funding is None
    for n in range(3):
        p = factories.project(f"EXTRA{n}", clusters=(register.cluster_a,), is_public=True)
        factories.funding(p, Decimal("1000000"))
    from django.core.cache import cache

    cache.clear()
    rows = {r["region"].code: r["figures"] for r in client.get(reverse("map")).context["rows"]}
    assert rows["84"].funded_projects >= 3 and rows["84"].funding >= Decimal("3000000")


def test_cluster_seats_are_points_in_the_departement_of_their_head_office(client, register):
    from poles.territories.models import Commune, Departement

    departement = Departement.objects.get_or_create(
        code="63", defaults={"name": "Puy-de-Dôme", "region": factories.region("84")})[0]
    register.cluster_a.head_office = Commune.objects.get_or_create(
        code="63113", defaults={"name": "Clermont-Ferrand", "departement": departement})[0]
    register.cluster_a.save()
    body = client.get(reverse("map")).content.decode()
    assert 'data-departement="63" data-count="1"' in body
    assert "Puy-de-Dôme" in body and "Cluster Alpha" in body


def test_an_unknown_measure_falls_back_to_the_clusters(client, register):
    response = client.get(reverse("map"), {"measure": "<script>"})
    assert response.status_code == 200 and response.context["measure"] == "clusters"
