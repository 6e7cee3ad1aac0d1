"""The cluster directory: shared filters, text search, HTMX partial refresh, pagination."""

from __future__ import annotations

import datetime as dt

import factories
import pytest
from django.urls import reverse

from poles.registry.models import Label

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [s.name for s in response.context["page"].object_list]


def test_directory_lists_every_cluster_to_the_public(client, register):
    response = client.get(reverse("directory"))
    assert response.status_code == 200
    assert names(response) == ["Cluster Alpha", "Cluster Beta"]


def test_directory_filters_by_region(client, register):
    response = client.get(reverse("directory"), {"region": "53"})
    assert names(response) == ["Cluster Beta"]


def test_directory_searches_the_mission_text(client, register):
    response = client.get(reverse("directory"), {"q": "mission of alpha"})
    assert names(response) == ["Cluster Alpha"]


def test_directory_filters_by_excellence_label_level(client, register):
    Label.objects.create(kind=Label.Kind.EXCELLENCE, name="ECEI", level="gold", issuer="ESCA",
                         awarded=dt.date(2024, 1, 1), cluster=register.cluster_b)
    response = client.get(reverse("directory"), {"label": "gold"})
    assert names(response) == ["Cluster Beta"]
    assert "gold" in response.content.decode().lower()


def test_directory_filters_by_size_band_of_members(client, register):
    for n in range(100):
        factories.membership(factories.organisation(f"Big member {n}"), register.cluster_b)
    assert names(client.get(reverse("directory"), {"size": "medium"})) == ["Cluster Beta"]
    assert names(client.get(reverse("directory"), {"size": "small"})) == ["Cluster Alpha"]


def test_directory_answers_htmx_with_the_results_block_only(client, register):
    response = client.get(reverse("directory"), {"region": "84"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert "Cluster Alpha" in body and "Cluster Beta" not in body


def test_directory_reports_an_unknown_filter_value_and_ignores_it(client, register):
    response = client.get(reverse("directory"), {"region": "zz"})
    assert response.status_code == 200
    assert response.context["form"].errors["region"]
    assert names(response) == ["Cluster Alpha", "Cluster Beta"]


def test_directory_paginates_by_24(client, register):
    for n in range(30):
        factories.cluster(f"Extra {n:02d}")
    first = client.get(reverse("directory"))
    assert len(first.context["page"].object_list) == 24
    assert first.context["total"] == 32
    second = client.get(reverse("directory"), {"page": 2})
    assert len(second.context["page"].object_list) == 8
