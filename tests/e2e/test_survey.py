"""The annual survey in a browser: the national officer opens it; the manager fills the pre-filled report and
submits it; the officer sends it back; the manager corrects and resubmits; the officer validates and the report
is frozen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def tab_for(browser, live_server, log_in):
    """tab_for(username): a new French browser tab logged in as that user (closed after the test)."""
    contexts = []

    def make(username: str):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900},
                                      base_url=live_server.url)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        log_in(tab, username)
        return tab

    yield make
    for context in contexts:
        context.close()


def test_a_report_is_filled_sent_back_corrected_and_validated(page, world, tab_for, tmp_path, shot, accessible,
                                                              log_in):
    slug = world.cluster_a.slug
    report = f"/workspace/{slug}/survey/2024/"

    # the national officer opens the 2024 survey
    log_in(page, "national")
    page.goto("/programme/surveys/")
    accessible(page)
    page.fill("#id_year", "2024")
    page.get_by_role("button", name="Ouvrir l’enquête").click()
    expect(page.locator("#status-" + slug)).to_contain_text("brouillon")
    accessible(page)
    shot(page, "survey-status-opened")

    # the manager finds the report in the workspace tab, sees the register's values, corrects one, submits
    manager = tab_for("manager")
    manager.goto(f"/workspace/{slug}/")
    manager.get_by_role("link", name="Enquête annuelle").click()
    manager.get_by_role("link", name="Rapport 2024").click()
    expect(manager.locator("#row-staff_fte [data-register]")).to_have_text("8")
    expect(manager.locator("#row-budget_state [data-register]")).to_contain_text("54\u202f321,98")
    accessible(manager)
    manager.fill("#fig_patents", "2")
    manager.fill("#fig_international_fte", "1,5")
    manager.get_by_role("button", name="Enregistrer les chiffres").click()
    expect(manager.locator("#row-patents")).to_contain_text("corrigé")
    expect(manager.locator("#row-staff_fte")).not_to_contain_text("corrigé")
    evidence = tmp_path / "bilan-2024.pdf"
    evidence.write_bytes(b"%PDF-1.4 bilan")
    manager.set_input_files("#id_file", str(evidence))
    manager.get_by_role("button", name="Joindre le fichier").click()
    expect(manager.locator("#evidence + ul")).to_contain_text("bilan-2024.pdf")
    manager.get_by_role("button", name="Déposer").click()
    expect(manager.locator("#report-state")).to_have_text("déposé")
    shot(manager, "survey-report-submitted")

    # the officer sees it submitted and sends it back with a comment
    page.goto("/programme/surveys/2024/")
    expect(page.locator(f"#status-{slug} [data-state]")).to_have_text("déposé")
    page.get_by_role("link", name=world.cluster_a.name).click()
    expect(page.locator("#row-patents")).to_contain_text("corrigé")
    page.fill("#comment-send_back", "Combien de brevets exactement ? Le bilan en cite trois.")
    page.get_by_role("button", name="Renvoyer pour correction").click()
    expect(page.locator("#report-state")).to_have_text("renvoyé pour correction")

    # the manager reads the comment, corrects and submits again
    manager.goto(report)
    expect(manager.locator("#sent-back")).to_contain_text("Le bilan en cite trois.")
    accessible(manager)
    manager.fill("#fig_patents", "3")
    manager.get_by_role("button", name="Enregistrer les chiffres").click()
    expect(manager.locator("#fig_patents")).to_have_value("3")
    manager.get_by_role("button", name="Déposer").click()
    expect(manager.locator("#report-state")).to_have_text("déposé")

    # the officer validates: the report is frozen, its snapshot shown, no form left
    page.goto(report)
    page.get_by_role("button", name="Valider").click()
    expect(page.locator("#report-state")).to_have_text("validé")
    expect(page.locator("#frozen")).to_contain_text("national@example.org")
    page.locator("details summary").click()
    expect(page.locator(".poles-snapshot")).to_contain_text('"patents"')
    expect(page.locator("#history tbody tr")).to_have_count(4)
    accessible(page)
    shot(page, "survey-report-validated")
    manager.goto(report)
    expect(manager.locator("#fig_patents")).to_have_count(0)
    expect(manager.locator("#row-patents [data-declared]")).to_have_text("3")
