"""Links in e-mails start with the configured SITE_URL, whatever Host header the request carried."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

pytestmark = pytest.mark.django_db

SITE = "https://poles.example.org"
EVIL = "evil.example"


@pytest.fixture(autouse=True)
def hostile_host_allowed(settings):
    """The attacker's Host passes ALLOWED_HOSTS (a wildcard or a lax proxy), SITE_URL is set."""
    settings.ALLOWED_HOSTS = [EVIL, "testserver"]
    settings.SITE_URL = SITE
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def links(message) -> list[str]:
    return re.findall(r"\b[a-z]+://\S+", message.body)


def assert_links_from_site(message) -> None:
    found = links(message)
    assert found, message.body
    assert all(link.startswith(SITE + "/accounts/") for link in found), found
    assert EVIL not in message.body and EVIL not in message.subject


def manager(users) -> Client:
    client = Client(HTTP_HOST=EVIL)
    client.force_login(users["manager"])
    return client


def test_invitation_from_the_page_links_to_site_url(users, register):
    response = manager(users).post(f"/workspace/{register.cluster_a.slug}/invite/",
                                   {"email": "new.manager@example.org", "role": "manager"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert_links_from_site(message)


def test_invitation_from_the_api_links_to_site_url(users, register):
    response = manager(users).post(
        f"/api/v1/clusters/{register.cluster_a.pk}/invitations",
        {"email": "api.manager@example.org", "role": "manager"}, content_type="application/json",
    )
    assert response.status_code == 201, response.content
    (message,) = mail.outbox
    assert_links_from_site(message)


def test_password_reset_links_to_site_url(users, run_worker):
    users["manager"].set_password("Old-password-123")
    users["manager"].save()
    response = Client(HTTP_HOST=EVIL).post("/accounts/password-reset/", {"email": "manager@example.org"})
    assert response.status_code == 302
    run_worker()
    (message,) = mail.outbox
    assert_links_from_site(message)
    assert "poles.example.org" in message.body.splitlines()[0]


def test_password_reset_link_works(users, run_worker):
    users["manager"].set_password("Old-password-123")
    users["manager"].save()
    client = Client(HTTP_HOST=EVIL)
    client.post("/accounts/password-reset/", {"email": "manager@example.org"})
    run_worker()
    path = links(mail.outbox[0])[0].removeprefix(SITE)
    form = client.get(path, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
