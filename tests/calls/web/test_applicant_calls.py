"""The public calls page and a call's detail: envelope, the open round's closing and its countdown, rules in words."""

from __future__ import annotations

import datetime as dt
import re

import factories
import pytest
from calls.callworld import make_call
from django.urls import reverse
from django.utils import timezone

from poles.calls.describe import countdown
from poles.calls.models import CallSetup

pytestmark = pytest.mark.django_db


def test_calls_page_shows_a_published_call_with_envelope_closing_and_countdown(client, world):
    page = client.get(reverse("calls"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "i-Démo 2026" in page
    assert reverse("calls_call", args=[world.setup.call_id]) in page
    assert "clôture dans 9 jours" in page or "clôture dans 10 jours" in page
    assert "calls/countdown.js" in page
    assert "<script>" not in page  # the countdown script is a static file (CSP: no inline script)


def test_call_detail_lists_rules_in_words_rates_rounds_and_questions(client, world):
    url = reverse("calls_call", args=[world.setup.call_id])
    fr = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Le consortium compte au moins 2 entreprise(s)." in fr
    assert "Petite entreprise : 45 % des coûts." in fr
    assert "Résumé" in fr
    assert re.search(r"Enveloppe\W+1\D000\D000", fr)
    client.cookies["django_language"] = "en"
    en = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The consortium includes at least 2 company(ies)." in en
    assert "Summary" in en
    assert "Log in to apply" in en


def test_a_draft_call_setup_stays_hidden_from_the_public(client, world):
    call = factories.call("DRAFT-1", funder="bpifrance", title="Draft call")
    CallSetup.objects.create(call=call, envelope=1000, eligibility=[{"kind": "min_companies", "n": 5}])
    page = client.get(reverse("calls_call", args=[call.pk])).content.decode()
    assert "au moins 5" not in page and "at least 5" not in page


def test_an_unknown_call_is_a_404(client, db):
    assert client.get(reverse("calls_call", args=[999999])).status_code == 404


@pytest.mark.parametrize(("seconds", "fr", "en"), [
    (3 * 86400 + 5, "clôture dans 3 jours", "closes in 3 days"),
    (86400 + 1, "clôture dans 1 jour", "closes in 1 day"),
    (5 * 3600 + 9, "clôture dans 5 h", "closes in 5 h"),
    (3600, "clôture dans 1 h", "closes in 1 hour"),
    (59, "clôture dans 1 min", "closes in 1 min"),
    (-1, "clos", "closed"),
])
def test_countdown_says_days_then_hours_then_minutes(seconds, fr, en):
    now = timezone.now()
    reason = countdown(now, now + dt.timedelta(seconds=seconds))
    assert (reason.fr, reason.en) == (fr, en)


def test_a_call_between_rounds_says_when_the_next_opens(client, world):
    now = timezone.now()
    setup = make_call(world.officer, code="LATER-1", opens=now + dt.timedelta(days=3), closes=now + dt.timedelta(days=9))
    page = client.get(reverse("calls_call", args=[setup.call_id]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Next round opens on" in page
    assert "Start an application" not in page and "Log in to apply" not in page
