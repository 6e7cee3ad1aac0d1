"""The main pages on the State's design system, at a desktop (1366 px) and a phone (390 px) width.

Each page: no horizontal scroll (the document is never wider than the viewport), no serious or
critical axe-core violation, DSFR's JavaScript running under the Content-Security-Policy, no
Marianne font fetched under the neutral brand, and a full-page screenshot in
test-artifacts/screenshots/layout-<page>-<width>.png.
"""

from __future__ import annotations

import datetime as dt

import factories
import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from poles.registry.models import Cluster

pytestmark = pytest.mark.browser

WIDTHS = (1366, 390)
LONG_NAME = "Organisation au nom particulièrement long pour éprouver la mise en page des tableaux étroits"


@pytest.fixture
def big_world(world):
    """The shared world, with a cluster of 60 members (pages of 50), wide rows, a call and demo data."""
    for n in range(60):
        org = factories.organisation(f"{LONG_NAME} {n:02d}", city="Saint-Rémy-de-Provence",
                                     supplied_by=world.cluster_a)
        factories.membership(org, world.cluster_a, fee_invoiced=1200, fee_paid=600)
    factories.call("CALL-LAYOUT", title="Appel à projets pour la mise en page des cartes",
                   closes=dt.date.today() + dt.timedelta(days=20), is_generated=True)
    Cluster.objects.filter(pk=world.cluster_b.pk).update(is_generated=True)
    return world


def _context(browser, live_server, width: int):
    cache.clear()
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900},
                                  base_url=live_server.url)
    context.fonts = []
    context.on("request", lambda r: context.fonts.append(r.url) if "Marianne" in r.url else None)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _check(page, name: str, width: int, shot, accessible) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("html")).to_have_attribute("data-fr-js", "true")  # DSFR's JS ran under the CSP
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shot(page, f"layout-{name}-{width}")
    assert scroll <= inner, f"{name} at {width} px is {scroll} px wide: it scrolls sideways"
    accessible(page)


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_fit_the_viewport_and_pass_axe(browser, live_server, big_world, shot, accessible, width):
    context, page = _context(browser, live_server, width)
    w = big_world
    pages = [
        ("home", "/"), ("directory", "/clusters/"), ("clusters-list", "/clusters/?region=84"),
        ("profile", f"/clusters/{w.cluster_a.slug}/"), ("map", "/map/"), ("projects", "/projects/"),
        ("project", f"/projects/{w.public_project.pk}/"), ("calls", "/calls/"), ("login", "/accounts/login/"),
    ]
    for name, path in pages:
        page.goto(path)
        _check(page, name, width, shot, accessible)
    assert page.locator("[data-testid=demo-banner]").count() == 1, "a demo register shows its banner"
    assert context.fonts == [], f"the neutral brand fetched Marianne: {context.fonts[:3]}"
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_manager_and_officer_pages_fit_the_viewport_and_pass_axe(browser, live_server, big_world, shot,
                                                                  accessible, log_in, width):
    context, page = _context(browser, live_server, width)
    slug = big_world.cluster_a.slug
    log_in(page, "manager")
    for name, path in [("profile-manager", f"/clusters/{slug}/"), ("workspace", f"/workspace/{slug}/"),
                       ("workspace-members", f"/workspace/{slug}/members/"),
                       ("workspace-memberships", f"/workspace/{slug}/memberships/"),
                       ("workspace-import", f"/workspace/{slug}/import/"),
                       ("workspace-organisation", f"/workspace/{slug}/organisations/new/")]:
        page.goto(path)
        _check(page, name, width, shot, accessible)
    context.clear_cookies()
    log_in(page, "national")
    for name, path in [("programme", "/programme/"),
                       ("compare", f"/programme/compare/?c={slug}&c={big_world.cluster_b.slug}")]:
        page.goto(path)
        _check(page, name, width, shot, accessible)
    context.close()


def test_the_logged_in_profile_pages_its_members(page, big_world, log_in):
    log_in(page, "manager")
    page.goto(f"/clusters/{big_world.cluster_a.slug}/")
    members = page.locator("section[aria-labelledby=members]")
    expect(members.locator("tbody tr")).to_have_count(50)
    members.get_by_role("link", name="Suivant").click()
    page.wait_for_load_state("networkidle")
    assert "page=2" in page.url
    expect(members.locator("tbody tr")).to_have_count(12)  # 62 members: 50, then 12
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 8000, f"the profile is {height} px long"


def test_phone_header_menu_search_and_filters(browser, live_server, big_world, shot):
    context, page = _context(browser, live_server, 390)
    page.goto("/clusters/")
    page.wait_for_load_state("networkidle")
    menu = page.locator(".fr-header__navbar .fr-btn--menu")
    box = menu.bounding_box()
    assert box["x"] + box["width"] <= 390 - 8, f"the menu button touches the edge: {box}"
    # filters are folded behind one button, so the first result is on the first screen
    expect(page.locator("#filters-panel")).not_to_be_visible()
    first = page.locator("#results .fr-card").first.bounding_box()
    assert first["y"] < 900, f"the first result starts at {first['y']} px"
    page.get_by_role("button", name="Filtrer les pôles").click()
    expect(page.locator("#id_region")).to_be_visible()

    menu.click()
    nav = page.locator("#main-nav")
    expect(nav.get_by_role("link", name="Annuaire des pôles")).to_be_visible()
    expect(page.locator("#modal-menu").get_by_role("link", name="Se connecter")).to_be_visible()
    shot(page, "layout-menu-390")
    page.locator("#modal-menu").get_by_role("button", name="Fermer").click()

    page.locator(".fr-header__navbar .fr-btn--search").click()
    search = page.get_by_label("Rechercher", exact=True)
    expect(search).to_be_visible()
    search.fill("occitanie")
    search.press("Enter")
    page.wait_for_url("**/search/?q=occitanie")
    context.close()
