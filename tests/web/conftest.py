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
