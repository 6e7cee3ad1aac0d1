"""A small register for the reports: three clusters with members, budgets, projects and fundings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import factories
import pytest

from poles.registry.categories import SizeCategory
from poles.registry.models import ClusterYear, Organisation


@pytest.fixture
def world(db):
    w = SimpleNamespace(clusters=[])
    for i, (name, region) in enumerate((("Alpha", "84"), ("Beta", "53"), ("Gamma", "84"))):
        c = factories.cluster(f"Cluster {name}", regions=(region,))
        w.clusters.append(c)
        for year in (2023, 2024):
            for k in range(3 + i + (year - 2023)):
                org = factories.organisation(f"{name} firm {year} {k}", size_category=SizeCategory.SMALL
                                             if k % 2 else SizeCategory.LARGE)
                factories.membership(org, c, year)
            lab = factories.organisation(f"{name} lab {year}", kind=Organisation.Kind.RESEARCH, siren=None)
            factories.membership(lab, c, year)
            ClusterYear.objects.create(cluster=c, year=year, staff_fte=5 + i, budget_membership_fees=Decimal(100_000 * (i + 1)),
                                       budget_services=Decimal(50_000), budget_state=Decimal(120_000))
        p = factories.project(f"P{name}", clusters=(c,), start_date=dt.date(2024, 3, 1), is_public=True)
        factories.funding(p, Decimal(200_000 * (i + 1)), date=dt.date(2024, 4, 1), year=2024)
    w.alpha, w.beta, w.gamma = w.clusters
    w.start = dt.date(2024, 5, 1)
    return w
