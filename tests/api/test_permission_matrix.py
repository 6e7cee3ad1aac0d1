"""Every API endpoint and page, with every role: no confidential value reaches a role not entitled
to it, and writes outside one's scope are refused (403/404) and change nothing.

The endpoints are enumerated from the URL resolver and the OpenAPI document, never by hand: a new
endpoint without an expectation here makes `test_every_endpoint_has_an_expectation` fail.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import factories
import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from factories import ENTITLED, ROLES

from poles.access.models import ApiToken
from poles.api.router import api
from poles.core.models import AuditEntry

SKIPPED_PREFIXES = ("admin/", "static/", "i18n/", "__debug__/")
API_PREFIX = "api/v1/"
API_DOCS = {"api/v1/openapi.json", "api/v1/docs"}

# path parameter -> objects of the shared world to try (both clusters' objects each time)
PATH_VALUES = {
    "cluster_id": lambda w, u: [w.cluster_a.pk, w.cluster_b.pk],
    "organisation_id": lambda w, u: [w.org_a.pk, w.org_b.pk, w.org_member.pk],
    "membership_id": lambda w, u: [w.membership_a.pk, w.membership_b.pk, w.membership_member.pk],
    "project_id": lambda w, u: [p.pk for p in (w.public_project, w.hidden_project,
                                                w.hidden_project_b, w.public_project_b)],
    "participation_id": lambda w, u: [w.participation_a.pk, w.participation_b.pk,
                                      w.participation_hidden.pk],
    "funding_id": lambda w, u: [w.funding_a.pk, w.funding_b.pk],
    "call_id": lambda w, u: [w.call.pk],
    "code": lambda w, u: ["84", "53"],
    "token_id": lambda w, u: [t.pk for t in ApiToken.objects.all()],
    # page parameters (web app); `pk` means something else on each page: see PAGE_PKS
    "slug": lambda w, u: [w.cluster_a.slug, w.cluster_b.slug],
    "uidb64": lambda w, u: ["MQ"],
    "token": lambda w, u: ["set-password"],
}
# page URL name -> the objects its `pk` names (a new page with a pk must be added here)
PAGE_PKS = {
    "project_detail": lambda w: [w.public_project.pk, w.hidden_project.pk, w.hidden_project_b.pk],
    "revoke_token": lambda w: [w.foreign_token.pk],
    "workspace_organisation_edit": lambda w: [w.org_a.pk, w.org_b.pk, w.org_member.pk],
    "workspace_import_job": lambda w: [w.import_a.pk, w.import_b.pk],
}


def _payload(op: str, w) -> dict:
    """A valid body for each write operation, so that only permissions can refuse it."""
    return {
        "create_organisation": {"name": "Matrix Org", "siren": "732829320", "cluster": w.cluster_b.pk},
        "update_organisation": {"description": "changed by the matrix"},
        "create_membership": {"organisation": w.org_member.pk, "cluster": w.cluster_b.pk, "year": 2031},
        "update_membership": {"fee_paid": "1.00"},
        "renew": {"cluster": w.cluster_b.pk, "from_year": 2025},
        "update_project": {"summary": "changed by the matrix"},
        "invite_to_cluster": {"email": "matrix@example.org", "role": "manager"},
        "create_token": {"name": "matrix"},
        "revoke_token": {},
    }[op]


# write operation -> (path values to target, roles allowed on those targets). Targets are
# cluster_b's objects (outside the scope of every role but admin and national, who may not write
# cluster data), or another user's token.
WRITES = {
    "create_organisation": (lambda w: {}, {"admin"}),
    "update_organisation": (lambda w: {"organisation_id": w.org_b.pk}, {"admin"}),
    "create_membership": (lambda w: {}, {"admin"}),
    "update_membership": (lambda w: {"membership_id": w.membership_b.pk}, {"admin"}),
    "renew": (lambda w: {}, {"admin"}),
    "update_project": (lambda w: {"project_id": w.public_project_b.pk}, {"admin"}),
    "invite_to_cluster": (lambda w: {"cluster_id": w.cluster_b.pk}, {"admin"}),
    "create_token": (lambda w: {}, {r for r in ROLES if r != "anonymous"}),
    "revoke_token": (lambda w: {"token_id": w.foreign_token.pk}, set()),
}


def walk(patterns=None, prefix: str = "", namespace: str = ""):
    """(route, name) of every URL the project serves, from the resolver."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None


def openapi_operations():
    """(method, path, operationId) of every API operation."""
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield method.upper(), path, operation["operationId"]


def op_name(operation_id: str) -> str:
    """ninja's operationId is <module path>_<function>: keep the function name."""
    return next((name for name in WRITES if operation_id.endswith("_" + name)), operation_id)


def _params(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\{(?:\w+:)?(\w+)\}", route)


def test_every_endpoint_has_an_expectation():
    missing = []
    for route, name in walk():
        if route.startswith(SKIPPED_PREFIXES) or route.rstrip("/") in API_DOCS or route == "":
            continue
        for param in _params(route):
            if param == "pk" and name not in PAGE_PKS:
                missing.append(f"{route} ({name}): say what its pk names in PAGE_PKS")
            elif param != "pk" and param not in PATH_VALUES:
                missing.append(f"{route} ({name}): no values for parameter {param!r} in PATH_VALUES")
        if not route.startswith(API_PREFIX) and not name:
            missing.append(f"{route}: page URLs must be named")
    for method, path, operation_id in openapi_operations():
        if method != "GET" and op_name(operation_id) not in WRITES:
            missing.append(f"{method} {path}: no write expectation in WRITES")
    assert not missing, "\n".join(missing)


def _client(users, role):
    client = Client()
    if users[role] is not None:
        client.force_login(users[role])
    return client


def _urls(route: str, w, users, name: str | None = None) -> list[str]:
    """Concrete URLs for a route, every combination of its parameters' values."""
    urls = ["/" + route]
    for param in _params(route):
        values = PAGE_PKS[name](w) if param == "pk" else PATH_VALUES[param](w, users)
        urls = [
            re.sub(rf"<(?:\w+:)?{param}>|\{{(?:\w+:)?{param}\}}", str(v), u, count=1)
            for u in urls for v in values
        ]
    return [re.sub(r"^\^|\$$", "", u) for u in urls]


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace")


@pytest.fixture
def world(register, users):
    register.foreign_token = ApiToken.objects.create(
        owner=factories.user("token-owner"), name="someone else's", prefix="pol_xxxxxx",
        digest="0" * 64)
    from poles.web.models import ImportJob

    register.import_a, register.import_b = (
        ImportJob.objects.create(cluster=c, user=users["admin"], file_name=f"{c.slug}.csv",
                                 content=b"", year=2025)
        for c in (register.cluster_a, register.cluster_b)
    )
    return register


def _readable_routes():
    for route, name in walk():
        if route.startswith(SKIPPED_PREFIXES) or route.rstrip("/") in API_DOCS:
            continue
        yield route, name


@pytest.mark.parametrize("role", ROLES)
def test_no_confidential_value_reaches_a_role_not_entitled(world, users, role):
    client = _client(users, role)
    seen = defaultdict(list)
    failures = []
    for route, name in _readable_routes():
        for url in _urls(route, world, users, name):
            for query in ("", "?format=csv" if route.startswith(API_PREFIX) else None):
                if query is None:
                    continue
                response = client.get(url + query)
                if response.status_code >= 500:
                    failures.append(f"{url}{query}: {response.status_code}")
                    continue
                body = _body(response)
                for value, entitled in ENTITLED.items():
                    if value in body:
                        seen[value].append(url + query)
                        if role not in entitled:
                            failures.append(f"{value!r} reached {role} at {url}{query}")
    assert not failures, "\n".join(failures)
    for value, entitled in ENTITLED.items():
        if role in entitled:
            assert seen[value], f"{role} is entitled to {value!r} but no endpoint showed it"


def _counts() -> dict[str, int]:
    models = [m for m in apps.get_models() if m._meta.app_label in
              ("core", "registry", "projects", "auth", "web")]
    return {m._meta.label: m.objects.count() for m in models} | {
        "changed": AuditEntry.objects.count(),
        "revoked": ApiToken.objects.filter(revoked__isnull=False).count(),
    }


@pytest.mark.parametrize("role", ROLES)
def test_api_writes_outside_scope_are_refused_and_change_nothing(world, users, role):
    client = _client(users, role)
    failures = []
    for method, path, operation_id in openapi_operations():
        if method == "GET":
            continue
        name = op_name(operation_id)
        targets, allowed = WRITES[name]
        url = path
        for param, value in targets(world).items():
            url = url.replace("{" + param + "}", str(value))
        before = _counts()
        response = getattr(client, method.lower())(
            url, data=json.dumps(_payload(name, world)), content_type="application/json")
        if role in allowed:
            if response.status_code >= 300:
                failures.append(f"{role} {method} {url}: expected success, got {response.status_code} {_body(response)[:200]}")
            continue
        if response.status_code not in (401, 403, 404):
            failures.append(f"{role} {method} {url}: expected 401/403/404, got {response.status_code}")
        if response.get("Content-Type") != "application/problem+json":
            failures.append(f"{role} {method} {url}: refusal is not problem+json")
        if _counts() != before:
            failures.append(f"{role} {method} {url}: refused but the database changed")
    assert not failures, "\n".join(failures)


NO_WRITE_ROLES = ("anonymous", "outsider", "reviewer", "national", "regional")


@pytest.mark.parametrize("role", NO_WRITE_ROLES)
def test_page_posts_by_roles_without_write_rights_change_nothing(world, users, role):
    client = _client(users, role)
    failures = []
    for route, name in _readable_routes():
        if route.startswith(API_PREFIX):
            continue
        for url in _urls(route, world, users, name):
            before = _counts()
            response = client.post(url, {})
            client = _client(users, role)  # a logout page may have ended the session
            if response.status_code >= 500:
                failures.append(f"{role} POST {url}: {response.status_code}")
            if _counts() != before:
                failures.append(f"{role} POST {url} ({name}): the database changed")
    assert not failures, "\n".join(failures)
