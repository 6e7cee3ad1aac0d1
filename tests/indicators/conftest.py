"""The indicators' small world: three clusters in two regions, members over two years, projects, a budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from factories import cluster, funding, membership, organisation, project

from poles.registry.models import Certification, ClusterYear, Phase


@pytest.fixture
def world(db):
    w = SimpleNamespace()
    w.a = cluster("Alpha", regions=("84",))
    w.b = cluster("Beta", regions=("84",))
    w.c = cluster("Gamma", regions=("53",))
    w.micro = organisation("Micro", kind="company", size_category="micro")
    w.medium = organisation("Medium", kind="company", size_category="medium")
    w.lab = organisation("Lab", kind="research", size_category="unknown")
    w.gone = organisation("Gone", kind="company", size_category="large")
    membership(w.micro, w.a, 2023)
    membership(w.gone, w.a, 2023, fee_invoiced=Decimal(900))
    membership(w.micro, w.a, 2024, fee_invoiced=Decimal(100), fee_paid=Decimal(100))
    membership(w.micro, w.b, 2024, fee_invoiced=Decimal(50))
    membership(w.medium, w.a, 2024, fee_invoiced=Decimal(300))
    membership(w.lab, w.c, 2024)
    membership(w.gone, w.a, 2024, status="resigned")
    w.p1 = project("P1", clusters=(w.a, w.b), start_date=dt.date(2024, 3, 1), status="running",
                   rd_expenditure=Decimal(250), total_cost=Decimal(300))
    funding(w.p1, Decimal(100), funder="anr", instrument="grant")
    funding(w.p1, Decimal(50), funder="bpifrance", instrument="loan")
    w.p2 = project("P2", clusters=(w.c,), start_date=dt.date(2024, 9, 1), status="completed",
                   rd_expenditure=Decimal(300), patents=2)
    funding(w.p2, Decimal(100), funder="eu", instrument="grant")
    project("OLD", clusters=(w.c,), start_date=dt.date(2022, 1, 1))
    ClusterYear.objects.create(cluster=w.a, year=2024, staff_fte=Decimal(8),
                               budget_membership_fees=Decimal(450), budget_services=Decimal(150),
                               budget_state=Decimal(400))
    phase = Phase.objects.get_or_create(code="V", defaults={"number": 5, "start_year": 2023, "end_year": 2026})[0]
    Certification.objects.create(cluster=w.a, phase=phase, outcome="certified")
    Certification.objects.create(cluster=w.c, phase=phase, outcome="refused")
    return w
