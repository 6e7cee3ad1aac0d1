"""Memberships and fees by year, and the renewal of a year into the next."""

from __future__ import annotations

import factories
import pytest
from django.urls import reverse

from poles.core.models import AuditEntry
from poles.registry.models import Membership

pytestmark = pytest.mark.django_db


def test_memberships_page_totals_fees_by_year(client_for, register):
    response = client_for("manager").get(reverse("workspace_memberships", args=[register.cluster_a.slug]))
    (row,) = response.context["years"]
    assert row["year"] == 2025 and row["total"] == 2
    assert row["invoiced"] == register.membership_member.fee_invoiced + register.membership_a.fee_invoiced


def test_renewal_carries_members_into_next_year_as_pending(client_for, register):
    factories.membership(factories.organisation("Gone"), register.cluster_a, status="resigned")
    response = client_for("manager").post(reverse("workspace_renew", args=[register.cluster_a.slug]), {"year": "2025"})
    assert response.status_code == 302
    renewed = Membership.objects.filter(cluster=register.cluster_a, year=2026)
    assert {m.organisation.name for m in renewed} == {"Member Rep Org", "Alpha Other Member"}
    assert {m.status for m in renewed} == {"pending"}
    assert {m.fee_paid for m in renewed} == {0}
    assert AuditEntry.objects.filter(model="registry.Membership", cluster_id=register.cluster_a.pk).count() == 2


def test_renewing_twice_creates_nothing_more(client_for, register):
    client = client_for("manager")
    url = reverse("workspace_renew", args=[register.cluster_a.slug])
    client.post(url, {"year": "2025"})
    client.post(url, {"year": "2025"})
    assert Membership.objects.filter(cluster=register.cluster_a, year=2026).count() == 2


def test_renewing_a_year_without_members_says_so(client_for, register):
    response = client_for("manager").post(
        reverse("workspace_renew", args=[register.cluster_a.slug]), {"year": "1999"}, follow=True
    )
    assert "1999" in response.content.decode()
    assert not Membership.objects.filter(year=2000).exists()


@pytest.mark.parametrize("role", ["national", "regional"])
def test_officers_read_memberships_but_cannot_renew(client_for, register, role):
    client = client_for(role)
    assert client.get(reverse("workspace_memberships", args=[register.cluster_a.slug])).status_code == 200
    assert client.post(reverse("workspace_renew", args=[register.cluster_a.slug]), {"year": "2025"}).status_code == 403
