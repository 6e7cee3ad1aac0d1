"""The renewal rule: members and pending ones carried over once, lapsed and resigned ones not."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from poles.web.renewal import RENEWED_STATUSES, renewal_plan

STATUSES = ["member", "pending", "lapsed", "resigned"]


def test_renewal_skips_lapsed_resigned_and_already_renewed():
    rows = [(1, "member", Decimal(10)), (2, "lapsed", Decimal(5)), (3, "pending", Decimal(7)),
            (4, "member", Decimal(1))]
    plan = renewal_plan(rows, already_next=[4])
    assert [(r.organisation_id, r.fee_invoiced) for r in plan] == [(1, Decimal(10)), (3, Decimal(7))]


@given(
    st.lists(st.tuples(st.integers(1, 30), st.sampled_from(STATUSES), st.decimals(0, 10000, places=2))),
    st.sets(st.integers(1, 30)),
)
def test_renewal_plans_each_organisation_at_most_once_and_never_one_already_there(rows, already):
    plan = renewal_plan(rows, already)
    ids = [r.organisation_id for r in plan]
    assert len(ids) == len(set(ids))
    assert not set(ids) & already
    renewable = {o for o, status, _fee in rows if status in RENEWED_STATUSES}
    assert set(ids) == renewable - already
