"""The API's Swagger UI page loads only same-origin assets installed with django-ninja."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")
OTHER_HOST = re.compile(r"(?:https?:)?//(?!testserver\b)[\w.-]+\.[a-z]{2,}")


def test_docs_page_references_no_other_host(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert not OTHER_HOST.findall(html), OTHER_HOST.findall(html)
    assets = ASSET.findall(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    assert all(a.startswith("/") and not a.startswith("//") for a in assets), assets


def test_docs_assets_come_from_the_installed_package():
    for name in ("ninja/swagger-ui-bundle.js", "ninja/swagger-ui.css", "ninja/swagger-ui-init.js"):
        assert finders.find(name), f"{name} is not found by the static files finders"


def test_docs_do_not_ask_the_public_validator(client):
    html = client.get("/api/v1/docs").content.decode()
    config = re.search(r'id="swagger-settings">(.*?)</script>', html, re.S)
    assert config and '"validatorUrl": null' in config.group(1)
