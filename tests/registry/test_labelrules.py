import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from poles.registry.labelrules import (
    LEVELS,
    REMINDER_DAYS,
    Held,
    at_least,
    best_level,
    check_date,
    dates_ok,
    due_reminder,
    is_expiring,
    is_valid,
    meets,
    passed_milestones,
)

days = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2040, 12, 31))
levels = st.sampled_from(LEVELS)


@st.composite
def labels(draw):
    awarded = draw(days)
    expires = draw(st.one_of(st.none(), st.integers(1, 2000).map(lambda n: awarded + dt.timedelta(days=n))))
    return Held(draw(levels), awarded, expires)


def test_gold_meets_every_level_and_bronze_only_bronze():
    assert all(at_least("gold", r) for r in LEVELS)
    assert at_least("bronze", "bronze") and not at_least("bronze", "silver")
    assert not at_least("", "bronze") and not at_least("platinum", "bronze")


def test_a_label_is_valid_on_its_expiry_day_and_not_the_day_after():
    label = Held("bronze", dt.date(2024, 1, 1), dt.date(2026, 1, 1))
    assert is_valid(label, dt.date(2026, 1, 1))
    assert not is_valid(label, dt.date(2026, 1, 2))
    assert not is_valid(label, dt.date(2023, 12, 31))


def test_expiry_must_come_after_the_award():
    assert not dates_ok(dt.date(2024, 1, 1), dt.date(2024, 1, 1))
    assert dates_ok(dt.date(2024, 1, 1), dt.date(2024, 1, 2)) and dates_ok(dt.date(2024, 1, 1), None)


@given(st.lists(labels(), max_size=6), days, levels)
def test_a_requirement_is_met_exactly_when_a_label_of_that_level_or_higher_is_in_force(held, on, required):
    expected = any(is_valid(lb, on) and at_least(lb.level, required) for lb in held)
    assert meets(required, held, on) is expected


@given(st.lists(labels(), max_size=6), days)
def test_no_requirement_is_always_met(held, on):
    assert meets("", held, on)


@given(st.lists(labels(), max_size=6), days)
def test_the_best_level_is_held_and_in_force(held, on):
    best = best_level(held, on)
    if best:
        assert any(lb.level == best and is_valid(lb, on) for lb in held)
        assert all(at_least(best, lb.level) for lb in held if is_valid(lb, on))
    else:
        assert not any(is_valid(lb, on) for lb in held)


@given(labels(), days, st.integers(0, 400))
def test_expiring_labels_are_in_force_and_expire_within_the_window(label, today, window):
    if is_expiring(label, today, window):
        assert is_valid(label, today)
        assert label.expires is not None and today <= label.expires <= today + dt.timedelta(days=window)


def test_a_label_without_expiry_never_expires():
    assert not is_expiring(Held("gold", dt.date(2020, 1, 1)), dt.date(2030, 1, 1))


def test_the_requirement_is_checked_today_during_the_phase_and_at_the_decision_after_it():
    today = dt.date(2025, 6, 1)
    assert check_date(2023, 2026, dt.date(2023, 3, 27), today) == today
    assert check_date(2019, 2022, dt.date(2019, 2, 5), today) == dt.date(2019, 2, 5)
    assert check_date(2019, 2022, None, today) == dt.date(2019, 1, 1)


@given(st.lists(st.integers(-5, 200), min_size=1, max_size=40).map(lambda xs: sorted(xs, reverse=True)))
def test_daily_runs_send_each_milestone_at_most_once_and_at_most_one_reminder_a_day(days_left_each_run):
    sent: set[int] = set()
    reminders = []
    for left in days_left_each_run:
        due = due_reminder(left, sent)
        if due is not None:
            assert due not in sent and left <= due
            reminders.append(due)
            sent.update(passed_milestones(left))
    assert len(reminders) == len(set(reminders))
    assert set(reminders) <= set(REMINDER_DAYS)


def test_a_missed_run_sends_the_nearest_milestone_only():
    assert due_reminder(5, set()) == 7
    assert due_reminder(5, {90, 30, 7}) is None
    assert due_reminder(120, set()) is None
    assert due_reminder(-1, set()) is None
    assert passed_milestones(5) == [90, 30, 7]
