"""refresh_size_categories: the stored size category follows the whole group and its partners."""

from decimal import Decimal

import factories
import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from poles.registry.categories import SizeCategory
from poles.registry.models import Organisation, OrganisationFigures
from poles.registry.services import refresh_size_categories

pytestmark = pytest.mark.django_db
M = Decimal(1_000_000)


def company(name, staff, turnover, balance=None, *, year=2024, **fields):
    created = factories.organisation(name, **fields)
    OrganisationFigures.objects.create(organisation=created, year=year, staff=staff, turnover=turnover,
                                       balance_sheet=turnover if balance is None else balance)
    return created


def categories(*organisations):
    return [Organisation.objects.get(pk=o.pk).size_category for o in organisations]


def test_a_leaf_three_levels_under_a_large_head_is_large():
    top = company("Top", 9000, 2000 * M)
    mid = company("Mid", 40, 8 * M, group_head=top)
    leaf = company("Leaf", 5, 1 * M, group_head=mid)
    refresh_size_categories([leaf.pk])
    assert categories(leaf, mid, top) == ["large", "large", "large"]


def test_a_sister_branch_counts_for_every_member_of_the_group():
    head = company("Holding", 2, 1 * M)
    small = company("Petite filiale", 5, 1 * M, group_head=head)
    big = company("Grosse filiale", 400, 90 * M, group_head=head)
    grandchild = company("Sous-filiale", 3, 1 * M, group_head=small)
    refresh_size_categories([grandchild.pk])
    assert categories(grandchild, small, head, big) == ["eti"] * 4


def test_a_partner_at_30_percent_counts_30_percent_of_its_figures():
    partner = company("Partenaire", 40, 8 * M)
    firm = company("PME", 30, 5 * M, group_head=partner, group_share=Decimal(30))
    refresh_size_categories([firm.pk])
    assert categories(firm, partner) == ["small", "small"]  # 30 + 12 persons; 40 + 9 persons
    OrganisationFigures.objects.filter(organisation=partner).update(staff=200)
    refresh_size_categories([partner.pk])  # the partner's change reaches the firm it holds
    assert categories(firm, partner) == ["medium", "medium"]  # 30 + 60 persons; 200 + 9 persons


def test_a_cycle_of_group_heads_does_not_hang():
    a = company("A", 3, 1 * M)
    b = company("B", 3, 1 * M, group_head=a)
    c = company("C", 3000, 1 * M, group_head=b)
    Organisation.objects.filter(pk=a.pk).update(group_head=c)
    assert refresh_size_categories([a.pk]) == 3
    assert categories(a, b, c) == ["eti"] * 3


def test_an_organisation_cannot_head_its_own_group_nor_hold_a_share_without_a_head():
    firm = company("Seule", 3, 1 * M)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=firm.pk).update(group_head=firm)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=firm.pk).update(group_share=Decimal(30))


def test_the_query_count_does_not_grow_with_the_organisations_refreshed():
    head = company("Tête", 100, 10 * M)
    firms = [company(f"Firme {n}", n, 1 * M, group_head=head if n % 3 else None,
                     group_share=Decimal(30) if n % 3 == 2 else None) for n in range(1, 41)]
    Organisation.objects.update(size_category="unknown", size_year=None)  # every row to write
    with CaptureQueriesContext(connection) as captured:
        assert refresh_size_categories([f.pk for f in firms]) == 41
    # Three reads, then one update per category and year that changed: never one per organisation.
    assert len(captured) <= 3 + len(SizeCategory)
