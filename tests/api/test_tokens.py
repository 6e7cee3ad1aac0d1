"""API tokens: created and shown once, used as Bearer, revoked by their owner only."""

from django.test import Client
from helpers import body, send

from poles.access.models import ApiToken
from poles.core.models import AuditEntry


def test_token_is_shown_once_and_stored_hashed(api_as):
    client = api_as("manager")
    created = send(client, "post", "/api/v1/tokens", {"name": "crm"})
    assert created.status_code == 201
    secret = body(created)["token"]
    assert secret.startswith("pol_") and len(secret) > 30
    stored = ApiToken.objects.get()
    assert secret not in (stored.digest, stored.prefix) and stored.digest != secret
    listed = body(client.get("/api/v1/tokens"))
    assert listed[0]["name"] == "crm" and "token" not in listed[0]
    assert AuditEntry.objects.filter(model="access.ApiToken", channel="api").exists()


def test_token_gives_its_owners_scope_and_records_use(api_as, register):
    secret = body(send(api_as("manager"), "post", "/api/v1/tokens", {"name": "crm"}))["token"]
    anonymous = Client()
    assert body(anonymous.get("/api/v1/memberships"))["count"] == 0
    with_token = anonymous.get("/api/v1/memberships", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert with_token.status_code == 200
    assert "98765.43" in with_token.content.decode()
    assert ApiToken.objects.get().last_used is not None


def test_revoked_token_is_refused_with_problem(api_as):
    client = api_as("manager")
    created = body(send(client, "post", "/api/v1/tokens", {"name": "crm"}))
    revoked = client.delete(f"/api/v1/tokens/{created['id']}")
    assert revoked.status_code == 200 and body(revoked)["revoked"]
    refused = Client().get("/api/v1/clusters", HTTP_AUTHORIZATION=f"Bearer {created['token']}")
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert "révoqué" in body(refused)["detail"]


def test_unknown_token_and_bad_scheme_are_401(db):
    assert Client().get("/api/v1/clusters", HTTP_AUTHORIZATION="Bearer nope").status_code == 401
    assert Client().get("/api/v1/clusters", HTTP_AUTHORIZATION="Basic abc").status_code == 401


def test_token_of_another_user_cannot_be_revoked(api_as):
    created = body(send(api_as("manager"), "post", "/api/v1/tokens", {"name": "crm"}))
    response = api_as("member").delete(f"/api/v1/tokens/{created['id']}")
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked is None


def test_anonymous_cannot_create_tokens(db):
    response = send(Client(), "post", "/api/v1/tokens", {"name": "x"})
    assert response.status_code == 401 and not ApiToken.objects.exists()


def test_token_write_needs_no_csrf_but_session_write_does(api_as, users, register):
    session = api_as("manager", enforce_csrf_checks=True)
    refused = send(session, "patch", f"/api/v1/memberships/{register.membership_a.pk}", {"fee_paid": "1.00"})
    assert refused.status_code == 403 and "CSRF" in body(refused)["detail"]
    secret = body(send(api_as("manager"), "post", "/api/v1/tokens", {"name": "x"}))["token"]
    accepted = send(Client(enforce_csrf_checks=True), "patch",
                    f"/api/v1/memberships/{register.membership_a.pk}", {"fee_paid": "1.00"},
                    HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert accepted.status_code == 200
    assert body(accepted)["fee_paid"] == {"amount": "1.00", "currency": "EUR"}
