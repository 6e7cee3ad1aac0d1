"""Answers to a signed-in user or an API-token caller are never stored; public ones keep their caching."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def stored_nowhere(response) -> bool:
    """Cache-Control forbids any cache (browser, proxy) to keep the answer."""
    directives = {d.strip().split("=")[0] for d in response.get("Cache-Control", "").split(",")}
    return {"no-store", "private"} <= directives


def signed_in(users, role: str) -> Client:
    client = Client()
    client.force_login(users[role])
    return client


def workspace_paths(slug: str) -> list[str]:
    return [f"/workspace/{slug}/{tail}" for tail in
            ("", "members/", "members/export/?format=csv", "members/export/?format=xlsx",
             "memberships/", "projects/", "import/", "audit/", "invite/")]


def test_token_pages_and_token_api_are_not_stored(users):
    client = signed_in(users, "manager")
    assert stored_nowhere(client.get("/me/tokens/"))
    created = client.post("/me/tokens/", {"name": "crm"})
    assert created.status_code == 200 and created.context["created"].startswith("pol_")
    assert stored_nowhere(created)
    answer = client.post("/api/v1/tokens", {"name": "sync"}, content_type="application/json")
    assert answer.status_code == 201 and stored_nowhere(answer)
    assert stored_nowhere(client.get("/api/v1/tokens"))


def test_workspace_pages_with_fees_and_members_are_not_stored(users, register):
    client = signed_in(users, "manager")
    for path in workspace_paths(register.cluster_a.slug):
        response = client.get(path)
        assert response.status_code == 200, path
        assert stored_nowhere(response), (path, response.get("Cache-Control"))


@pytest.mark.parametrize("path", ["/programme/", "/programme/export/",
                                  "/programme/compare/?c=cluster-alpha&c=cluster-beta"])
def test_programme_pages_are_not_stored(users, register, path):
    response = signed_in(users, "national").get(path)
    assert response.status_code == 200
    assert stored_nowhere(response)


def test_redirects_and_refusals_to_a_signed_in_user_are_not_stored(users, register):
    client = signed_in(users, "manager")
    assert client.get("/workspace/").status_code == 302 and stored_nowhere(client.get("/workspace/"))
    assert client.get("/programme/").status_code == 403 and stored_nowhere(client.get("/programme/"))


def test_public_page_read_by_a_manager_is_not_stored(users, register):
    response = signed_in(users, "manager").get(f"/clusters/{register.cluster_a.slug}/")
    assert response.status_code == 200
    assert stored_nowhere(response)


def test_api_answers_to_a_session_or_a_token_are_not_stored(users, register):
    client = signed_in(users, "manager")
    assert stored_nowhere(client.get("/api/v1/memberships"))
    secret = client.post("/api/v1/tokens", {"name": "crm"}, content_type="application/json").json()["token"]
    with_token = Client().get("/api/v1/memberships", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert with_token.status_code == 200 and "98765.43" in with_token.content.decode()
    assert stored_nowhere(with_token)
    assert stored_nowhere(Client().get("/api/v1/memberships?format=csv", HTTP_AUTHORIZATION=f"Bearer {secret}"))


@pytest.mark.parametrize("path", ["/", "/clusters/", "/map/", "/api/v1/clusters"])
def test_anonymous_public_answers_keep_their_caching(register, path):
    response = Client().get(path)
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_static_files_keep_their_caching_for_a_signed_in_user(users):
    response = signed_in(users, "manager").get("/static/web/poles.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
