"""Inviting a person to the cluster from its workspace."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from poles.access.models import Grant

pytestmark = pytest.mark.django_db


def test_manager_invites_a_member_representative(client_for, register):
    response = client_for("manager").post(
        reverse("workspace_invite", args=[register.cluster_a.slug]),
        {"email": "new.rep@example.org", "role": "member", "organisation": register.org_a.pk},
    )
    assert response.status_code == 302
    grant = Grant.objects.get(user__email="new.rep@example.org")
    assert (grant.role, grant.cluster, grant.organisation) == ("member", register.cluster_a, register.org_a)
    assert mail.outbox and "new.rep@example.org" in mail.outbox[0].to


def test_inviting_a_member_without_organisation_says_why(client_for, register):
    response = client_for("manager").post(
        reverse("workspace_invite", args=[register.cluster_a.slug]),
        {"email": "new.rep@example.org", "role": "member"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Grant.objects.filter(user__email="new.rep@example.org").exists()


@pytest.mark.parametrize("role", ["regional", "member", "reviewer"])
def test_read_only_roles_do_not_invite(client_for, register, role):
    response = client_for(role).post(
        reverse("workspace_invite", args=[register.cluster_a.slug]),
        {"email": "x@example.org", "role": "manager"},
    )
    assert response.status_code == 403
