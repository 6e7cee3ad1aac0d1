"""An officer runs the review of a call in the browser: a file declared eligible, reviewers assigned with a
conflict excluded, a reviewer scores it, the panel, the selection under the envelope, the agreement."""

from __future__ import annotations

from types import SimpleNamespace

import factories
import pytest
from calls.callworld import consortium, make_call, org
from e2e.callsteps import sign_and_pay_the_advance

from poles.access.roles import Role
from poles.calls import reviewing
from poles.calls.models import Application, Assignment, ConflictDeclaration, ReviewerProfile
from poles.calls.transitions import transition

pytestmark = pytest.mark.browser
PASSWORD = "e2e-password-not-secret"


@pytest.fixture
def calls(transactional_db):
    """A published call with one submitted file, three reviewers (one with a declared conflict), committed."""
    w = SimpleNamespace()
    w.cluster = factories.cluster("Cluster Alpha", regions=("84",), short_name="Alpha")
    w.coord = org("Small Robotics", size="small")
    w.lab = org("Lab of Lyon", kind="research", size="unknown")
    w.eti = org("Mid Cap Industries", size="eti", region="53")
    w.officer = factories.user("officer", {"role": Role.NATIONAL}, password=PASSWORD)
    w.coordinator = factories.user("coordinator", {"role": Role.MEMBER, "organisation": w.coord, "cluster": w.cluster},
                                   password=PASSWORD)
    w.manager = factories.user("manager", {"role": Role.MANAGER, "cluster": w.cluster}, password=PASSWORD)
    w.reviewers = [factories.user(name, {"role": Role.REVIEWER}, password=PASSWORD, first_name="Expert", last_name=name)
                   for name in ("Arnaud", "Berthe", "Conflit")]
    for user in w.reviewers:
        ReviewerProfile.objects.create(user=user)
    ConflictDeclaration.objects.create(reviewer=w.reviewers[2], organisation=w.lab, reason="former employer")
    w.setup = make_call(w.officer, reviews_per_file=2, waitlist_size=0)
    w.app = consortium(w, w.setup, w.coordinator, w.coord, [w.lab, w.eti], acronym="ROBO")
    transition(w.app, "submit", w.coordinator)
    return w


def test_an_officer_takes_a_file_from_eligibility_to_its_first_instalment(page, calls, shot, accessible, log_in):
    w = calls
    log_in(page, "officer")
    page.get_by_role("link", name="Gestion des appels").first.click()
    page.wait_for_load_state("networkidle")
    accessible(page)
    page.goto(f"/manage/calls/files/{w.app.pk}/")
    accessible(page)
    shot(page, "calls-officer-file-submitted")
    page.locator('button[data-action="declare_eligible"]').click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#file-state").text_content() == "éligible"
    # the cluster labels it, the officer starts the review (services: those pages belong to others)
    request = reviewing.ask_label(w.coordinator, Application.objects.get(pk=w.app.pk), w.cluster)
    reviewing.decide_label(w.manager, request, "labelled")
    page.reload()
    page.locator('button[data-action="start_review"]').click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#file-state").text_content() == "en expertise"
    assert page.locator('button[data-action="select"]').count() == 0  # never reviewed: not offered
    assert "jamais été expertisé" in page.locator("#transitions").inner_text()

    page.goto(f"/manage/calls/{w.setup.pk}/assignments/")
    page.locator("#assign-auto").click()
    page.wait_for_load_state("networkidle")
    excluded = page.locator("ul.excluded").first.inner_text()
    assert "Expert Conflit" in excluded and "conflit d’intérêts" in excluded
    accessible(page)
    shot(page, "calls-officer-assignments")

    # a reviewer scores the file in their browser
    reviewer = Assignment.objects.filter(application=w.app).order_by("reviewer__username").first().reviewer
    page.context.clear_cookies()
    log_in(page, reviewer.username)
    page.goto("/me/reviews/")
    page.get_by_role("link", name="ROBO").click()
    page.wait_for_load_state("networkidle")
    accessible(page)
    page.select_option("#score-excellence", "1")
    page.select_option("#score-impact", "4")
    page.get_by_role("button", name="Remettre l’expertise").click()
    page.wait_for_load_state("networkidle")
    assert "doit être commentée" in page.locator("#problems").inner_text()
    page.fill("#comment-excellence", "État de l’art trop mince")
    page.get_by_role("button", name="Remettre l’expertise").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#submitted").is_visible()
    shot(page, "calls-reviewer-review")
    other = Assignment.objects.filter(application=w.app).exclude(reviewer=reviewer).get()
    reviewing.save_review(other.reviewer, other, {"excellence": 4, "impact": 4}, submit=True)

    page.context.clear_cookies()
    log_in(page, "officer")
    page.goto(f"/manage/calls/{w.setup.pk}/panel/")
    accessible(page)
    shot(page, "calls-officer-panel")
    page.goto(f"/manage/calls/{w.setup.pk}/selection/")
    page.locator("#propose").click()
    page.wait_for_load_state("networkidle")
    assert page.locator('#ranking tr[data-outcome="selected"]').count() == 1
    page.fill("#envelope", "1000")
    page.get_by_role("button", name="Comparer").click()
    page.wait_for_load_state("networkidle")
    assert "ROBO" in page.locator("#what-if").inner_text()
    accessible(page)
    shot(page, "calls-officer-selection")
    page.locator("#confirm").click()
    page.wait_for_load_state("networkidle")
    sign_and_pay_the_advance(page, w.app.pk)
    assert page.locator("#file-state").text_content() == "en cours"
    accessible(page)
    shot(page, "calls-officer-agreement")

    page.goto("/manage/calls/workflow/")
    accessible(page)
    shot(page, "calls-workflow")
