"""Password reset: the same work for known and unknown addresses, limited per e-mail and address."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from factories import user

pytestmark = pytest.mark.django_db

URL = "/accounts/password-reset/"


@pytest.fixture
def queued(settings):
    """Tasks are queued, not run (the production set-up: a worker sends the e-mail later)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def known(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return user("known", password="Some-password-42", email="known@example.org")


def _sql_of(client: Client, email: str) -> tuple[int, str, list[str], list[str]]:
    with CaptureQueriesContext(connections["default"]) as main, CaptureQueriesContext(
        connections["cache"]
    ) as shared:
        response = client.post(URL, {"email": email})
    same_shape = [query["sql"].replace(email, "…") for query in main.captured_queries]
    return response.status_code, response["Location"], same_shape, [q["sql"] for q in shared.captured_queries]


def test_known_and_unknown_addresses_take_the_same_path_in_the_request(known, queued):
    answer_known = _sql_of(Client(REMOTE_ADDR="10.1.0.1"), "known@example.org")
    answer_unknown = _sql_of(Client(REMOTE_ADDR="10.1.0.2"), "nobody@example.org")
    assert answer_known[:2] == answer_unknown[:2] == (302, "/accounts/password-reset/sent/")
    assert answer_known[2] == answer_unknown[2] == []  # no look-up of the address in the request
    assert len(answer_known[3]) == len(answer_unknown[3])  # the same counting in the shared cache
    assert mail.outbox == []
    sent = [(result.task.name, result.kwargs) for result in queued.results]
    assert sent == [
        ("send_password_reset", {"email": "known@example.org", "language": "fr"}),
        ("send_password_reset", {"email": "nobody@example.org", "language": "fr"}),
    ]


def test_the_task_sends_the_link_to_a_known_address_only(known, settings):
    from poles.access.passwordreset import send_password_reset

    settings.SITE_URL = "https://poles.example.gouv.fr"
    send_password_reset.call(email="nobody@example.org", language="en")
    assert mail.outbox == []
    send_password_reset.call(email="KNOWN@example.org", language="en")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["known@example.org"]
    assert "https://poles.example.gouv.fr/accounts/reset/" in mail.outbox[0].body
    assert "Choose a new password" in mail.outbox[0].body


@pytest.mark.parametrize(("language", "message"), [
    ("fr", "Trop de demandes de réinitialisation du mot de passe. Réessayez dans 60 minutes."),
    ("en", "Too many password-reset requests. Try again in 60 minutes."),
])
def test_requests_for_one_email_are_limited_with_a_clear_message(known, queued, settings, language, message):
    settings.PASSWORD_RESET_RATE_LIMIT = (3, 3600)
    for n in range(3):
        client = Client(REMOTE_ADDR=f"10.2.0.{n}", HTTP_ACCEPT_LANGUAGE=language)
        assert client.post(URL, {"email": "known@example.org"}).status_code == 302
    refused = Client(REMOTE_ADDR="10.2.1.1", HTTP_ACCEPT_LANGUAGE=language).post(URL, {"email": "known@example.org"})
    assert refused.status_code == 429
    assert message in refused.content.decode()
    assert len(queued.results) == 3


def test_requests_from_one_address_are_limited_across_emails(queued, settings):
    settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT = (4, 3600)
    client = Client(REMOTE_ADDR="10.3.0.1")
    statuses = [client.post(URL, {"email": f"person{n}@example.org"}).status_code for n in range(5)]
    assert statuses == [302, 302, 302, 302, 429]
    assert Client(REMOTE_ADDR="10.3.0.2").post(URL, {"email": "other@example.org"}).status_code == 302


def test_the_page_queues_the_e_mail_and_the_worker_sends_it(known, run_worker):
    response = Client().post(URL, {"email": "known@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:password_reset_done")
    assert not mail.outbox
    run_worker()
    assert len(mail.outbox) == 1
