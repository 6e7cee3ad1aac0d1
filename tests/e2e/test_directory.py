"""A visitor filters the cluster directory and opens a cluster's profile."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visitor_filters_the_directory_by_region_and_opens_a_profile(page, world, shot, accessible):
    page.goto("/")
    accessible(page)
    shot(page, "home")

    page.goto("/clusters/")
    assert page.locator(".result-count").inner_text() == "2 pôles trouvés"
    accessible(page)
    page.select_option("#id_region", "53")
    expect(page.locator(".result-count")).to_have_text(re.compile(r"^1 "))
    assert "region=53" in page.url
    cards = page.locator("#results .fr-card__title")
    assert cards.all_inner_texts() == ["Cluster Beta"]
    shot(page, "directory-filtered")

    cards.get_by_role("link", name="Cluster Beta").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text().startswith("Cluster Beta")
    assert "Public mission of Beta" in page.locator("main").inner_text()
    accessible(page)
    shot(page, "profile")


def test_visitor_searches_by_text_and_reads_the_map(page, world, shot, accessible):
    page.goto("/clusters/")
    page.fill("#id_q", "alpha")
    expect(page.locator(".result-count")).to_have_text(re.compile(r"^1 "))
    assert page.locator("#results .fr-card__title").all_inner_texts() == ["Cluster Alpha"]

    page.goto("/map/")
    accessible(page)
    region = page.locator('svg.map path[data-region="84"]')
    assert region.get_attribute("data-count") == "1"
    assert page.locator("#map-table").get_by_role("link", name="Auvergne-Rhône-Alpes").count() == 1
    shot(page, "map")
