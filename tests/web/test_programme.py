"""The programme workspace: clusters in scope with sortable figures, and the comparison."""

from __future__ import annotations

import factories
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [r.summary.name for r in response.context["rows"]]


def test_national_officer_sees_every_cluster(client_for, register):
    assert names(client_for("national").get(reverse("programme"))) == ["Cluster Alpha", "Cluster Beta"]


def test_regional_officer_sees_the_clusters_of_their_region(client_for, register):
    assert names(client_for("regional").get(reverse("programme"))) == ["Cluster Alpha"]


@pytest.mark.parametrize("role", ["manager", "member", "outsider", "reviewer"])
def test_programme_is_refused_to_others(client_for, register, role):
    assert client_for(role).get(reverse("programme")).status_code == 403


def test_programme_sorts_by_members_descending(client_for, register):
    factories.membership(factories.organisation("Extra"), register.cluster_b)
    factories.membership(factories.organisation("Extra two"), register.cluster_b)
    response = client_for("national").get(reverse("programme"), {"sort": "-members"})
    assert names(response) == ["Cluster Beta", "Cluster Alpha"]


def test_officer_compares_three_clusters_side_by_side(client_for, register):
    third = factories.cluster("Cluster Gamma", regions=("11",))
    response = client_for("national").get(
        reverse("programme_compare") + f"?c={third.slug}&c={register.cluster_a.slug}&c={register.cluster_b.slug}"
    )
    assert response.status_code == 200
    assert names(response) == ["Cluster Gamma", "Cluster Alpha", "Cluster Beta"]
    assert response.context["rows"][1].funding == register.funding_a.amount


def test_comparison_needs_two_to_five_clusters(client_for, register):
    response = client_for("national").get(reverse("programme_compare") + f"?c={register.cluster_a.slug}")
    assert response.status_code == 400
    assert response.context["error"]


def test_comparison_outside_the_regional_scope_is_refused(client_for, register):
    response = client_for("regional").get(
        reverse("programme_compare") + f"?c={register.cluster_a.slug}&c={register.cluster_b.slug}"
    )
    assert response.status_code == 403


def test_programme_export_has_the_tables_rows_in_its_order(client_for, register):
    response = client_for("national").get(reverse("programme_export"), {"format": "csv", "sort": "-name"})
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert [line.split(";")[0] for line in lines[1:]] == ["Cluster Beta", "Cluster Alpha"]


def test_programme_export_follows_the_regional_scope(client_for, register):
    response = client_for("regional").get(reverse("programme_export"), {"format": "csv"})
    assert "Cluster Beta" not in response.content.decode("utf-8-sig")
    assert client_for("manager").get(reverse("programme_export")).status_code == 403
