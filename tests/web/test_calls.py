"""Calls for projects: open ones first, then past ones."""

from __future__ import annotations

import datetime as dt

import factories
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_calls_split_open_and_past_by_closing_date(client, db):
    today = dt.date.today()
    factories.call("OPEN-1", title="Still open", closes=today + dt.timedelta(days=10))
    factories.call("PAST-1", title="Already closed", closes=today - dt.timedelta(days=1))
    response = client.get(reverse("calls"))
    assert [c.code for c in response.context["open_calls"]] == ["OPEN-1"]
    assert [c.code for c in response.context["page"].object_list] == ["PAST-1"]


def test_calls_without_closing_date_count_as_open(client, db):
    factories.call("ROLLING", title="Rolling call")
    assert [c.code for c in client.get(reverse("calls")).context["open_calls"]] == ["ROLLING"]
