"""Helpers of the calls tests: a published call with rules, a grid and an open round; complete consortia."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factories
from django.utils import timezone

from poles.calls import deciding, submissions
from poles.calls.models import CallSetup
from poles.registry.models import Organisation
from poles.territories.models import Commune

RULES = [
    {"kind": "min_companies", "n": 2},
    {"kind": "min_sme_or_eti", "n": 1},
    {"kind": "min_research", "n": 1},
    {"kind": "coordinator_kind", "kinds": ["company"]},
    {"kind": "partner_countries", "codes": ["FR"], "who": "all"},
    {"kind": "cost_categories", "allowed": ["staff", "equipment", "overheads"]},
    {"kind": "max_aid_per_partner", "amount": 500000},
    {"kind": "aid_within_rates"},
    {"kind": "duration", "min_months": 12, "max_months": 48},
    {"kind": "labelling", "n": 1},
]
GRID = [
    {"key": "excellence", "label_fr": "Excellence", "label_en": "Excellence", "weight": 2, "low": 0, "high": 5,
     "comment_below": 2},
    {"key": "impact", "label_fr": "Impact", "label_en": "Impact", "weight": 1, "low": 0, "high": 5},
]
FORM = [{"key": "summary", "kind": "text", "label_fr": "Résumé", "label_en": "Summary", "max_length": 2000}]


def commune(region: str) -> Commune:
    found = Commune.objects.filter(departement__region_id=region).order_by("code").first()
    assert found is not None, f"reference data has no commune in region {region}"
    return found


def org(name: str, kind: str = "company", size: str = "small", region: str = "84", **fields) -> Organisation:
    return factories.organisation(name, kind=kind, size_category=size, commune=commune(region), **fields)


def make_call(officer, *, code: str = "IDEMO-2026", envelope: Decimal = Decimal(1_000_000), opens=None, closes=None,
              **fields) -> CallSetup:
    call = factories.call(code, funder="bpifrance", programme="i-Démo", title="i-Démo 2026")
    setup = CallSetup.objects.create(call=call, envelope=envelope, eligibility=RULES, grid=GRID, form=FORM,
                                     reviews_per_file=fields.pop("reviews_per_file", 2), **fields)
    now = timezone.now()
    deciding.add_round(officer, setup, opens or now - dt.timedelta(days=10), closes or now + dt.timedelta(days=10))
    return deciding.publish(officer, setup)


def consortium(w, setup, creator, coordinator, partners, *, acronym, requested=Decimal(40000)):
    """A complete draft: costs within the categories, aid within the rates, a summary, 24 months."""
    app = submissions.start_application(creator, setup, coordinator, acronym=acronym, title=f"Project {acronym}",
                                        duration_months=24)
    app.answers = {"summary": f"What {acronym} does."}
    app.save()
    for organisation in [coordinator, *partners]:
        submissions.save_partner(creator, app, organisation, costs={"staff": "200000", "equipment": "50000"},
                                 staff_months=24, requested_aid=requested)
    return app
