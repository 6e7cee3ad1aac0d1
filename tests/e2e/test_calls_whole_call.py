"""A whole call for projects in the browser (issue 9's acceptance), every step through the real pages.

An officer opens, sets up and publishes a call; two consortia apply (one partner joins by invitation
and enters its own costs); one consortium is refused at submission with its failed rule on screen;
the cluster's manager labels the other from the workspace's labelling queue; reviewers are assigned
automatically, the one from a consortium organisation excluded with the reason; three reviewers score
it through their inbox; the exact selection under an envelope that cannot fund every file picks the
best total (not the rank-order line) and the officer confirms; the agreement is signed and the first
instalment paid; an anonymous visitor sees the project funded, with the funder's amount.

Two more reviewed files (X and Y) compete in the selection; they are written through the domain
services once the call is published (typing them too would add nothing the two consortia do not).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from types import SimpleNamespace

import factories
import pytest
from calls.callworld import FORM, GRID, org
from django.core import mail
from django.utils import timezone
from e2e.callsteps import sign_and_pay_the_advance

from poles.access.roles import Role
from poles.calls import reviewing, submissions
from poles.calls.models import Application, CallSetup, ReviewerProfile
from poles.calls.rounds import PARIS
from poles.calls.transitions import transition

pytestmark = pytest.mark.browser
PASSWORD = "e2e-password-not-secret"

RULES = [
    {"kind": "min_research", "n": 1},
    {"kind": "coordinator_kind", "kinds": ["company"]},
    {"kind": "cost_categories", "allowed": ["staff", "equipment"]},
    {"kind": "aid_within_rates"},
    {"kind": "duration", "min_months": 12, "max_months": 48},
    {"kind": "labelling", "n": 1},
]
ENVELOPE = 400_000
"""X (the best score, 300 k€ of aid) alone, or A and Y (200 k€ each) together: the rank-order line
funds X and stops; the best total is A + Y."""


def plain(text: str) -> str:
    """Text with the thin and non-breaking spaces French typography puts in figures made plain."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


@pytest.fixture
def people(transactional_db):
    """Users and organisations only; the call itself is made in the browser."""
    w = SimpleNamespace()
    w.cluster = factories.cluster("Cluster Alpha", regions=("84",), short_name="Alpha")
    w.org_a = org("Small Robotics", size="small")
    w.lab_a = org("Lab of Lyon", kind="research", size="unknown")
    w.org_b = org("Lonely Widgets", size="small")
    w.org_x, w.lab_x = org("Xylo Motion", size="small"), org("Lab of Grenoble", kind="research", size="unknown")
    w.org_y = org("Yonder Systems", size="medium")
    w.officer = factories.user("officer", {"role": Role.NATIONAL}, password=PASSWORD)
    w.manager = factories.user("manager", {"role": Role.MANAGER, "cluster": w.cluster}, password=PASSWORD)

    def rep(name, organisation):
        return factories.user(name, {"role": Role.MEMBER, "organisation": organisation, "cluster": w.cluster},
                              password=PASSWORD, email=f"{name}@example.org")

    w.coord_a, w.rep_lab, w.coord_b = rep("coord_a", w.org_a), rep("rep_lab", w.lab_a), rep("coord_b", w.org_b)
    w.coord_x, w.coord_y = rep("coord_x", w.org_x), rep("coord_y", w.org_y)
    w.reviewers = [factories.user(f"expert_{name.lower()}", {"role": Role.REVIEWER}, password=PASSWORD,
                                  first_name="Expert", last_name=name) for name in ("Arnaud", "Berthe", "Claude", "Delta")]
    for user in w.reviewers[:3]:
        ReviewerProfile.objects.create(user=user)
    # Delta works at the lab of consortium A: never assigned to A
    ReviewerProfile.objects.create(user=w.reviewers[3], organisation=w.lab_a)
    return w


def _competitor(w, setup, creator, coordinator, acronym, *, coord_costs, coord_aid, lab_costs, lab_aid, scores):
    """A file through the services: submitted, eligible, labelled, in review, scored by the first three reviewers."""
    app = submissions.start_application(creator, setup, coordinator, acronym=acronym, title=f"Project {acronym}",
                                        duration_months=24)
    app.answers = {"summary": f"What {acronym} does."}
    app.save()
    submissions.save_partner(creator, app, coordinator, costs={"staff": str(coord_costs), "equipment": "0"},
                             staff_months=24, requested_aid=Decimal(coord_aid))
    submissions.save_partner(creator, app, w.lab_x, costs={"staff": str(lab_costs), "equipment": "0"},
                             staff_months=24, requested_aid=Decimal(lab_aid))
    transition(app, "submit", creator)
    transition(app, "declare_eligible", w.officer)
    reviewing.decide_label(w.manager, reviewing.ask_label(creator, app, w.cluster), "labelled")
    transition(app, "start_review", w.officer)
    for reviewer in w.reviewers[:3]:
        assignment = reviewing.assign_manually(w.officer, app, reviewer)
        reviewing.save_review(reviewer, assignment, scores, submit=True)
    return app


class LiveReports:
    """Counts the live eligibility reports in flight (each change of a field posts one, htmx).

    The form is sent once they are all back: the test types faster than anyone, and a report still
    running on SQLite when the form's own write arrives makes one of them wait (see the report).
    """

    def __init__(self, page) -> None:
        self.running = 0
        page.on("request", lambda r: self._count(r, 1))
        page.on("requestfinished", lambda r: self._count(r, -1))
        page.on("requestfailed", lambda r: self._count(r, -1))

    def _count(self, request, step: int) -> None:
        if "/eligibility/" in request.url:
            self.running += step

    def leave(self, page, selector: str) -> None:
        """Leave the field (its change posts a report) and wait until no report is running."""
        with page.expect_response(lambda r: "/eligibility/" in r.url):
            page.locator(selector).press("Tab")
        for _ in range(300):
            if self.running <= 0:
                return
            page.wait_for_timeout(50)


def _start_file(page, reports: LiveReports, call_id: int, acronym: str, title: str, summary: str) -> Application:
    """A logged-in representative starts a file on the call and saves its summary."""
    page.goto(f"/calls/{call_id}/apply/")
    page.fill("#id_acronym", acronym)
    page.fill("#id_title", title)
    page.fill("#id_duration_months", "24")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    app = Application.objects.get(acronym=acronym)
    assert page.url.endswith(f"/applications/{app.pk}/")
    page.fill("#id_q_summary", summary)
    reports.leave(page, "#id_q_summary")
    page.locator(f"form[action$='/applications/{app.pk}/details/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    return app


def _fill_costs(page, reports: LiveReports, staff: str, equipment: str, months: str, aid: str) -> None:
    page.fill("#id_cost_staff", staff)
    page.fill("#id_cost_equipment", equipment)
    page.fill("#id_staff_months", months)
    page.fill("#id_requested_aid", aid)
    reports.leave(page, "#id_requested_aid")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")


def test_a_whole_call_from_publication_to_the_funded_project_on_its_public_page(
        page, browser, live_server, people, shot, accessible, log_in):
    w = people
    reports = LiveReports(page)

    # 1. the officer opens the call, sets its rules, grid, form and round, and publishes it
    log_in(page, "officer")
    page.get_by_role("link", name="Gestion des appels").first.click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_code", "E2E-2026")
    page.select_option("#id_funder", "bpifrance")
    page.fill("#id_programme", "i-Démo")
    page.fill("#id_title", "Appel de bout en bout 2026")
    page.fill("#id_envelope", str(ENVELOPE))
    page.locator("form:has(input[name=action][value=new]) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    setup = CallSetup.objects.get(call__code="E2E-2026")
    assert page.url.endswith(f"/manage/calls/{setup.pk}/")
    page.fill("#id_reviews_per_file", "3")
    page.fill("#id_waitlist_size", "0")
    page.fill("#id_eligibility", json.dumps(RULES))
    page.fill("#id_grid", json.dumps(GRID))
    page.fill("#id_form", json.dumps(FORM))
    page.locator("form:has(input[name=action][value=save]) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    now = timezone.now().astimezone(PARIS)
    page.fill("#id_opens_at", (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_closes_at", (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"))
    page.locator(f"form[action$='/manage/calls/{setup.pk}/rounds/'] button").click()
    page.wait_for_load_state("networkidle")
    accessible(page)
    page.locator(f"form[action$='/manage/calls/{setup.pk}/publish/'] button").click()
    page.wait_for_load_state("networkidle")
    setup.refresh_from_db()
    assert setup.status == CallSetup.Status.PUBLISHED, page.locator("main").inner_text()
    assert setup.eligibility == RULES and setup.reviews_per_file == 3
    shot(page, "calls-whole-published")

    # the competing files X and Y (services), reviewed by Arnaud, Berthe and Claude
    _competitor(w, setup, w.coord_x, w.org_x, "XYLO", coord_costs=500_000, coord_aid=200_000, lab_costs=250_000,
                lab_aid=100_000, scores={"excellence": 5, "impact": 4})  # 93.33, 300 k€
    _competitor(w, setup, w.coord_y, w.org_y, "YOND", coord_costs=300_000, coord_aid=100_000, lab_costs=250_000,
                lab_aid=100_000, scores={"excellence": 3, "impact": 5})  # 73.33, 200 k€

    # 2a. consortium A: the coordinator finds the call on the public page and starts a file
    page.context.clear_cookies()
    log_in(page, "coord_a")
    page.goto("/calls/")
    page.get_by_role("link", name="Appel de bout en bout 2026").first.click()
    page.wait_for_load_state("networkidle")
    accessible(page)
    app_a = _start_file(page, reports, setup.call_id, "ROBO", "Robots that learn",
                        "Des robots qui apprennent en atelier.")
    page.fill("#id_email", "rep_lab@example.org")
    page.locator(f"form[action$='/applications/{app_a.pk}/invite/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"/applications/{app_a.pk}/partners/{w.org_a.pk}/")
    _fill_costs(page, reports, "200000", "100000", "24", "120000")  # ceiling 45 % of 300 k€ = 135 k€
    link = next(re.search(r"https?://\S+/invitations/\S+/", m.body).group(0) for m in mail.outbox
                if "/invitations/" in m.body and "rep_lab@example.org" in m.to)

    # the lab's representative accepts the invitation and enters the lab's own costs
    page.context.clear_cookies()
    log_in(page, "rep_lab")
    page.goto(link[link.index("/invitations/"):])
    accessible(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/applications/{app_a.pk}/partners/{w.lab_a.pk}/")
    _fill_costs(page, reports, "200000", "0", "30", "80000")  # research at 40 % of its full cost: 80 k€

    # the coordinator asks the cluster for its label and submits
    page.context.clear_cookies()
    log_in(page, "coord_a")
    page.goto(f"/applications/{app_a.pk}/")
    page.select_option("#id_cluster", label="Cluster Alpha")
    page.locator(f"form[action$='/applications/{app_a.pk}/labels/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    page.locator(f"form[action$='/applications/{app_a.pk}/submit/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    app_a.refresh_from_db()
    assert app_a.state == "submitted", page.locator("main").inner_text()
    assert "déposé" in page.locator("h1 .fr-badge").text_content()
    accessible(page)
    shot(page, "calls-whole-submitted")

    # 2b. consortium B has no research organisation: refused, the failed rule said on screen
    page.context.clear_cookies()
    log_in(page, "coord_b")
    app_b = _start_file(page, reports, setup.call_id, "SOLO", "Widgets alone", "Des widgets sans laboratoire.")
    page.goto(f"/applications/{app_b.pk}/partners/{w.org_b.pk}/")
    _fill_costs(page, reports, "100000", "20000", "12", "40000")
    page.locator(f"form[action$='/applications/{app_b.pk}/submit/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    reason = "Le consortium compte 0 organisme(s) de recherche ; il en faut au moins 1."
    assert reason in plain(page.locator("main").inner_text())
    assert reason in plain(page.locator("#eligibility-report .fr-alert--error").inner_text())
    app_b.refresh_from_db()
    assert app_b.state == "draft" and app_b.submission is None
    accessible(page)
    shot(page, "calls-whole-ineligible")

    # the officer declares A eligible
    page.context.clear_cookies()
    log_in(page, "officer")
    page.goto(f"/manage/calls/files/{app_a.pk}/")
    page.locator('button[data-action="declare_eligible"]').click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#file-state").text_content() == "éligible"

    # 3. the cluster's manager labels it from the workspace's labelling queue
    page.context.clear_cookies()
    log_in(page, "manager")
    page.goto(f"/workspace/{w.cluster.slug}/labelling/")
    accessible(page)
    page.get_by_role("link", name="ROBO").click()
    page.wait_for_load_state("networkidle")
    page.get_by_text("Labelliser le projet", exact=True).click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    app_a.refresh_from_db()
    assert app_a.state == "labelled", page.locator("main").inner_text()

    # 4. the officer starts the review and assigns automatically: Delta excluded, with the reason
    page.context.clear_cookies()
    log_in(page, "officer")
    page.goto(f"/manage/calls/files/{app_a.pk}/")
    page.locator('button[data-action="start_review"]').click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#file-state").text_content() == "en expertise"
    page.goto(f"/manage/calls/{setup.pk}/assignments/")
    page.locator("#assign-auto").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("#assignment-table tbody tr", has_text="ROBO")
    assigned = row.locator("td").nth(1).inner_text()
    excluded = plain(row.locator("ul.excluded").inner_text())
    assert all(f"Expert {n}" in assigned for n in ("Arnaud", "Berthe", "Claude")), assigned
    assert "Delta" not in assigned
    assert "Expert Delta" in excluded and "fait partie du consortium" in excluded, excluded
    assert sorted(a.reviewer.last_name for a in app_a.assignments.all()) == ["Arnaud", "Berthe", "Claude"]
    accessible(page)
    shot(page, "calls-whole-assignments")

    # 5. each reviewer scores ROBO from their inbox
    for reviewer in w.reviewers[:3]:
        page.context.clear_cookies()
        log_in(page, reviewer.username)
        page.goto("/me/reviews/")
        page.get_by_role("link", name="ROBO").click()
        page.wait_for_load_state("networkidle")
        page.select_option("#score-excellence", "4")
        page.select_option("#score-impact", "4")
        page.locator("#comment-excellence").fill(f"Solide — {reviewer.last_name}")
        page.get_by_role("button", name="Remettre l’expertise").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#submitted").is_visible()
    accessible(page)
    app_a.refresh_from_db()
    assert app_a.score == Decimal("80.00")

    # 6. the exact selection under the envelope: A and Y (153.33), not X alone (93.33); confirmed
    page.context.clear_cookies()
    log_in(page, "officer")
    page.goto(f"/manage/calls/{setup.pk}/selection/")
    page.locator("#propose").click()
    page.wait_for_load_state("networkidle")
    outcomes = {r.locator("td").nth(1).inner_text(): r.get_attribute("data-outcome")
                for r in page.locator("#ranking tbody tr").all()}
    assert outcomes == {"XYLO": "rejected", "ROBO": "selected", "YOND": "selected"}, outcomes
    xylo = plain(page.locator("#ranking tbody tr", has_text="XYLO").inner_text())
    assert "enveloppe" in xylo.lower(), xylo
    assert "153,33" in plain(page.locator("main").inner_text())
    accessible(page)
    shot(page, "calls-whole-selection")
    page.locator("#confirm").click()
    page.wait_for_load_state("networkidle")
    app_a.refresh_from_db()
    assert app_a.state == "selected"

    # 7. the agreement is signed and the first instalment paid
    sign_and_pay_the_advance(page, app_a.pk)
    assert page.locator("#file-state").text_content() == "en cours"
    accessible(page)
    shot(page, "calls-whole-agreement")

    # 8. an anonymous visitor sees the project funded by Bpifrance, with the amount
    anonymous = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900},
                                    base_url=live_server.url)
    try:
        public = anonymous.new_page()
        public.set_default_timeout(15_000)
        public.goto(f"/projects/{app_a.project_id}/")
        funding = plain(public.locator("section[aria-labelledby=funding]").inner_text())
        assert "Bpifrance" in funding, funding
        assert "200 000 €" in funding, funding
        facts = plain(public.locator("aside").inner_text())
        assert "Appel de bout en bout 2026" in facts, facts
        accessible(public)
        shot(public, "calls-whole-public-project")
    finally:
        anonymous.close()
