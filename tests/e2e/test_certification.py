"""The national officer runs a certification campaign: a cluster applies, two evaluators score it, the
decision (certified for two years, with a condition) appears on the cluster's public profile."""

from __future__ import annotations

import factories
import pytest
from e2e.conftest import PASSWORD

from poles.access.roles import Role
from poles.calls.grid import parse_grid
from poles.certification.models import Candidacy, Evaluation
from poles.certification.rules import DEFAULT_GRID
from poles.registry.models import Phase

pytestmark = pytest.mark.browser
CRITERIA = [c.key for c in parse_grid(DEFAULT_GRID).criteria]
STATEMENT = "Notre feuille de route est partagée avec la région et revue chaque année par le conseil."
CONDITION = "Porter la part privée du budget à 50 % d’ici 2025."


@pytest.fixture
def as_user(browser, live_server, log_in):
    """as_user(username) -> a new French tab logged in as that user (its own cookies)."""
    contexts = []

    def make(username: str | None):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900},
                                      base_url=live_server.url)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15_000)
        if username:
            log_in(tab, username)
        return tab

    yield make
    for context in contexts:
        context.close()


def _act(tab, button: str) -> None:
    tab.get_by_role("button", name=button).click()
    tab.wait_for_load_state("networkidle")


def test_officer_runs_a_campaign_two_evaluators_score_and_the_decision_is_public(world, as_user, shot, accessible):
    Phase.objects.get_or_create(code="V", defaults={"number": 5, "start_year": 2023, "end_year": 2026})
    factories.user("ministry", {"role": Role.NATIONAL}, password=PASSWORD,
                   first_name="Marie", last_name="Ministère")
    cluster = world.cluster_a

    officer = as_user("national")
    officer.get_by_role("link", name="Labellisation").first.click()
    officer.wait_for_load_state("networkidle")
    officer.select_option("#id_phase", label="Phase V (2023–2026)")
    officer.fill("#id_title", "Campagne de labellisation phase V")
    _act(officer, "Créer la campagne")
    assert officer.locator("h1").inner_text() == "Campagne de labellisation phase V"
    campaign_url = officer.url
    _act(officer, "Ouvrir les candidatures")
    assert officer.locator("#campaign-state").inner_text() == "candidatures ouvertes"

    manager = as_user("manager")
    manager.goto("/certification/")
    manager.get_by_role("link", name=f"{cluster.name} — Campagne de labellisation phase V").click()
    manager.wait_for_load_state("networkidle")
    indicators = manager.locator("#indicators")
    assert indicators.locator("tr", has_text="Membres").first.locator("td").first.inner_text() != "—"
    for key in CRITERIA:
        manager.fill(f"#id_statement_{key}", STATEMENT)
    manager.fill("#id_evidence", "https://example.org/feuille-de-route.pdf")
    _act(manager, "Enregistrer le brouillon")
    accessible(manager)
    _act(manager, "Déposer la candidature")
    assert manager.locator("#candidacy-state").inner_text() == "déposée"
    shot(manager, "certification-application")

    candidacy = Candidacy.objects.get(cluster=cluster)
    officer.goto(campaign_url)
    for label in ("regional", "Marie Ministère"):
        officer.select_option(f"#evaluator-{candidacy.pk}", label=label)
        officer.locator(f"form[action$='/applications/{candidacy.pk}/assign/'] button").click()
        officer.wait_for_load_state("networkidle")
    _act(officer, "Clore les candidatures")
    assert officer.locator("#campaign-state").inner_text() == "en évaluation"

    for username, score in (("regional", "4"), ("ministry", "3")):
        evaluator = as_user(username)
        evaluator.goto("/certification/")
        evaluator.get_by_role("link", name=f"{cluster.name} — Campagne de labellisation phase V").click()
        evaluator.wait_for_load_state("networkidle")
        for key in CRITERIA:
            evaluator.select_option(f"#id_score_{key}", score)
        evaluator.fill("#id_comment_strategy", f"Note {score} : feuille de route claire.")
        if username == "regional":
            accessible(evaluator)
        _act(evaluator, "Remettre l’évaluation")
        assert evaluator.locator("#evaluation-state").inner_text() == "remise"
    assert Evaluation.objects.filter(candidacy=candidacy, submitted_at__isnull=False).count() == 2

    officer.goto(campaign_url + "consolidation/")
    table = officer.locator("table.consolidation")
    headers = table.locator("thead th").all_inner_texts()
    assert "regional" in headers and "Marie Ministère" in headers
    totals = table.locator("tr", has_text="Note pondérée sur 100").locator("td").all_inner_texts()[1:3]
    assert [t.replace(",", ".") for t in totals] == ["80.00", "60.00"]
    accessible(officer)
    shot(officer, "certification-consolidation")
    officer.goto(campaign_url)
    _act(officer, "Passer en délibération")
    officer.get_by_role("link", name="Décider").first.click()
    officer.wait_for_load_state("networkidle")
    officer.select_option("#id_outcome", "certified")
    officer.select_option("#id_duration", "2")
    officer.fill("#id_conditions", CONDITION)
    _act(officer, "Enregistrer la décision")
    _act(officer, "Publier les décisions")
    assert officer.locator("#campaign-state").inner_text() == "décisions publiées"

    visitor = as_user(None)
    visitor.goto(f"/clusters/{cluster.slug}/")
    row = visitor.locator("#certifications ~ div tr", has_text="V (2023–2026)")
    assert "labellisé sous conditions" in row.inner_text() and "2 ans" in row.inner_text()
    shot(visitor, "certification-public-profile")
    manager.goto(f"/clusters/{cluster.slug}/")
    assert CONDITION in manager.locator("body").inner_text()  # the conditions: the cluster's team
