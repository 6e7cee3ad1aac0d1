"""The campaign's pages: the officer's campaign, the managers' application, the evaluators' grid, the decision."""

import pytest
from certification.certworld import STATEMENT
from django.test import Client
from django.urls import reverse

from poles.certification import services
from poles.certification.models import Campaign, Candidacy, Evaluation
from poles.registry.models import Certification


def client(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def campaign(world):
    return services.create_campaign(world.officer, phase=world.phase, title="Phase V campaign")


def test_the_officer_creates_a_campaign_from_the_page(world):
    response = client(world.officer).post(reverse("certification_home"), {
        "phase": world.phase.pk, "title": "Phase VI", "applications_close": "2026-09-30"})
    assert response.status_code == 302
    page = client(world.officer).get(response.url)
    assert "Phase VI" in page.text and "Stratégie et feuille de route" in page.text


@pytest.mark.parametrize("who", ["manager_a", "evaluator_1", "reviewer"])
def test_only_officers_open_a_campaign_s_pages(world, campaign, who):
    user = getattr(world, who)
    assert client(user).get(reverse("certification_campaign", kwargs={"pk": campaign.pk})).status_code == 403
    assert client(user).get(reverse("certification_consolidation", kwargs={"pk": campaign.pk})).status_code == 403
    assert client(user).post(reverse("certification_campaign_action", kwargs={"pk": campaign.pk}),
                             {"action": "open"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.state == "draft"


def test_the_home_page_needs_a_login(world):
    assert client(None).get(reverse("certification_home")).status_code == 302


def test_a_refused_transition_shows_its_reason_on_the_page(world, campaign):
    services.transition_campaign(campaign, "open", world.officer)
    response = client(world.officer).post(reverse("certification_campaign_action", kwargs={"pk": campaign.pk}),
                                          {"action": "close_applications"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "No application has been submitted." in response.text


def test_the_manager_sees_pre_filled_indicators_writes_and_submits(world, campaign):
    services.transition_campaign(campaign, "open", world.officer)
    candidacy = Candidacy.objects.get(campaign=campaign, cluster=world.cluster_a)
    url = reverse("certification_candidacy", kwargs={"pk": candidacy.pk})
    manager = client(world.manager_a)
    page = manager.get(url)
    assert page.status_code == 200 and 'id="indicators"' in page.text
    assert "Part de financement privé du budget</th><td>60,0\u00a0%</td><td>2024</td><td>≥ 50,0\u00a0% · atteinte" in page.text
    grid = services.grid_of(campaign)
    data = {f"statement_{c.key}": STATEMENT for c in grid.criteria} | {"evidence": "https://example.org/plan.pdf"}
    assert manager.post(url, data).status_code == 302
    manager.post(reverse("certification_candidacy_submit", kwargs={"pk": candidacy.pk}))
    candidacy.refresh_from_db()
    assert candidacy.state == "submitted" and candidacy.evidence == "https://example.org/plan.pdf"
    assert client(world.manager_b).get(url).status_code == 403
    assert client(world.evaluator_1).get(url).status_code == 403  # not assigned


def test_two_evaluators_score_and_the_officer_reads_them_side_by_side_then_decides(world, campaign):
    services.transition_campaign(campaign, "open", world.officer)
    candidacy = Candidacy.objects.get(campaign=campaign, cluster=world.cluster_a)
    grid = services.grid_of(campaign)
    services.save_candidacy(world.manager_a, candidacy, statements={c.key: STATEMENT for c in grid.criteria},
                            evidence="")
    services.submit(candidacy, world.manager_a)
    officer = client(world.officer)
    for evaluator in (world.evaluator_1, world.evaluator_2):
        officer.post(reverse("certification_assign", kwargs={"pk": candidacy.pk}), {"evaluator": evaluator.pk})
    assert Evaluation.objects.filter(candidacy=candidacy).count() == 2
    services.transition_campaign(campaign, "close_applications", world.officer)
    for evaluator, score in ((world.evaluator_1, 4), (world.evaluator_2, 3)):
        row = Evaluation.objects.get(candidacy=candidacy, evaluator=evaluator)
        url = reverse("certification_evaluate", kwargs={"pk": row.pk})
        assert client(world.evaluator_3).get(url).status_code == 403
        data = {f"score_{c.key}": score for c in grid.criteria} | {"submit": "1"}
        assert client(evaluator).post(url, data).status_code == 302
        assert client(evaluator).get(reverse("certification_candidacy", kwargs={"pk": candidacy.pk})).status_code == 200
    consolidation = officer.get(reverse("certification_consolidation", kwargs={"pk": campaign.pk}))
    assert "Eve Rhône" in consolidation.text and "Eric Ministry" in consolidation.text
    officer.post(reverse("certification_campaign_action", kwargs={"pk": campaign.pk}), {"action": "deliberate"})
    officer.post(reverse("certification_decide", kwargs={"pk": candidacy.pk}),
                 {"outcome": "certified", "duration": "2", "conditions": "Raise the private share."})
    page = client(world.manager_a).get(reverse("certification_candidacy", kwargs={"pk": candidacy.pk}))
    assert "Raise the private share." not in page.text  # not published yet
    officer.post(reverse("certification_campaign_action", kwargs={"pk": campaign.pk}), {"action": "publish"})
    assert Certification.objects.get(cluster=world.cluster_a).duration_years == 2
    profile = client(None).get(reverse("cluster_profile", kwargs={"slug": world.cluster_a.slug}),
                               HTTP_ACCEPT_LANGUAGE="en")
    assert "certified with conditions" in profile.text and "2 years" in profile.text
    page = client(world.manager_a).get(reverse("certification_candidacy", kwargs={"pk": candidacy.pk}))
    assert "Raise the private share." in page.text


def test_a_decision_out_of_the_rules_is_refused_on_the_page(world, campaign):
    services.transition_campaign(campaign, "open", world.officer)
    candidacy = Candidacy.objects.get(campaign=campaign, cluster=world.cluster_a)
    response = client(world.officer).post(reverse("certification_decide", kwargs={"pk": candidacy.pk}),
                                          {"outcome": "certified", "duration": "", "conditions": ""},
                                          HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "is not possible for an application in state &#x27;draft&#x27;" in response.text
    candidacy.refresh_from_db()
    assert candidacy.outcome == ""


def test_a_campaign_takes_its_own_grid_as_data(world):
    grid = '[{"key": "impact", "label_fr": "Impact", "label_en": "Impact", "weight": "2", "low": 1, "high": 4}]'
    response = client(world.officer).post(reverse("certification_home"), {
        "phase": world.phase.pk, "title": "Light campaign", "grid": grid})
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="Light campaign")
    assert [c.key for c in services.grid_of(campaign).criteria] == ["impact"]


@pytest.mark.parametrize(("grid", "message"), [
    ('[{"key": "impact", "low": 3, "high": 1}]', "the top of the scale must exceed its bottom"),
    ("[1, 2]", "each criterion is an object with a key"),
    ("[{", "The grid is not valid JSON (line 1, column 3)."),
])
def test_a_malformed_grid_is_refused_with_where_and_why(world, grid, message):
    response = client(world.officer).post(reverse("certification_home"), {
        "phase": world.phase.pk, "title": "Broken", "grid": grid}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and message in response.text
    assert not Campaign.objects.filter(title="Broken").exists()
