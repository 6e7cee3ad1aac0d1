"""The survey's workflow table on the shared engine: the path of a report, who may move it, and why not."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from poles.core.reasons import Reason
from poles.core.workflow import Workflow
from poles.survey.workflow import EDITABLE, FREEZES, REPORT, Actor, Facts, State

OK = Facts(survey_open=True, comment_given=True)


def test_the_survey_is_a_table_on_the_shared_engine():
    assert isinstance(REPORT, Workflow)
    assert REPORT.reachable() == set(State)


def test_a_report_goes_draft_submitted_sent_back_submitted_validated():
    state = State.DRAFT
    for action, actor in (("submit", Actor.MANAGER), ("send_back", Actor.OFFICER), ("submit", Actor.MANAGER),
                          ("validate", Actor.OFFICER)):
        assert REPORT.refusals(state, action, {actor}, OK) == []
        state = REPORT.by_action[action].target
    assert state == State.VALIDATED


def test_officers_do_not_submit_and_managers_do_not_validate():
    assert REPORT.refusals(State.DRAFT, "submit", {Actor.OFFICER}, OK)[0].en == "You may not 'submit' this report."
    assert REPORT.refusals(State.DRAFT, "submit", {Actor.OFFICER}, OK)[0].fr == "Vous ne pouvez pas « déposer » ce rapport."
    assert REPORT.forbidden("validate", {Actor.MANAGER})
    assert REPORT.refusals(State.SUBMITTED, "validate", {Actor.MANAGER}, OK)
    assert REPORT.refusals(State.SUBMITTED, "send_back", {Actor.MANAGER}, OK)


def test_sending_back_needs_a_comment():
    problems = REPORT.refusals(State.SUBMITTED, "send_back", {Actor.OFFICER}, Facts(comment_given=False))
    assert [p.en for p in problems] == ["Tell the cluster what to correct (a comment is required)."]


def test_submitting_needs_an_open_survey_and_valid_figures():
    bad = Reason("x : pas un nombre", "x: not a number")
    problems = REPORT.refusals(State.DRAFT, "submit", {Actor.MANAGER}, Facts(survey_open=False, figure_problems=(bad,)))
    assert [p.en for p in problems] == ["This year's survey is closed.", "x: not a number"]


def test_a_submitted_report_cannot_be_submitted_again_and_says_when_it_could():
    (problem,) = REPORT.refusals(State.SUBMITTED, "submit", {Actor.MANAGER}, OK)
    assert "'submit' is not possible for a report in state 'submitted' (possible in: draft, sent back)" in problem.en
    assert "possible à l’état : brouillon, renvoyé pour correction" in problem.fr


def test_an_unknown_action_is_named():
    assert REPORT.refusals(State.DRAFT, "publish", {Actor.OFFICER}, OK)[0].en == "Unknown action 'publish'."


@given(st.sampled_from([t.action for t in REPORT.transitions]), st.sets(st.sampled_from(list(Actor))))
def test_a_validated_report_never_moves(action, actors):
    assert REPORT.refusals(State.VALIDATED, action, actors, OK)


@given(st.sampled_from(list(State)), st.sets(st.sampled_from(list(Actor))))
def test_available_lists_exactly_the_actions_refusals_lets_through_with_every_condition_met(state, actors):
    offered = {t.action for t in REPORT.available(state, actors)}
    allowed = {t.action for t in REPORT.transitions if not REPORT.refusals(state, t.action, actors, OK)}
    assert offered == allowed


def test_only_validation_freezes_and_only_drafts_and_sent_back_reports_change():
    assert {"validate"} == FREEZES
    assert {State.DRAFT, State.SENT_BACK} == EDITABLE


def test_the_diagram_and_the_table_draw_every_transition():
    drawing = REPORT.mermaid()
    assert "draft --> submitted : submit (manager)" in drawing
    assert "sent_back --> submitted : submit (manager)" in drawing
    assert "submitted --> validated : validate (officer)" in drawing
    assert drawing.rstrip().endswith("validated --> [*]")
    assert [row["action"] for row in REPORT.table()] == ["submit", "send_back", "validate"]
    assert REPORT.table("fr")[1]["conditions"] == "un commentaire dit quoi corriger"
