"""Small helpers shared by the API tests."""

from __future__ import annotations

import json

from django.test import Client


def body(response):
    return json.loads(response.content)


def send(client: Client, method: str, url: str, data=None, **extra):
    """A JSON request."""
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json", **extra)


def text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()
