"""Clients of each role for the escalation scenarios: a web session, or an API token (Bearer)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from poles.access.models import ApiToken
from poles.api.caller import digest, new_token

CHANNELS = ("session", "token")


class Caller:
    """One person calling the API through one channel; `.get/.post/.patch` answer (status, body)."""

    def __init__(self, user, channel: str):
        self.user = user
        self.client = Client()
        self.headers: dict[str, str] = {}
        if user is None:
            return
        if channel == "session":
            self.client.force_login(user)
        else:
            raw = new_token()
            ApiToken.objects.create(owner=user, name="scenario", prefix=raw[:12], digest=digest(raw))
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def call(self, method: str, url: str, data=None):
        if method == "get":
            response = self.client.get(url, **self.headers)
        else:
            response = getattr(self.client, method)(
                url, data=json.dumps(data or {}), content_type="application/json", **self.headers)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        try:
            document = json.loads(content)
        except ValueError:
            document = content.decode()
        return response.status_code, document

    def get(self, url):
        return self.call("get", url)

    def post(self, url, data=None):
        return self.call("post", url, data)

    def patch(self, url, data=None):
        return self.call("patch", url, data)


@pytest.fixture(params=CHANNELS)
def channel(request) -> str:
    """Each scenario runs with a web session and with an API token."""
    return request.param


@pytest.fixture
def caller(users, channel):
    """caller(role) -> a Caller for that role on this test's channel."""
    made: dict[str, Caller] = {}

    def make(role: str) -> Caller:
        if role not in made:
            made[role] = Caller(users[role], channel)
        return made[role]

    return make
