"""A cluster manager imports an XLSX member list: reads the row error, fixes the file, imports it."""

from __future__ import annotations

import factories
import pytest
from openpyxl import Workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HEADERS = ["Nom", "SIREN", "Ville", "Type", "Effectif", "Chiffre d'affaires", "Année des chiffres", "Cotisation"]


def workbook(path, rows) -> str:
    book = Workbook()
    book.active.append(HEADERS)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return str(path)


def test_manager_fixes_a_bad_row_and_imports_the_members(page, world, tmp_path, shot, accessible, log_in):
    good, other = factories.siren(515151), factories.siren(525252)
    rows = [
        ["Atelier Numérique", good, "Lyon", "entreprise", 12, 900000, 2024, 800],
        ["Labo Photonique", "123 456 789", "Grenoble", "recherche", None, None, None, 0],
        ["Forge Alpine", other, "Annecy", "entreprise", 300, 90000000, 2024, 5000],
    ]
    log_in(page, "manager")
    page.goto(f"/workspace/{world.cluster_a.slug}/import/")
    accessible(page)
    page.set_input_files("#id_file", workbook(tmp_path / "membres.xlsx", rows))
    page.get_by_role("button", name="Vérifier et importer").click()
    page.get_by_role("button", name="Confirmer et importer").click()
    page.wait_for_selector("#import-errors")
    error_rows = page.locator("#import-errors tbody tr")
    assert error_rows.count() == 1
    cells = error_rows.first.locator("td").all_inner_texts()
    assert cells[0] == "3" and cells[1] == "SIREN" and "123 456 789" in cells[2]
    assert "rien n’a été écrit" in page.locator(".notice.error").inner_text()
    accessible(page)
    shot(page, "import-row-error")

    rows[1][1] = factories.siren(535353)
    page.set_input_files("#id_file", workbook(tmp_path / "membres-corrige.xlsx", rows))
    page.get_by_role("button", name="Vérifier et importer").click()
    page.get_by_role("button", name="Confirmer et importer").click()
    page.wait_for_selector(".notice.success")
    assert "Import terminé" in page.locator(".notice.success").inner_text()
    shot(page, "import-done")

    page.get_by_role("link", name="Voir les membres").click()
    page.wait_for_load_state("networkidle")
    table = page.locator("#members-table table").inner_text()
    for name in ("Atelier Numérique", "Labo Photonique", "Forge Alpine"):
        assert name in table
    accessible(page)
    shot(page, "members")

    page.fill("#id_q", "forge")
    expect(page.locator("#members-table tbody tr")).to_have_count(1)
    row = page.locator("#members-table tbody tr").first.inner_text()
    assert "Forge Alpine" in row and "intermédiaire" in row
