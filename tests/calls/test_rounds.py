"""Rounds in Paris time: no overlap, and the server's clock decides whether one is open."""

import datetime as dt

from poles.calls.rounds import PARIS, Window, check_rounds, closed_reason, paris, round_at

UTC = dt.UTC


def w(n, opens, closes):
    return Window(n, paris(opens), paris(closes))


def test_overlapping_rounds_are_refused_with_both_named():
    problems = check_rounds([w(1, dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 3, 1, 12)),
                             w(2, dt.datetime(2026, 3, 1, 12), dt.datetime(2026, 6, 1, 12))])
    assert len(problems) == 1
    assert "Rounds 1 and 2 overlap" in problems[0].en and "se chevauchent" in problems[0].fr


def test_consecutive_rounds_and_a_round_closing_before_opening():
    assert check_rounds([w(1, dt.datetime(2026, 1, 5, 9), dt.datetime(2026, 3, 1, 12)),
                         w(2, dt.datetime(2026, 3, 1, 12, 0, 1), dt.datetime(2026, 6, 1, 12))]) == []
    (problem,) = check_rounds([w(1, dt.datetime(2026, 3, 1), dt.datetime(2026, 2, 1))])
    assert "must come after opening" in problem.en


def test_naive_times_are_refused():
    (problem,) = check_rounds([Window(1, dt.datetime(2026, 1, 1), dt.datetime(2026, 2, 1))])
    assert "time zone" in problem.en


def test_closing_second_is_in_and_the_next_second_is_out_across_summer_time():
    closes = paris(dt.datetime(2026, 3, 29, 12))  # the day clocks go forward: 12:00 Paris is 10:00 UTC
    assert closes.astimezone(UTC).hour == 10
    rounds = [Window(1, paris(dt.datetime(2026, 1, 1)), closes)]
    assert round_at(rounds, closes) is not None
    late = closes + dt.timedelta(seconds=1)
    assert round_at(rounds, late) is None
    assert "29/03/2026 12:00:00" in closed_reason(rounds, late).fr
    assert round_at(rounds, late.astimezone(UTC)) is None  # the same instant, whatever the zone written


def test_closed_reason_before_opening_names_the_next_round():
    rounds = [Window(1, paris(dt.datetime(2026, 5, 1, 9)), paris(dt.datetime(2026, 6, 1)))]
    assert "next round opens on 01/05/2026 09:00:00" in closed_reason(rounds, dt.datetime(2026, 4, 1, tzinfo=PARIS)).en
