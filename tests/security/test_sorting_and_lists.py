"""Sorting, list filters and the reporting year go through the same rules as reading (issue 7, findings 4–6)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from factories import funding, membership, organisation, participation, project

from poles.registry.models import Membership
from poles.registry.programme import current_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def ranked(register):
    """Public projects of cluster B whose hidden amounts rank them opposite to their creation order."""
    made = []
    for n, amount in enumerate(("900000.00", "500000.00", "100000.00")):
        p = project(f"RANK{n}", clusters=(register.cluster_b,), is_public=True, total_cost=Decimal(amount))
        funding(p, Decimal(amount))
        participation(p, register.org_b, aid=Decimal(amount))
        made.append(p)
    return made


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/projects?cluster={slug}", "total_cost"),
    ("/api/v1/fundings?cluster={slug}", "amount"),
    ("/api/v1/participations?cluster={slug}", "aid"),
])
def test_sorting_on_a_confidential_amount_ranks_nothing_the_reader_cannot_read(ranked, register, url, field):
    url = url.format(slug=register.cluster_b.slug)
    anonymous = Client()
    plain = ids(anonymous.get(url + "&ordering=id"))
    assert ids(anonymous.get(url + f"&ordering=-{field}")) == plain
    assert ids(anonymous.get(url + f"&ordering={field}")) == plain


def test_an_officer_who_reads_the_amounts_gets_them_sorted(ranked, register, api_as):
    national = api_as("national")
    url = f"/api/v1/projects?cluster={register.cluster_b.slug}&ordering=total_cost"
    costs = [r["total_cost"] and Decimal(r["total_cost"]["amount"]) for r in national.get(url).json()["results"]]
    known = [c for c in costs if c is not None]
    assert len(known) == 4 and known == sorted(known)
    assert costs[: len(known)] == known


def test_a_member_representative_cannot_rank_fees_they_cannot_read(register, api_as):
    for n, paid in enumerate(("0.00", "500.00", "250.00")):
        membership(organisation(f"Payer {n}", supplied_by=register.cluster_a), register.cluster_a,
                   fee_invoiced=Decimal("500.00"), fee_paid=Decimal(paid))
    member = api_as("member")
    url = f"/api/v1/memberships?cluster={register.cluster_a.slug}&page_size=50"
    plain = ids(member.get(url + "&ordering=id"))
    assert ids(member.get(url + "&ordering=fee_paid")) == plain
    assert ids(member.get(url + "&ordering=-fee_paid")) == plain
    manager = api_as("manager").get(url + "&ordering=fee_paid").json()["results"]
    paid = [Decimal(r["fee_paid"]["amount"]) for r in manager]
    assert paid == sorted(paid)


def test_a_clusters_member_list_is_not_public_through_the_organisation_filter(register, api_as):
    membership(organisation("Resigned One"), register.cluster_a, status=Membership.Status.RESIGNED)
    url = f"/api/v1/organisations?cluster={register.cluster_a.slug}&year=2025"
    assert Client().get(url).json()["count"] == 0
    assert api_as("outsider").get(url).json()["count"] == 0
    assert api_as("manager").get(url).json()["count"] == 3
    assert api_as("member").get(url).json()["count"] == 3


def test_years_after_the_next_are_refused(register, api_as):
    response = api_as("manager").post("/api/v1/memberships", data={
        "organisation": register.org_b.pk, "cluster": register.cluster_a.pk, "year": current_year() + 2,
    }, content_type="application/json")
    assert response.status_code == 422, response.content
    assert "year" in response.json()["detail"]
    response = api_as("manager").post("/api/v1/memberships", data={
        "organisation": register.org_b.pk, "cluster": register.cluster_a.pk, "year": current_year() + 1,
    }, content_type="application/json")
    assert response.status_code == 201


def test_a_row_far_in_the_future_does_not_empty_the_public_figures(register, settings):
    from poles.web.figures import programme_figures
    from poles.web.pagecache import forget_pages

    settings.POLES_CURRENT_YEAR = 2026
    Membership.objects.filter(pk=register.membership_a.pk).update(year=2025)
    Membership.objects.create(organisation=register.org_b, cluster=register.cluster_a, year=2030)
    forget_pages()
    figures = programme_figures()
    assert figures.member_year == 2025 and figures.members > 0
    page = Client().get("/clusters/")
    assert page.status_code == 200


def test_fee_paid_above_invoiced_is_refused_by_the_api(register, api_as):
    response = api_as("manager").patch(f"/api/v1/memberships/{register.membership_a.pk}",
                                       data={"fee_paid": "999999.00"}, content_type="application/json")
    assert response.status_code == 422
    assert "fee_paid" in response.json()["detail"]
    register.membership_a.refresh_from_db()
    assert register.membership_a.fee_paid != Decimal("999999.00")
