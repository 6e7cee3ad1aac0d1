"""The workspace's audit trail: the cluster's entries, for its managers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from poles.core import audit

pytestmark = pytest.mark.django_db


def test_audit_page_lists_the_clusters_entries_only(client_for, register, users):
    audit.record(users["admin"], "update", register.org_a, {"name": ["a", "b"]}, "page", cluster_id=register.cluster_a.pk)
    audit.record(users["admin"], "update", register.org_b, {"name": ["c", "d"]}, "page", cluster_id=register.cluster_b.pk)
    response = client_for("manager").get(reverse("workspace_audit", args=[register.cluster_a.slug]))
    entries = list(response.context["page"].object_list)
    assert [e.object_repr for e in entries] == ["Alpha Other Member"]
    assert "Beta Member" not in response.content.decode()
