"""The campaign and application tables on the shared engine: reachable states, refusals with reasons, diagram."""

from poles.certification.workflow import (
    CAMPAIGN,
    CANDIDACY,
    Actor,
    CampaignFacts,
    CampaignState,
    CandidacyFacts,
    CandidacyState,
)


def test_every_state_of_both_tables_is_reachable():
    assert CAMPAIGN.reachable() == set(CampaignState)
    assert CANDIDACY.reachable() == set(CandidacyState)


def test_only_officers_move_a_campaign():
    assert CAMPAIGN.refusals(CampaignState.DRAFT, "open", {Actor.MANAGER}, CampaignFacts(clusters=3))[0].en \
        == "You may not 'open for applications' this campaign."
    assert CAMPAIGN.allowed(CampaignState.DRAFT, "open", {Actor.OFFICER}, CampaignFacts(clusters=3))


def test_deliberation_waits_for_every_evaluation():
    reasons = CAMPAIGN.refusals(CampaignState.EVALUATION, "deliberate", {Actor.OFFICER},
                                CampaignFacts(submitted=2, unassigned=1, evaluations_missing=3))
    assert [r.en for r in reasons] == ["1 application(s) without an evaluator.", "3 evaluation(s) not submitted."]


def test_publishing_waits_for_every_decision():
    (reason,) = CAMPAIGN.refusals(CampaignState.DELIBERATION, "publish", {Actor.OFFICER}, CampaignFacts(undecided=1))
    assert reason.fr == "1 candidature(s) sans décision."


def test_an_application_is_submitted_only_while_the_campaign_is_open():
    (reason,) = CANDIDACY.refusals(CandidacyState.DRAFT, "submit", {Actor.MANAGER},
                                   CandidacyFacts(campaign_state=CampaignState.EVALUATION))
    assert reason.en == "The campaign is not open for applications."
    assert CANDIDACY.refusals(CandidacyState.SUBMITTED, "submit", {Actor.MANAGER},
                              CandidacyFacts(campaign_state=CampaignState.OPEN))[0].en.startswith(
        "'submit the application' is not possible for an application in state 'submitted'")


def test_a_decision_needs_the_deliberation_and_every_evaluation():
    facts = CandidacyFacts(campaign_state=CampaignState.EVALUATION, evaluations_assigned=2, evaluations_submitted=1)
    reasons = [r.en for r in CANDIDACY.refusals(CandidacyState.SUBMITTED, "decide", {Actor.OFFICER}, facts)]
    assert reasons == ["Decisions are taken in deliberation.", "1 of 2 evaluations submitted."]


def test_the_diagram_is_drawn_from_the_table():
    diagram = CAMPAIGN.mermaid()
    assert "    [*] --> draft" in diagram
    assert "    deliberation --> published : publish (officer)" in diagram
    assert diagram.rstrip().endswith("published --> [*]")
