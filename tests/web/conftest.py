"""Page tests: a client logged in as a role (the root conftest empties the cache for each test)."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client_for(users):
    """client_for(role) -> a test client logged in as that role's user (anonymous for None)."""

    def make(role: str) -> Client:
        client = Client()
        user = users[role]
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def run_worker(monkeypatch):
    """run_worker() runs the database task worker until its queue is empty (`db_worker --batch`).

    Inside a test's transaction the worker must keep the test's connection: as Django's test client
    does around requests, its close_old_connections() is skipped (on PostgreSQL it would close the
    connection, and the test's transaction with it).
    """
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
