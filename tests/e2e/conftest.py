"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Screenshots go to test-artifacts/screenshots/ (git-ignored); every page visited is checked with
axe-core, failing on serious or critical violations. Pages run under the Content-Security-Policy,
which refuses eval: wait with `expect(locator)…` or `page.wait_for_url`, not `page.wait_for_function`
(Playwright evaluates its string with the page's eval).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.cache import cache

# Playwright's sync API keeps an event loop in the main thread; the ORM calls the tests make
# between browser steps are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "e2e-password-not-secret"


@pytest.fixture(scope="session")
def browser():
    """One headless chromium for the session; skipped with the reason when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh French-speaking browser tab; the live server's URL as `page.base`."""
    cache.clear()
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900},
                                  base_url=live_server.url)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
    cache.clear()


@pytest.fixture
def world(transactional_db):
    """The shared test register, committed so the live server's thread sees it, with users who log in."""
    import factories

    register = factories.build_register()
    users = factories.build_users(register)
    for user in users.values():
        if user is not None:
            user.set_password(PASSWORD)
            user.save()
    register.users = users
    return register


def _shot(page, name: str) -> Path:
    """Save a full-page screenshot of the current page as a test artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _assert_accessible(page) -> None:
    """Run axe-core on the page; fail on serious or critical violations, naming them."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in bad
    )
    assert not bad, f"axe-core found serious problems on {page.url}:\n{details}"


def _log_in(page, username: str) -> None:
    """Log in through the login page."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


@pytest.fixture
def shot():
    """shot(page, name): a full-page screenshot into test-artifacts/screenshots/."""
    return _shot


@pytest.fixture
def accessible():
    """accessible(page): axe-core finds no serious or critical violation."""
    return _assert_accessible


@pytest.fixture
def log_in():
    """log_in(page, username): through the login form, with the e2e password."""
    return _log_in
