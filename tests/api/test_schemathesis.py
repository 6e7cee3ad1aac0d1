"""Property-based test of the API against its own OpenAPI document: no input gives a 5xx.

Runs in process on the WSGI app (schemathesis), each operation with a few generated cases,
anonymous and as a cluster manager with an API token.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")

EXAMPLES = 6


def _run(operation, headers: dict, statuses: list[int]) -> list[str]:
    failures: list[str] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case):
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} {case.query} -> {response.status_code}")

    check()
    return failures


@pytest.fixture
def keep_connection():
    """Like Django's test client: the WSGI app must not close the test transaction's connection
    (so no Django test client request may run meanwhile: it connects the signal again)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_never_answers_5xx(register, users, keep_connection):
    from poles.access.models import ApiToken
    from poles.api.caller import digest, new_token
    from poles.wsgi import application

    token = new_token()
    ApiToken.objects.create(owner=users["manager"], name="fuzz", prefix=token[:10], digest=digest(token))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 30
    failures: list[str] = []
    statuses: list[int] = []
    for operation in operations:
        failures += _run(operation, {}, statuses)
        failures += _run(operation, {"Authorization": f"Bearer {token}"}, statuses)
    assert not failures, "\n".join(failures)
    assert len(statuses) > 5 * len(operations) and 200 in statuses and 422 in statuses
