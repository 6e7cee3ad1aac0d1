"""A manager uploads a member list whose headers Word typed (curly apostrophe) with a column of their own:
the preview says how each column was understood, the manager confirms, the members are imported."""

from __future__ import annotations

import factories
import pytest
from playwright.sync_api import expect

from poles.registry.models import OrganisationFigures

pytestmark = pytest.mark.browser


def test_manager_previews_the_columns_then_imports(page, world, tmp_path, shot, accessible, log_in):
    good, other = factories.siren(545454), factories.siren(565656)
    path = tmp_path / "membres.csv"
    path.write_text(
        "Nom;SIREN;Ville;Chiffre d’affaires;Année des chiffres;Référent interne\n"
        f"Atelier Aperçu;{good};Lyon;1 250 000;2024;Claire\n"
        f"Forge Aperçu;{other};Annecy;;;Paul\n", encoding="utf-8")
    log_in(page, "manager")
    page.goto(f"/workspace/{world.cluster_a.slug}/import/")
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Vérifier et importer").click()

    columns = page.locator("#preview-columns tbody tr")
    expect(columns).to_have_count(6)
    understood = {row.locator("th").inner_text(): row.locator("td").inner_text() for row in columns.all()}
    assert understood["Chiffre d’affaires"] == "chiffre d’affaires (€)"
    assert understood["Année des chiffres"] == "année des chiffres"
    assert understood["Référent interne"].startswith("ignorée")
    first = page.locator("#preview-rows tbody tr").first.inner_text()
    assert "Atelier Aperçu" in first and "1\u00a0250\u00a0000" in first
    assert not OrganisationFigures.objects.filter(organisation__siren=good).exists()
    accessible(page)
    shot(page, "import-preview")
    page.set_viewport_size({"width": 390, "height": 844})
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the preview at 390 px is {scroll} px wide"
    shot(page, "import-preview-390")
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Confirmer et importer").click()
    page.wait_for_selector(".notice.success")
    done = page.locator(".notice.success").inner_text()
    assert "Import terminé" in done and "Référent interne" in done
    assert OrganisationFigures.objects.get(organisation__siren=good, year=2024).turnover == 1_250_000
    accessible(page)
    shot(page, "import-preview-done")
