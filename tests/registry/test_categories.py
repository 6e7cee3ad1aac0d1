from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.registry.categories import (
    CEILINGS,
    Figures,
    SizeCategory,
    aggregate_group,
    size_category,
)

M = Decimal(1_000_000)
money = st.decimals(min_value=0, max_value=5000 * M, places=2, allow_nan=False, allow_infinity=False)
staff = st.integers(min_value=0, max_value=200_000).map(Decimal)


def F(staff=None, turnover=None, balance=None):
    return Figures(
        staff=None if staff is None else Decimal(staff),
        turnover=None if turnover is None else Decimal(turnover),
        balance_sheet=None if balance is None else Decimal(balance),
    )


@pytest.mark.parametrize(
    "figures, expected",
    [
        (F(9, 2 * M, 2 * M), SizeCategory.MICRO),
        (F(10, 2 * M, 2 * M), SizeCategory.SMALL),  # 10 persons is no longer "fewer than 10"
        (F(9, 2 * M + 1, 2 * M), SizeCategory.MICRO),  # balance sheet alone suffices
        (F(9, 2 * M + 1, 2 * M + 1), SizeCategory.SMALL),
        (F(49, 10 * M, 20 * M), SizeCategory.SMALL),
        (F(50, 10 * M, 10 * M), SizeCategory.MEDIUM),
        (F(249, 50 * M, 100 * M), SizeCategory.MEDIUM),
        (F(249, 60 * M, 43 * M), SizeCategory.MEDIUM),
        (F(249, 50 * M + 1, 43 * M + 1), SizeCategory.ETI),  # décret 2008-1354: beyond SME ceilings
        (F(250, 1 * M, 1 * M), SizeCategory.ETI),
        (F(4999, 1500 * M, 5000 * M), SizeCategory.ETI),
        (F(4999, 1500 * M + 1, 2000 * M), SizeCategory.ETI),
        (F(4999, 1500 * M + 1, 2000 * M + 1), SizeCategory.LARGE),
        (F(5000, 1 * M, 1 * M), SizeCategory.LARGE),
        (F(5000), SizeCategory.LARGE),  # 5,000 persons decide alone
    ],
)
def test_thresholds(figures, expected):
    assert size_category(figures) is expected


@pytest.mark.parametrize(
    "figures",
    [F(), F(None, 1, 1), F(5), F(5, 3 * M), F(5, None, 3 * M), F(300), F(300, 2000 * M)],
)
def test_missing_figures_give_unknown_never_a_guess(figures):
    assert size_category(figures) is SizeCategory.UNKNOWN


@given(staff, money, money)
def test_category_respects_every_ceiling(headcount, turnover, balance):
    category = size_category(Figures(headcount, turnover, balance))
    assert category is not SizeCategory.UNKNOWN
    for ceiling in CEILINGS:
        inside = headcount < ceiling.staff and (
            turnover <= ceiling.turnover or balance <= ceiling.balance_sheet
        )
        order = [c.category for c in CEILINGS] + [SizeCategory.LARGE]
        if inside:
            assert order.index(category) <= order.index(ceiling.category)
        elif category is ceiling.category:
            pytest.fail(f"{category} outside its ceiling: {headcount}, {turnover}, {balance}")


@given(staff, money, money, staff, money, money)
def test_growing_never_makes_a_firm_smaller(s1, t1, b1, ds, dt, db):
    order = [c.category for c in CEILINGS] + [SizeCategory.LARGE]
    small = size_category(Figures(s1, t1, b1))
    big = size_category(Figures(s1 + ds, t1 + dt, b1 + db))
    assert order.index(big) >= order.index(small)


@given(staff, st.one_of(st.none(), money), st.one_of(st.none(), money))
def test_known_answer_never_changes_when_a_missing_figure_arrives(headcount, turnover, balance):
    partial = size_category(Figures(headcount, turnover, balance))
    if partial is SizeCategory.UNKNOWN:
        return
    for filler in (Decimal(0), 10_000 * M):
        complete = Figures(
            headcount,
            filler if turnover is None else turnover,
            filler if balance is None else balance,
        )
        assert size_category(complete) is partial


def test_linked_enterprises_count_in_full():
    own = F(8, 1 * M, 1 * M)
    parent = F(300, 80 * M, 60 * M)
    assert size_category(own) is SizeCategory.MICRO
    assert size_category(aggregate_group(own, [parent])) is SizeCategory.ETI


def test_partner_enterprises_count_in_proportion():
    own = F(30, 5 * M, 5 * M)
    partner = F(40, 10 * M, 10 * M)
    total = aggregate_group(own, partners=[(partner, Decimal("0.25"))])
    assert total == F(40, Decimal("7.5") * M, Decimal("7.5") * M)
    assert size_category(total) is SizeCategory.SMALL


def test_a_group_member_without_figures_makes_the_group_unknown():
    assert size_category(aggregate_group(F(8, M, M), [F()])) is SizeCategory.UNKNOWN


def test_partner_share_outside_zero_one_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        aggregate_group(F(1, 1, 1), partners=[(F(1, 1, 1), Decimal("1.5"))])


def test_sme_flag():
    assert SizeCategory.MICRO.is_sme and SizeCategory.MEDIUM.is_sme
    assert not SizeCategory.ETI.is_sme and not SizeCategory.UNKNOWN.is_sme
