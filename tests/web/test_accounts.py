"""Log in and out through the styled pages; failures are limited and explained."""

from __future__ import annotations

import factories
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(db):
    return factories.user("person", password="correct-horse-battery")


def test_login_page_has_labelled_fields(client):
    body = client.get(reverse("login")).content.decode()
    assert 'for="id_username"' in body and 'for="id_password"' in body


def test_login_then_logout(client, person):
    response = client.post(reverse("login"), {"username": "person", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.get(reverse("my_tokens")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("my_tokens")).status_code == 302


def test_wrong_password_is_refused_with_a_message(client, person):
    response = client.post(reverse("login"), {"username": "person", "password": "nope"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_too_many_failures_are_refused_even_with_the_right_password(client, person):
    for _ in range(6):
        client.post(reverse("login"), {"username": "person", "password": "nope"})
    response = client.post(reverse("login"), {"username": "person", "password": "correct-horse-battery"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_password_reset_page_uses_the_web_template(client):
    response = client.get(reverse("accounts:password_reset"))
    assert "web/accounts/password_reset_form.html" in [t.name for t in response.templates]
