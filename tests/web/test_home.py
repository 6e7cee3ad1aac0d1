"""The home page: key figures computed from the register."""

from __future__ import annotations

from decimal import Decimal

import factories
import pytest
from django.urls import reverse
from factories import SENTINEL_AID

pytestmark = pytest.mark.django_db


def test_home_counts_clusters_members_and_projects_from_the_register(client, register):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.clusters == 2
    assert figures.members == 3
    assert figures.public_projects == 2


def test_home_hides_a_funding_total_covering_fewer_than_three_projects(client, register):
    response = client.get(reverse("home"))
    assert response.context["figures"].funding_total is None
    assert "153" not in response.content.decode()


def test_home_publishes_the_funding_total_once_three_projects_share_it(client, register):
    third = factories.project("THIRD", clusters=(register.cluster_b,))
    factories.funding(third, Decimal("1000000"))
    response = client.get(reverse("home"))
    assert response.context["figures"].funding_total == 2 * SENTINEL_AID + Decimal("1000000")


def test_home_shares_members_by_category(client, register):
    factories.organisation("Lab", kind="research")
    lab_membership = factories.membership(
        factories.organisation("Lab two", kind="research"), register.cluster_a
    )
    assert lab_membership.year == 2025
    response = client.get(reverse("home"))
    shares = {row.code: row for row in response.context["figures"].categories}
    assert shares["research"].count == 1
    assert shares["unknown"].count == 3
    assert shares["research"].share == Decimal(1) / 4


def test_home_is_in_french_by_default_and_in_english_on_request(client, register):
    assert 'lang="fr"' in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("home")).content.decode()


def test_home_counts_two_members_of_the_same_name_and_kind_twice(client, register):
    for city in ("Lyon", "Brest"):
        factories.membership(factories.organisation("Homonyme", kind="research", city=city), register.cluster_a)
    shares = {row.code: row.count for row in client.get(reverse("home")).context["figures"].categories}
    assert shares["research"] == 2


def test_cached_figures_are_shown_in_each_readers_language(register):
    from django.test import Client

    french = Client(HTTP_ACCEPT_LANGUAGE="fr").get(reverse("home")).content.decode()
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("home")).content.decode()
    assert "Entreprises de taille inconnue" in french
    assert "Companies of unknown size" in english and "inconnue" not in english


def test_home_lists_every_active_cluster_with_a_link_to_its_profile(client, register):
    from poles.registry.models import Cluster

    Cluster.objects.filter(pk=register.cluster_b.pk).update(status=Cluster.Status.FORMER)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'href="/clusters/{register.cluster_a.slug}/"' in page
    assert register.cluster_a.name in page
    assert f'href="/clusters/{register.cluster_b.slug}/"' not in page
