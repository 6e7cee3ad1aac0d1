"""Integers no database column holds (beyond 64 bits) in list filters: a clear 4xx, never a 500.

SQLite raised OverflowError on a foreign-key filter such as `?organisation=99999999999999999999`.
"""

import json

import pytest
from helpers import body

BEYOND = ["99999999999999999999", str(2**63)]
BELOW = str(-(2**63) - 1)
# (list, parameter, takes a slug too): a cluster is named by id or slug, so '-…' is a slug there.
API_FILTERS = [
    ("/api/v1/organisations", "cluster", True),
    ("/api/v1/memberships", "cluster", True),
    ("/api/v1/memberships", "organisation", False),
    ("/api/v1/projects", "cluster", True),
    ("/api/v1/projects", "organisation", False),
    ("/api/v1/participations", "project", False),
    ("/api/v1/participations", "organisation", False),
    ("/api/v1/fundings", "project", False),
    ("/api/v1/fundings", "cluster", True),
    ("/api/v1/audit", "user", False),
    ("/api/v1/audit", "cluster", False),
]
CASES = [(path, parameter, value) for path, parameter, slug in API_FILTERS
         for value in BEYOND + ([] if slug else [BELOW])]


@pytest.mark.parametrize("path, parameter, value", CASES)
def test_api_filter_beyond_64_bits_is_a_422_naming_the_parameter(api_as, register, path, parameter, value):
    response = api_as("admin", raise_request_exception=False).get(f"{path}?{parameter}={value}")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert body(response)["detail"].startswith(f"{parameter}:")


@pytest.mark.parametrize("page, parameter", [
    ("/projects/", "cluster"), ("/projects/", "page"), ("/calls/", "year"), ("/clusters/", "page"),
    ("/workspace/{slug}/members/", "year"), ("/workspace/{slug}/members/", "page"),
    ("/workspace/{slug}/memberships/", "year"), ("/workspace/{slug}/projects/", "year"),
    ("/workspace/{slug}/audit/", "user"), ("/programme/", "year"),
])
def test_page_filter_beyond_64_bits_is_shown_not_a_500(api_as, register, page, parameter):
    client = api_as("admin", raise_request_exception=False)
    response = client.get(page.format(slug=register.cluster_a.slug) + f"?{parameter}={BEYOND[0]}")
    assert response.status_code in (200, 400), response.status_code


def test_no_query_parameter_of_the_api_answers_500_to_a_huge_integer(api_as, register):
    client = api_as("admin", raise_request_exception=False)
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    failures = []
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        url = "/".join(BEYOND[0] if part.startswith("{") else part for part in path.split("/"))
        if client.get(url).status_code >= 500:
            failures.append(url)
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                for value in [*BEYOND, BELOW]:
                    if client.get(f"{url}?{parameter['name']}={value}").status_code >= 500:
                        failures.append(f"{url}?{parameter['name']}={value}")
    assert not failures


def test_the_filter_error_speaks_the_callers_language(api_as, register):
    client = api_as("admin")
    french = body(client.get(f"/api/v1/memberships?organisation={BEYOND[0]}", HTTP_ACCEPT_LANGUAGE="fr"))
    english = body(client.get(f"/api/v1/memberships?organisation={BEYOND[0]}", HTTP_ACCEPT_LANGUAGE="en"))
    assert french["detail"].startswith("organisation: nombre entier attendu entre")
    assert english["detail"].startswith("organisation: expected a whole number between")
