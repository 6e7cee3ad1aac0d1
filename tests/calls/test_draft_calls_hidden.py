"""A call being set up on poles stays the programme's until it is published."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from factories import call, user

from poles.access.permissions import visible
from poles.access.roles import Role
from poles.calls.models import CallSetup
from poles.projects.models import Call

pytestmark = pytest.mark.django_db


def test_a_draft_call_is_hidden_from_the_public_and_shown_to_the_programme():
    draft = CallSetup.objects.create(call=call("DRAFT-HIDDEN", title="Draft hidden"), envelope=Decimal(1000))
    published = CallSetup.objects.create(call=call("PUBLISHED-SHOWN", title="Published shown"),
                                         envelope=Decimal(1000), status=CallSetup.Status.PUBLISHED)
    legacy = call("LEGACY-FUI", title="A call of the register without a setup")
    seen = set(visible(AnonymousUser(), Call).values_list("code", flat=True))
    assert draft.call.code not in seen and {published.call.code, legacy.code} <= seen
    national = user("national-drafts", {"role": Role.NATIONAL})
    assert draft.call.code in set(visible(national, Call).values_list("code", flat=True))
    listed = Client().get("/api/v1/calls?page_size=200").json()
    codes = {row["code"] for row in listed["results"]} if isinstance(listed, dict) else {r["code"] for r in listed}
    assert draft.call.code not in codes and published.call.code in codes
    assert Client().get(f"/api/v1/calls/{draft.pk}").status_code == 404
    assert "DRAFT-HIDDEN" not in Client().get("/calls/").content.decode()
