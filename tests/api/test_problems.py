"""Errors are application/problem+json with a detail that says what to fix."""

from django.test import Client
from helpers import body, send


def _is_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    doc = body(response)
    assert doc["status"] == status and doc["title"] and doc["detail"]
    return doc


def test_missing_object_is_404_problem(db):
    doc = _is_problem(Client().get("/api/v1/projects/987654"), 404)
    assert "987654" in doc["detail"]


def test_hidden_project_is_404_for_the_public(register):
    _is_problem(Client().get(f"/api/v1/projects/{register.hidden_project.pk}"), 404)


def test_query_validation_is_422_naming_the_parameter(db):
    doc = _is_problem(Client().get("/api/v1/organisations?page=zero"), 422)
    assert "page" in doc["detail"] and doc["errors"]


def test_body_validation_is_422(api_as, register):
    doc = _is_problem(send(api_as("manager"), "patch", f"/api/v1/memberships/{register.membership_a.pk}",
                           {"fee_paid": "-3"}), 422)
    assert "fee_paid" in doc["detail"]


def test_malformed_json_is_400(api_as, register):
    response = api_as("manager").patch(f"/api/v1/memberships/{register.membership_a.pk}",
                                       data="{not json", content_type="application/json")
    _is_problem(response, 400)


def test_forbidden_write_is_403_problem(api_as, register):
    doc = _is_problem(send(api_as("national"), "patch", f"/api/v1/organisations/{register.org_a.pk}",
                           {"city": "Paris"}), 403)
    assert "fourni" in doc["detail"] or "supplied" in doc["detail"]


def test_anonymous_write_is_refused(register):
    _is_problem(send(Client(), "patch", f"/api/v1/organisations/{register.org_a.pk}", {"city": "x"}), 403)


def test_nul_character_is_a_clear_422(api_as, register):
    _is_problem(Client().get("/api/v1/organisations?q=a%00b"), 422)
    doc = _is_problem(send(api_as("manager"), "patch", f"/api/v1/organisations/{register.org_a.pk}",
                           {"city": "Ly\u0000on"}), 422)
    assert "NUL" in doc["detail"]
