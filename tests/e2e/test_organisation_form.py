"""A manager adds an organisation: the size category follows the figures as they are typed."""

from __future__ import annotations

import factories
import pytest
from playwright.sync_api import expect

from poles.registry.models import Organisation

pytestmark = pytest.mark.browser


def test_manager_sees_the_size_category_live_and_saves_the_organisation(page, world, shot, accessible, log_in):
    log_in(page, "manager")
    page.goto(f"/workspace/{world.cluster_a.slug}/organisations/new/")
    accessible(page)
    category = page.get_by_test_id("category")
    page.fill("#id_name", "Photonique du Rhône")
    page.fill("#id_siren", "123456789")
    page.fill("#id_figures_year", "2024")
    page.fill("#id_staff", "8")
    page.fill("#id_turnover", "1500000")
    expect(category).to_have_text("microentreprise")
    page.fill("#id_staff", "120")
    expect(category).to_have_text("moyenne entreprise")
    assert category.inner_text() == "moyenne entreprise"
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("networkidle")
    assert "clé de Luhn" in page.locator(".fr-input-group--error").first.inner_text()
    accessible(page)
    shot(page, "organisation-form-error")

    page.fill("#id_siren", factories.siren(616161))
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_load_state("networkidle")
    assert "Photonique du Rhône" in page.locator("#members-table").inner_text()
    assert Organisation.objects.get(name="Photonique du Rhône").size_category == "medium"
