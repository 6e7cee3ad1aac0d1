"""A visitor reads a chart, opens its data table, downloads its CSV; the map shows the overseas regions."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_visitor_reads_the_members_chart_its_table_and_downloads_the_csv(page, world, shot, accessible):
    page.goto("/")
    chart = page.locator("#chart-home-members")
    svg = chart.locator("svg.chart-svg")
    expect(svg).to_be_visible()
    assert svg.get_attribute("role") == "img"
    assert chart.locator("svg title").text_content().startswith("Organisations membres par catégorie")
    expect(svg).to_have_accessible_name(re.compile(r"^Organisations membres par catégorie, 2025"))
    table = chart.locator("details.chart-data table")
    expect(table).to_be_hidden()
    chart.locator("details.chart-data summary").click()
    expect(table).to_be_visible()
    shown = [
        (row.locator("th").inner_text(), row.locator("td").first.inner_text())
        for row in table.locator("tbody tr").all()
    ]
    assert shown and all(count.isdigit() for _label, count in shown)
    accessible(page)
    shot(page, "home-chart-table")

    with page.expect_download() as info:
        chart.get_by_role("link", name="données (CSV)").click()
    download = info.value
    assert download.suggested_filename == "home-members.csv"
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Catégorie", "Membres", "Part"]
    assert [(r[0], r[1]) for r in rows[1:]] == shown

    with page.expect_download() as info:
        chart.get_by_role("link", name="image (SVG)").click()
    image = info.value.path().read_text(encoding="utf-8")
    assert image.startswith("<?xml") and "<svg" in image


def test_the_map_shows_the_overseas_regions_as_insets_and_its_licence(page, world, shot, accessible):
    page.goto("/map/")
    for code in ("01", "02", "03", "04", "06"):
        region = page.locator(f'svg.map-svg path[data-region="{code}"]')
        expect(region).to_be_visible()
        box = region.bounding_box()
        assert box and box["width"] > 5 and box["height"] > 5
    for name in ("Guadeloupe", "Martinique", "Guyane", "La Réunion", "Mayotte"):
        assert page.locator("svg.map-svg text", has_text=name).count() == 1
        assert page.locator("#map-table").get_by_role("link", name=name).count() == 1
    assert "Natural Earth" in page.locator(".map-credits").inner_text()
    assert "Licence Ouverte" in page.locator(".map-credits").inner_text()
    page.locator('label[for="measure-funding"]').click()  # DSFR draws the radio over its label
    expect(page.get_by_label("Financement public de ces projets")).to_be_checked()
    page.get_by_role("button", name="Afficher").click()
    page.wait_for_url("**/map/?measure=funding")
    accessible(page)
    shot(page, "map-overseas")
