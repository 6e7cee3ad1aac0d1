"""The workflow table: every state reachable, refusals with reasons, the diagram drawn from the table."""

import datetime as dt

from poles.calls.reasons import Reason
from poles.calls.workflow import (
    BY_ACTION,
    DECIDED,
    PRECONDITIONS,
    STATE_LABELS,
    TRANSITIONS,
    Actor,
    Facts,
    State,
    available,
    mermaid,
    refusals,
    table,
)

NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
REVIEWED = Facts(NOW, reviews_submitted=3, reviews_required=3, reason_given=True)


def test_every_state_is_reachable_from_draft_and_labelled():
    reached, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        state = frontier.pop()
        for t in TRANSITIONS:
            if state in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(State)
    assert set(STATE_LABELS) == set(State)


def test_the_issue_s_path_is_in_the_table():
    path = [("submit", State.SUBMITTED), ("declare_eligible", State.ELIGIBLE), ("label", State.LABELLED),
            ("start_review", State.IN_REVIEW), ("shortlist", State.SHORTLISTED), ("select", State.SELECTED),
            ("sign_agreement", State.AGREEMENT_SIGNED), ("start", State.RUNNING),
            ("accept_final_report", State.FINAL_REPORT_ACCEPTED), ("close", State.CLOSED)]
    state = State.DRAFT
    for action, target in path:
        assert state in BY_ACTION[action].sources
        state = BY_ACTION[action].target
        assert state == target


def test_withdrawal_only_by_the_coordinator_and_only_before_a_decision():
    withdraw = BY_ACTION["withdraw"]
    assert withdraw.actors == {Actor.COORDINATOR}
    assert not withdraw.sources & DECIDED
    assert not withdraw.sources & {State.AGREEMENT_SIGNED, State.RUNNING, State.CLOSED}
    assert refusals(State.SELECTED, "withdraw", [Actor.COORDINATOR], Facts(NOW))[0].en.startswith("'withdraw' is not possible for a file in state 'selected'")


def test_selecting_a_file_never_reviewed_is_refused_with_the_reason():
    (reason,) = refusals(State.IN_REVIEW, "select", [Actor.OFFICER], Facts(NOW, reviews_required=3))
    assert reason == Reason("Le dossier n’a jamais été expertisé : aucune expertise remise.",
                            "The file was never reviewed: no review has been submitted.")
    (partial,) = refusals(State.IN_REVIEW, "select", [Actor.OFFICER], Facts(NOW, reviews_submitted=1, reviews_required=3))
    assert partial.en == "1 of the 3 required reviews submitted."
    assert refusals(State.IN_REVIEW, "select", [Actor.OFFICER], REVIEWED) == []


def test_wrong_actor_and_unknown_action():
    assert refusals(State.IN_REVIEW, "select", [Actor.COORDINATOR], REVIEWED)[0].en == "You may not 'select' this file."
    assert refusals(State.IN_REVIEW, "promote", [Actor.OFFICER], REVIEWED)[0].en == "Unknown action 'promote'."


def test_submission_gathers_every_failing_precondition():
    failing = Reason("fr", "en")
    facts = Facts(NOW, round_open=False, eligibility_failures=(failing,), form_problems=(failing, failing))
    assert len(refusals(State.DRAFT, "submit", [Actor.COORDINATOR], facts)) == 4


def test_available_lists_what_an_actor_may_try():
    assert {t.action for t in available(State.SUBMITTED, [Actor.COORDINATOR])} == {"resubmit", "withdraw"}
    assert {t.action for t in available(State.ELIGIBLE, [Actor.CLUSTER_MANAGER])} == {"label"}


def test_diagram_and_table_come_from_the_one_table():
    text = mermaid()
    arrows = sum(len(t.sources) for t in TRANSITIONS)
    assert text.startswith("stateDiagram-v2\n") and text.count("-->") == arrows + 2
    assert "    in_review --> selected : select (officer)" in text
    assert len(table()) == len(TRANSITIONS)
    assert all(p in PRECONDITIONS for t in TRANSITIONS for p in t.preconditions)
