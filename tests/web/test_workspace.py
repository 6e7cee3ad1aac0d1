"""The workspace entry: key figures for the cluster's team and the officers in scope, no one else."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["manager", "admin", "national", "regional"])
def test_workspace_opens_for_the_team_and_officers_in_scope(client_for, register, role):
    response = client_for(role).get(reverse("workspace", args=[register.cluster_a.slug]))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.members == 2
    assert figures.fees_invoiced == register.membership_member.fee_invoiced + register.membership_a.fee_invoiced
    assert figures.projects_labelled == 2


@pytest.mark.parametrize("role", ["member", "reviewer", "outsider"])
def test_workspace_is_refused_to_others(client_for, register, role):
    assert client_for(role).get(reverse("workspace", args=[register.cluster_a.slug])).status_code == 403


def test_workspace_of_a_cluster_outside_the_regional_scope_is_refused(client_for, register):
    assert client_for("regional").get(reverse("workspace", args=[register.cluster_b.slug])).status_code == 403


def test_workspace_sends_the_anonymous_visitor_to_log_in(client_for, register):
    response = client_for("anonymous").get(reverse("workspace", args=[register.cluster_a.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_workspace_index_sends_a_manager_to_their_only_cluster(client_for, register):
    response = client_for("manager").get(reverse("workspace_index"))
    assert response["Location"] == reverse("workspace", args=[register.cluster_a.slug])


def test_workspace_marks_officers_read_only(client_for, register):
    body = client_for("national").get(reverse("workspace", args=[register.cluster_a.slug])).content.decode()
    assert "read only" in body or "lecture seule" in body
