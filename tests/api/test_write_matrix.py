"""Writes of the permission matrix: every API write and every page form, for every role (the API over
a web session and a Bearer token), with a valid body, so that only the permission layer can refuse.

Each write is made in a savepoint rolled back afterwards, on the same world: a write its role may
make must succeed, change the database and write an audit entry; any other must be refused (login,
401, 403 or 404; problem+json on the API) and change no table. The tables of targets and of who may
write them are in tests/matrix.py (`API_WRITES`, `PAGE_WRITES`).
"""

from __future__ import annotations

import pytest
from factories import MATRIX_ROLES
from matrix import (
    ALL,
    API_WRITES,
    PAGE_READS,
    PAGE_WRITES,
    Caller,
    Outcome,
    api_callers,
    attempt,
    page_body,
    problem_of,
    served,
    served_names,
)

UNAUDITED = {"web.ImportJob", "calls.Notification"}
"""Rows written without an audit entry: an uploaded file waiting for confirmation is no register data
(its import, when confirmed, is audited); nor is a notification marked read by its reader."""


def _verdict(who: str, what: str, allowed: bool, outcome: Outcome, refused_ok) -> list[str]:
    """What is wrong with one write's outcome (nothing when it is as the matrix expects)."""
    if outcome.status >= 500:
        return [f"{who}: {what} → {outcome.status} {outcome.error}"]
    said = f"→ {outcome.status} {problem_of(outcome.response)}"
    if allowed:
        wrong = []
        if outcome.status >= 400:
            wrong.append(f"WRONG REFUSAL {who}: {what} should succeed {said}")
        elif not outcome.changed:
            wrong.append(f"{who}: {what} answered {outcome.status} but changed nothing")
        elif outcome.audited < 1 and set(outcome.changed) - UNAUDITED:
            wrong.append(f"{who}: {what} changed {', '.join(outcome.changed)} without an audit entry")
        return wrong
    wrong = []
    if not refused_ok(outcome):
        wrong.append(f"NOT REFUSED {who}: {what} should be refused {said}")
    if outcome.changed:
        wrong.append(f"ESCALATION {who}: {what} changed {', '.join(outcome.changed)} {said}")
    return wrong


def _api_refusal(write):
    def refused(outcome: Outcome) -> bool:
        return (outcome.status in write.refusals
                and outcome.response["Content-Type"] == "application/problem+json")
    return refused


@pytest.mark.parametrize(("role", "channel"), api_callers())
def test_api_writes_succeed_in_scope_and_are_refused_outside(matrix_world, db, role, channel):
    w = matrix_world
    caller = Caller(w, role, channel, "en" if channel == "token" else "fr")
    failures = []
    for write in served(API_WRITES, w):
        outcome = attempt(lambda write=write: caller.send(write.method, write.url, write.body, write.upload))
        failures += _verdict(str(caller), str(write), role in write.allowed, outcome, _api_refusal(write))
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


def _page_refusal(outcome: Outcome) -> bool:
    if outcome.status == 302:
        return "/accounts/login/" in outcome.response["Location"]
    return outcome.status in (403, 404)


@pytest.fixture(scope="module")
def admin_forms():
    """(page, field) -> the values of that form as an admin reads it, kept for the module."""
    return {}


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_page_writes_succeed_in_scope_and_are_refused_outside(matrix_world, db, admin_forms, role):
    """Each page form posted as the page sends it (read as an admin, so valid), by each role."""
    w = matrix_world
    caller = Caller(w, role, "session", "fr")
    admin = Caller(w, "admin").client
    failures = []
    for write in served(PAGE_WRITES, w):
        body = page_body(write, admin, admin_forms)
        outcome = attempt(lambda write=write, body=body: caller.post_form(write.url, body))
        failures += _verdict(str(caller), str(write), role in write.allowed, outcome, _page_refusal)
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)


PUBLIC_POSTERS = {"anonymous", "admin"}
"""Who posts to the public pages (the same page for everyone): the two ends of the scale."""


@pytest.mark.parametrize("role", MATRIX_ROLES)
def test_posts_to_pages_that_write_nothing_change_nothing(matrix_world, db, role):
    """Every other page (reading pages, account pages) posted to by each role changes no table."""
    w = matrix_world
    failures = []
    names = served_names() - PAGE_WRITES.keys()
    for name, build in PAGE_READS.items():
        if name not in names:
            continue
        for read in build(w):
            if read.opens == ALL and role not in PUBLIC_POSTERS:
                continue
            caller = Caller(w, role, "session", "fr")  # a new session each time: logout ends one
            outcome = attempt(lambda read=read, caller=caller: caller.post_form(read.url, {}))
            if outcome.status >= 500:
                failures.append(f"{caller}: POST {read.url} → {outcome.status} {outcome.error}")
            if outcome.changed:
                failures.append(f"{caller}: POST {read.url} ({name}) changed {', '.join(outcome.changed)}")
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
