"""My API tokens: shown once, stored hashed, revoked by their owner only."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from poles.access.models import ApiToken

pytestmark = pytest.mark.django_db


def test_new_token_is_shown_once_and_stored_as_a_hash(client_for, users):
    response = client_for("manager").post(reverse("my_tokens"), {"name": "CRM sync"})
    raw = response.context["created"]
    token = ApiToken.objects.get(owner=users["manager"])
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in client_for("manager").get(reverse("my_tokens")).content.decode()


def test_owner_revokes_a_token(client_for, users):
    client = client_for("manager")
    client.post(reverse("my_tokens"), {"name": "CRM sync"})
    token = ApiToken.objects.get()
    assert client.post(reverse("revoke_token", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None


def test_another_users_token_cannot_be_revoked(client_for, users):
    client_for("manager").post(reverse("my_tokens"), {"name": "CRM sync"})
    token = ApiToken.objects.get()
    assert client_for("national").post(reverse("revoke_token", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked is None


def test_tokens_page_lists_only_ones_own(client_for, users):
    client_for("manager").post(reverse("my_tokens"), {"name": "Managers token"})
    assert "Managers token" not in client_for("national").get(reverse("my_tokens")).content.decode()
