"""Renewing a membership year into the next: who is carried over, and with which fee."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from poles.core import audit
from poles.registry.models import Membership

RENEWED_STATUSES = (Membership.Status.MEMBER, Membership.Status.PENDING)


@dataclass(frozen=True)
class Renewal:
    """One membership to create for the next year."""

    organisation_id: int
    fee_invoiced: Decimal


def renewal_plan(
    memberships: Iterable[tuple[int, str, Decimal]], already_next: Iterable[int]
) -> list[Renewal]:
    """From (organisation, status, fee) of a year: members and pending ones not yet in the next year.

    Lapsed and resigned members are not carried over; the fee invoiced is carried as the
    expected fee, nothing is marked paid.
    """
    skip = set(already_next)
    plan = []
    for organisation_id, status, fee in memberships:
        if status in RENEWED_STATUSES and organisation_id not in skip:
            plan.append(Renewal(organisation_id, fee))
            skip.add(organisation_id)
    return plan


def renew_year(user, cluster, year: int) -> list[Membership]:
    """Create the next year's pending memberships of a cluster, with one audit entry each."""
    rows = Membership.objects.filter(cluster=cluster, year=year).values_list(
        "organisation_id", "status", "fee_invoiced"
    )
    already = Membership.objects.filter(cluster=cluster, year=year + 1).values_list("organisation_id", flat=True)
    plan = renewal_plan(rows, already)
    with transaction.atomic():
        created = Membership.objects.bulk_create([
            Membership(organisation_id=r.organisation_id, cluster=cluster, year=year + 1,
                       status=Membership.Status.PENDING, fee_invoiced=r.fee_invoiced)
            for r in plan
        ])
        for membership in Membership.objects.filter(
            cluster=cluster, year=year + 1, organisation_id__in=[r.organisation_id for r in plan]
        ).select_related("organisation"):
            audit.record(user, "create", membership, audit.diff_instances(None, membership), "page",
                         cluster_id=cluster.pk)
    return created
