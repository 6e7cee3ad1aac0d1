"""The rule of figures as of a date: which source answers for a cluster's year (pure, with hypothesis)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from poles.indicators.asof import (
    PARIS,
    Validation,
    cutoff,
    frozen_raw,
    paris_date,
    plan,
    source_of,
    sum_raw,
)
from poles.indicators.definitions import Source

D = dt.date(2025, 1, 15)


def test_a_report_validated_on_or_before_the_date_answers_for_its_year():
    found = source_of(2024, [Validation(1, 2024, D, 7)], D)
    assert found.source is Source.REPORTS and found.on == D and found.report_id == 7


def test_a_report_validated_after_the_date_does_not_count_yet():
    found = source_of(2024, [Validation(1, 2024, D + dt.timedelta(days=1), 7)], D)
    assert found.source is Source.REGISTER and found.on == D and found.report_id is None


def test_a_report_of_another_year_does_not_answer():
    assert source_of(2023, [Validation(1, 2024, D, 7)], D).source is Source.REGISTER


def test_plan_gives_every_cluster_and_year_its_source():
    sources = plan([1, 2], [2023, 2024], [Validation(1, 2024, dt.date(2024, 12, 1), 7)], D)
    assert {k: s.source for k, s in sources.items()} == {
        (1, 2023): Source.REGISTER, (1, 2024): Source.REPORTS, (2, 2023): Source.REGISTER, (2, 2024): Source.REGISTER}


dates = st.dates(dt.date(2019, 1, 1), dt.date(2030, 12, 31))


@given(validated=st.lists(dates, max_size=4), as_of=dates, later=st.integers(0, 4000))
def test_once_frozen_a_year_stays_frozen_at_every_later_date(validated, as_of, later):
    validations = [Validation(1, 2024, day, i) for i, day in enumerate(validated)]
    first = source_of(2024, validations, as_of)
    then = source_of(2024, validations, as_of + dt.timedelta(days=later))
    assert first.source is Source.REPORTS or first.on == as_of
    if first.frozen:
        assert then.frozen and then.on >= first.on
    assert first.frozen == any(day <= as_of for day in validated)


def test_the_cutoff_is_the_next_midnight_in_paris():
    assert cutoff(D) == dt.datetime(2025, 1, 16, tzinfo=PARIS)
    late_evening_utc = dt.datetime(2024, 11, 30, 23, 30, tzinfo=dt.UTC)  # already 1 December in Paris
    assert paris_date(late_evening_utc) == dt.date(2024, 12, 1)


def test_frozen_values_become_the_engines_raw_sums():
    raw = frozen_raw({"members": "9", "staff_fte": "6.5", "funding_anr": "100", "funding_fui": None,
                      "budget_state": None, "budget_services": "10", "unknown": "3"})
    assert raw["members"] == 9 and raw["clusters"] == 1 and raw["staff_fte"] == Decimal("6.5")
    assert raw["funding_total"] == Decimal(100) and raw["budget_clusters"] == 1 and raw["budget_state"] == 0
    assert "unknown" not in raw


def test_a_frozen_report_without_budget_has_no_budget():
    assert frozen_raw({"budget_state": None, "budget_services": None})["budget_clusters"] == 0


def test_sums_of_frozen_values_keep_nothing_as_none():
    assert sum_raw([{"members": 3, "staff_fte": None}, {"members": 4, "staff_fte": Decimal(2)}]) == {
        "members": 7, "staff_fte": Decimal(2)}
    assert sum_raw([{"staff_fte": None}]) == {"staff_fte": None}
