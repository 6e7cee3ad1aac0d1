"""API test helpers: a client per role, JSON bodies."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.test import Client

sys.path.insert(0, str(Path(__file__).resolve().parent))  # `helpers` imports by name


@pytest.fixture
def api_as(users):
    """api_as(role) -> a test client with that role's session (anonymous for 'anonymous')."""

    def make(role: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return make
