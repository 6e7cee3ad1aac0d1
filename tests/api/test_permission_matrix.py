"""Reads of the permission matrix: every page, API operation and export, for every role, over a web
session and an API token, in French and English — no confidential value reaches a role that may not
read it, in any spelling, and each entitled role is shown each value somewhere.

The tables of what to try and whom it opens to are in tests/matrix.py; a page or an operation
without an expectation there fails `test_every_endpoint_has_an_expectation`. The writes of the
matrix are in test_write_matrix.py.
"""

from __future__ import annotations

import re

import pytest
from factories import ENTITLED, MATRIX_ROLES, SENTINEL_FEE, SENTINEL_STATE_BUDGET, found
from matrix import (
    ACCOUNT_POSTS,
    API_READS,
    API_WRITES,
    LANGUAGES,
    PAGE_READS,
    PAGE_WRITES,
    Caller,
    api_operations,
    api_routes,
    changed_tables,
    leaks_to,
    page_routes,
    served,
    snapshot,
    status_failure,
    text_of,
)

READ_ONLY_PAGES = set(PAGE_READS) - set(PAGE_WRITES) - ACCOUNT_POSTS


def _params(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route)


def test_every_endpoint_has_an_expectation():
    """A new page or API operation fails here until the matrix says whom it opens to and who may write it."""
    missing = []
    for route, name in page_routes():
        if not name:
            missing.append(f"/{route}: page URLs must be named")
        elif name not in PAGE_READS:
            missing.append(f"/{route} ({name}): no entry in matrix.PAGE_READS (which URLs, opening to whom)")
    for name in PAGE_WRITES.keys() | ACCOUNT_POSTS:
        if name not in PAGE_READS:
            missing.append(f"{name}: a page write without a page (matrix.PAGE_READS)")
    operations = api_operations()
    for method, path, name in operations:
        table = API_READS if method == "GET" else API_WRITES
        if name not in table:
            missing.append(f"{method} {path} ({name}): no entry in matrix.{'API_READS' if method == 'GET' else 'API_WRITES'}")
    served = {name.removeprefix("api:") for _, name in api_routes() if name}
    documented = {name for _, _, name in operations} | {"api-root"}
    missing += [f"api:{name}: served but not in the OpenAPI document" for name in sorted(served - documented)]
    stale = (PAGE_READS.keys() - {n for _, n in page_routes()}) | (
        (API_READS.keys() | API_WRITES.keys()) - documented)
    missing += [f"{name}: in the matrix but no longer served" for name in sorted(stale)]
    assert not missing, "\n".join(missing)


def _walk(caller: Caller, reads, seen: set[str], failures: list[str]) -> None:
    """GET each URL: the status expected for the caller's role, and no value it may not read."""
    for read in reads:
        response = caller.get(read.url)
        if response.status_code >= 500:
            failures.append(f"{caller}: GET {read.url} → {response.status_code}")
            continue
        if problem := status_failure(read, caller, response):
            failures.append(f"{caller}: GET {read.url}: {problem}")
        text = text_of(response)
        for value, forms in leaks_to(caller.role, text).items():
            failures.append(f"LEAK {value!r} (as {', '.join(map(repr, forms))}) reached {caller}: GET {read.url}"
                            f" → {response.status_code}")
        seen.update(v for v in ENTITLED if caller.role in ENTITLED[v] and found(v, text))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_no_value_reaches_a_role_not_entitled_to_it(matrix_world, db, role, lang):
    """Every page and page export, every API operation and export: refused where the role is not
    entitled, and no sentinel it may not read, in any spelling.

    Pages go over a web session; the API over a session in French and a Bearer token in English
    (its JSON and CSV write the same values in both languages), so each language and each channel
    is walked for every role.
    """
    w = matrix_world
    seen: set[str] = set()
    failures: list[str] = []
    before = snapshot()
    _walk(Caller(w, role, "session", lang), served(PAGE_READS, w), seen, failures)
    channel = "session" if lang == "fr" or role == "anonymous" else "token"
    _walk(Caller(w, role, channel, lang), served(API_READS, w), seen, failures)
    if changed := changed_tables(before, snapshot()):
        failures.append(f"{role} ({lang}): reading changed {', '.join(changed)}")
    unseen = sorted(v for v, roles in ENTITLED.items() if role in roles and v not in seen)
    failures += [f"{role} ({lang}) is entitled to {v!r} but no page, API answer or export showed it "
                 "(the search would be blind to it)" for v in unseen]
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_search_finds_amounts_as_the_pages_format_them(matrix_world, db, lang):
    """Pages write fees formatted (98 765 €, €98,765: never the raw 98765.43) and round the State's
    budget up (54 322 for 54321.98): the search finds both, so it is not blind to formatted values."""
    w = matrix_world
    admin = Caller(w, "admin", "session", lang)
    members = found(SENTINEL_FEE, text_of(admin.get(f"/workspace/{w.cluster_a.slug}/members/")))
    assert members and "98765.43" not in members, members
    budget = found(SENTINEL_STATE_BUDGET, text_of(admin.get(f"/workspace/{w.cluster_a.slug}/")))
    assert budget and all(form.endswith("322") for form in budget), budget


def test_the_search_takes_whole_numbers_only():
    assert found("87654.32", "total 87\u202f654\u00a0€") == ["87\u202f654"]
    assert found("87654.32", "€87,654.32 and 87654,32") == ["87,654.32", "87654,32"]
    assert found("54321.98", "54 322 €") == ["54 322"]
    assert found("87654.32", "siren 187654329, id 876543") == []
    assert found("SECRETPRJ", "project secretprj") == ["secretprj"]
