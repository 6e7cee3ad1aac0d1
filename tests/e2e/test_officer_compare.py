"""A national officer sorts the clusters of the programme and compares three of them."""

from __future__ import annotations

import factories
import pytest

pytestmark = pytest.mark.browser


def test_officer_compares_three_clusters(page, world, shot, accessible, log_in):
    gamma = factories.cluster("Cluster Gamma", regions=("11",), mission="Gamma")
    factories.membership(factories.organisation("Gamma member"), gamma)
    log_in(page, "national")
    page.get_by_role("link", name="Programme").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Les pôles du programme"
    accessible(page)
    shot(page, "programme")

    page.locator("#programme-table thead").get_by_role("link", name="Membres").click()
    page.wait_for_load_state("networkidle")
    assert "sort=members" in page.url

    for name in ("Cluster Alpha", "Cluster Beta", "Cluster Gamma"):
        page.get_by_label(f"Comparer {name}").check(force=True)  # DSFR draws the box on the label
    page.get_by_role("button", name="Comparer les pôles cochés").click()
    page.wait_for_load_state("networkidle")
    headers = page.locator("#comparison thead th").all_inner_texts()[1:]
    assert sorted(headers) == ["Cluster Alpha", "Cluster Beta", "Cluster Gamma"]
    members_row = page.locator("#comparison tbody tr", has_text="Membres").first.locator("td").all_inner_texts()
    assert dict(zip(headers, members_row, strict=True)) == {
        "Cluster Alpha": "2", "Cluster Beta": "1", "Cluster Gamma": "1",
    }
    accessible(page)
    shot(page, "compare")
