"""Survey tests: clients logged in as a role, and a survey opened on the shared register."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture
def client_for(users):
    """client_for(role) -> a test client logged in as that role's user (anonymous for None)."""

    def make(role: str) -> Client:
        client = Client()
        if users[role] is not None:
            client.force_login(users[role])
        return client

    return make


@pytest.fixture
def survey(users):
    """The 2024 survey, opened by the national officer: a draft report for each active cluster."""
    from poles.survey import services

    return services.open_survey(users["national"], 2024)
