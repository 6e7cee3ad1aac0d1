"""The public cluster profile: ECCP fields for all, confidential parts only for those entitled."""

from __future__ import annotations

import pytest
from django.urls import reverse
from factories import SECRET_ACRONYM, SECRET_EMAIL

pytestmark = pytest.mark.django_db


def profile(client_for, role, cluster):
    return client_for(role).get(reverse("cluster_profile", args=[cluster.slug]))


def test_profile_shows_the_mission_members_and_published_contacts_to_the_public(client_for, register):
    response = profile(client_for, "anonymous", register.cluster_a)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Public mission of Alpha" in body
    assert "director@example.org" in body
    assert response.context["summary"].members == 2


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "reviewer"])
def test_profile_keeps_unpublished_contacts_budget_and_projects_from_the_public(client_for, register, role):
    body = profile(client_for, role, register.cluster_a).content.decode()
    assert SECRET_EMAIL not in body
    assert "54321" not in body and "54 321" not in body
    assert SECRET_ACRONYM not in body


@pytest.mark.parametrize("role", ["manager", "national", "regional", "admin"])
def test_profile_shows_budget_and_unpublished_data_to_the_team_and_officers(client_for, register, role):
    body = profile(client_for, role, register.cluster_a).content.decode()
    assert SECRET_EMAIL in body
    assert "54\u00a0322" in body
    assert SECRET_ACRONYM in body


def test_profile_lists_fellow_members_to_a_member_representative_only(client_for, register):
    assert "Alpha Other Member" in profile(client_for, "member", register.cluster_a).content.decode()
    assert "Alpha Other Member" not in profile(client_for, "anonymous", register.cluster_a).content.decode()


def test_profile_of_an_unknown_cluster_is_404(client):
    assert client.get(reverse("cluster_profile", args=["no-such-cluster"])).status_code == 404


def test_profile_context_holds_no_budget_line_for_the_public(client_for, register):
    response = profile(client_for, "anonymous", register.cluster_a)
    assert response.context["budget"] is None
    assert "budget_state" not in response.context["staff"]
    assert response.context["staff"]["staff_fte"] == 8
