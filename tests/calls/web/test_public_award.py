"""The aid a call awarded is public once the agreement is signed: the project's public page shows the
funder's amount; a proposal or a selection shows nothing, and the project's other fundings keep their level."""

from __future__ import annotations

from decimal import Decimal

import factories
import pytest
from calls.web.helpers import client_of, selected
from django.urls import reverse
from django.utils import translation

from poles.calls import deciding, permissions
from poles.calls.followup import published_awards
from poles.projects.models import Funding
from poles.web.templatetags.web import eur

pytestmark = pytest.mark.django_db
OTHER_AMOUNT = Decimal("76543.21")
"""A funding entered by hand on the same project: confidential, whatever the call publishes."""


def money(amount: Decimal, lang: str) -> str:
    with translation.override(lang):
        return eur(amount)


def test_the_public_page_shows_the_funders_amount_once_the_agreement_is_signed(world):
    app = selected(world)
    assert not permissions.can_read_award(None, app)[0]
    assert published_awards(None, app.project) == {}
    funding = deciding.sign_agreement(world.officer, app)
    factories.funding(app.project, OTHER_AMOUNT, funder="region", funder_detail="AURA")
    app.refresh_from_db()
    assert permissions.can_read_award(None, app)[0]
    assert {k: v.amount for k, v in published_awards(None, app.project).items()} == {funding.pk: funding.amount}

    body = client_of(None).get(reverse("project_detail", args=[app.project_id])).content.decode()
    assert money(funding.amount, "fr") in body
    assert "accordée par l’appel i-Démo 2026, publiée à la signature de la convention" in body
    assert money(OTHER_AMOUNT, "fr") not in body and "76\u00a0543" not in body  # the other funding stays confidential
    english = client_of(None, "en").get(reverse("project_detail", args=[app.project_id])).content.decode()
    assert money(funding.amount, "en") in english
    assert "awarded by the call i-Démo 2026, published with the signed agreement" in english


def test_a_later_write_to_the_awarded_funding_never_becomes_public(world):
    """Sign, then the same funding row is rewritten (an import, a hand entry): the public reads the
    aid the call decided, never the amount written afterwards."""
    app = selected(world)
    funding = deciding.sign_agreement(world.officer, app)
    awarded = funding.amount
    Funding.objects.filter(pk=funding.pk).update(amount=OTHER_AMOUNT)
    assert {k: v.amount for k, v in published_awards(None, app.project).items()} == {funding.pk: awarded}
    body = client_of(None).get(reverse("project_detail", args=[app.project_id])).content.decode()
    assert money(awarded, "fr") in body
    assert money(OTHER_AMOUNT, "fr") not in body and "76\u00a0543" not in body


def test_an_unpublished_project_keeps_its_award_to_itself(world):
    app = selected(world)
    deciding.sign_agreement(world.officer, app)
    app.refresh_from_db()
    app.project.is_public = False
    app.project.save(update_fields=["is_public"])
    allowed, reason = permissions.can_read_award(world.outsider, app)
    assert not allowed and "convention signée" in str(reason)
    assert published_awards(world.outsider, app.project) == {}
    assert client_of(None).get(reverse("project_detail", args=[app.project_id])).status_code == 404


def test_the_officer_and_the_manager_still_see_every_amount_and_the_total(world):
    app = selected(world)
    funding = deciding.sign_agreement(world.officer, app)
    factories.funding(app.project, OTHER_AMOUNT, funder="region", funder_detail="AURA")
    page = client_of(world.officer).get(reverse("project_detail", args=[app.project_id]))
    body = page.content.decode()
    assert money(funding.amount, "fr") in body and money(OTHER_AMOUNT, "fr") in body
    assert page.context["funding_total"] == funding.amount + OTHER_AMOUNT
    assert Funding.objects.filter(project=app.project).count() == 2
