"""Every page and API answer carries a strict Content-Security-Policy, and no template needs an exception."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import poles

pytestmark = pytest.mark.django_db

PACKAGE = Path(poles.__file__).parent
TEMPLATE_DIRS = sorted(PACKAGE.glob("*/templates"))
INLINE = {
    "inline script": re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "style block": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event-handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def policy(response) -> dict[str, list[str]]:
    """The header as {directive: [sources]}."""
    header = response.get("Content-Security-Policy", "")
    parts = (p.strip().split() for p in header.split(";") if p.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/", "/clusters/", "/map/", "/accounts/login/", "/api/v1/docs",
                                  "/api/v1/clusters", "/admin/login/"])
def test_every_answer_carries_a_strict_policy(client, path):
    directives = policy(client.get(path))
    assert directives.get("default-src") == ["'self'"], directives
    assert directives.get("object-src") == ["'none'"]
    assert directives.get("frame-ancestors") == ["'none'"]
    assert directives.get("form-action") == ["'self'"]
    assert directives.get("base-uri") == ["'self'"]
    for kind in ("script-src", "style-src", "default-src"):
        sources = directives.get(kind, directives["default-src"])
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "https:"} & set(sources), (kind, sources)


def test_images_allow_only_self_and_data_urls(client):
    assert policy(client.get("/"))["img-src"] == ["'self'", "data:"]


def test_page_policy_is_not_weakened_for_a_logged_in_user(client_for):
    directives = policy(client_for("manager").get("/workspace/"))
    assert directives.get("script-src") == ["'self'"] and directives.get("style-src") == ["'self'"]


@pytest.mark.parametrize("kind", sorted(INLINE))
def test_templates_need_no_inline_exception(kind):
    found = [
        f"{path.relative_to(PACKAGE)}:{text[:m.start()].count(chr(10)) + 1}"
        for folder in TEMPLATE_DIRS for path in sorted(folder.rglob("*.html"))
        for text in [path.read_text(encoding="utf-8")] for m in INLINE[kind].finditer(text)
    ]
    assert not found, f"{kind} in templates (blocked by the policy): {found}"
