"""The pages work in a real browser under the Content-Security-Policy, offline.

Every request the browser makes to a host other than the live server's is aborted and recorded;
every `securitypolicyviolation` event and every CSP console error is recorded; both must stay empty.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

REPORTER = """
document.addEventListener('securitypolicyviolation', (e) => window.__pagesCsp(
  `${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} on ${location.pathname}`
  + ` (${e.sourceFile}:${e.lineNumber})`));
"""


class Watch:
    """What the browser did that the policy or the offline rule forbids."""

    def __init__(self, page, live_server_url: str):
        self.violations: list[str] = []
        self.outside: list[str] = []
        self.host = urlsplit(live_server_url).hostname
        page.expose_function("__pagesCsp", self._report)
        page.add_init_script(REPORTER)
        page.on("console", self._console)
        page.context.route("**/*", self._route)

    def _report(self, text: str) -> None:
        self.violations.append(text)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(f"console: {message.text}")

    def _route(self, route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.hostname not in (self.host, "127.0.0.1"):
            self.outside.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    def check(self, page, where: str) -> None:
        page.wait_for_load_state("networkidle")
        assert not self.violations, f"CSP violations on {where}: {self.violations}"
        assert not self.outside, f"requests leaving {self.host} on {where}: {self.outside}"


@pytest.fixture
def watch(page, live_server):
    return Watch(page, live_server.url)


def test_public_pages_and_api_docs_work_under_the_policy_offline(page, world, watch):
    assert watch.host in ("127.0.0.1", "localhost")
    for path in ("/", "/map/", "/projects/", "/calls/", "/accessibility/", "/accounts/login/",
                 "/accounts/password-reset/"):
        page.goto(path)
        watch.check(page, path)

    page.goto("/clusters/")
    page.select_option("#id_region", "53")
    expect(page.locator(".result-count")).to_have_text(re.compile(r"^1 "))
    page.locator("#results .fr-card__title").get_by_role("link", name="Cluster Beta").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Cluster Beta")
    watch.check(page, "directory and profile")

    page.goto("/api/v1/docs")
    watch.check(page, "/api/v1/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 20
    page.locator(".opblock-summary", has_text="/api/v1/clusters").first.click()
    page.wait_for_selector(".opblock-body")
    watch.check(page, "/api/v1/docs")


def test_signed_in_pages_work_under_the_policy_and_keep_no_copy(page, world, watch, log_in):
    log_in(page, "manager")
    slug = world.cluster_a.slug
    for path in (f"/workspace/{slug}/", f"/workspace/{slug}/import/", f"/workspace/{slug}/audit/",
                 f"/workspace/{slug}/invite/", f"/workspace/{slug}/memberships/", "/me/tokens/"):
        page.goto(path)
        watch.check(page, path)

    page.goto(f"/workspace/{slug}/members/")
    page.fill("#id_q", "Alpha Other")
    page.wait_for_url(re.compile(r"[?&]q=Alpha"))
    page.wait_for_load_state("networkidle")
    assert "Alpha Other Member" in page.locator("#members-table").inner_text()
    watch.check(page, "members, filtered through htmx")
    assert page.evaluate("localStorage.getItem('htmx-history-cache')") is None, (
        "htmx kept a copy of a confidential page in localStorage")

    page.go_back()  # a same-document entry: htmx finds no copy and reloads the whole page
    expect(page).to_have_url(re.compile(r"/members/$"))
    expect(page.locator("header.site-header")).to_have_count(1)
    expect(page.locator("h1")).to_have_text(re.compile("^Membres"))
    expect(page.locator("#id_q")).to_have_value("")
    watch.check(page, "members after going back")

    page.context.clear_cookies()
    log_in(page, "admin")
    for path in ("/programme/", "/programme/compare/", "/admin/", "/admin/registry/organisation/",
                 f"/admin/registry/organisation/{world.org_a.pk}/change/", "/admin/core/auditentry/"):
        page.goto(path)
        watch.check(page, path)
