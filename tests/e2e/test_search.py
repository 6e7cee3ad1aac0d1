"""A visitor types into the header search box and finds Aerospace Valley by region, name and theme."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def valley(world):
    """Aerospace Valley in Occitanie, described by its theme code and English sector name only."""
    import factories

    from poles.territories.models import Region

    Region.objects.get_or_create(code="76", defaults={"name": "Occitanie", "slug": "occitanie"})
    return factories.cluster(
        "Aerospace Valley", regions=("76",), slug="aerospace-valley", themes=["aerospace"],
        industrial_sectors=["Aerospace Vehicles and Defense"], mission="Aeronautics, space and embedded systems.",
    )


@pytest.mark.parametrize("typed", ["occitanie", "aero", "aeronautique"])
def test_the_header_search_finds_aerospace_valley(page, valley, typed, shot, accessible):
    page.goto("/")
    box = page.locator("header input[name=q]")
    box.fill(typed)
    box.press("Enter")
    page.wait_for_url(f"**/search/?q={typed}")
    results = page.locator("#group-cluster + ul")
    expect(results.get_by_role("link", name="Aerospace Valley")).to_be_visible()
    assert page.locator("header input[name=q]").count() == 1
    accessible(page)
    shot(page, f"search-{typed}")
    results.get_by_role("link", name="Aerospace Valley").click()
    page.wait_for_url("**/clusters/aerospace-valley/")


def test_a_consortium_partner_opens_its_public_page(page, world, accessible, shot):
    page.goto(f"/projects/{world.public_project.pk}/")
    page.get_by_role("link", name="Alpha Other Member").click()
    page.wait_for_url(f"**/organisations/{world.org_a.pk}/")
    expect(page.locator("h1")).to_have_text("Alpha Other Member")
    accessible(page)
    shot(page, "organisation")


@pytest.mark.parametrize("width", [1366, 390])
def test_search_and_organisation_pages_fit_the_viewport(browser, live_server, valley, world, shot, accessible, width):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    for name, path in [("search", "/search/?q=a"), ("search-organisations", "/search/?q=member&kind=organisation"),
                       ("organisation", f"/organisations/{world.org_a.pk}/")]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        shot(page, f"layout-{name}-{width}")
        assert scroll <= inner, f"{path} at {width} px is {scroll} px wide"
        accessible(page)
    context.close()
