"""Every list answers, for every role, a document that matches its published OpenAPI schema.

Lists are serialised field by field at the reader's level without a second validation pass, so
this test is what holds their shape to the specification.
"""

import pytest
from jsonschema import Draft202012Validator

ROLES = ["anonymous", "outsider", "member", "manager", "regional", "national", "admin"]


@pytest.fixture
def spec(client):
    return client.get("/api/v1/openapi.json").json()


def list_paths(spec):
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if not get or "{" in path or path.endswith(".csv"):
            continue
        schema = get["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema")
        if schema and "$ref" in schema and schema["$ref"].endswith("Page"):
            yield path, schema


@pytest.mark.parametrize("role", ROLES)
def test_every_list_page_matches_its_schema(role, spec, register, api_as):
    client = api_as(role)
    paths = list(list_paths(spec))
    assert len(paths) >= 10
    checked = 0
    for path, schema in paths:
        response = client.get(path, {"page_size": 200})
        if response.status_code in (401, 403):
            continue
        assert response.status_code == 200, (path, response.status_code)
        validator = Draft202012Validator({**schema, "components": spec["components"]})
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(response.json())]
        assert not errors, f"{role} {path}: " + "; ".join(errors[:5])
        checked += bool(response.json()["results"])
    assert checked >= 5
