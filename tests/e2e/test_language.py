"""The language switch: French by default, English on request, and back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_language_switch_changes_every_string_and_number_format(page, world, shot, accessible):
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == "Les pôles de compétitivité en France"

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "The competitiveness clusters of France"
    assert page.get_by_role("link", name="Cluster directory").count() == 1
    accessible(page)
    shot(page, "home-en")

    page.goto("/clusters/")
    assert page.locator(".result-count").inner_text() == "2 clusters found"
    page.select_option("#id_region", "84")
    expect(page.locator(".result-count")).to_have_text("1 cluster found")
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state("networkidle")
    assert "/clusters/?" in page.url and "region=84" in page.url
    assert page.locator(".result-count").inner_text() == "1 pôle trouvé"
