from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.registry.categories import (
    CEILINGS,
    Figures,
    Holding,
    Links,
    SizeCategory,
    aggregate_group,
    enterprise_figures,
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


ORDER = [c.category for c in CEILINGS] + [SizeCategory.LARGE]
TOP, MID, LEAF, SISTER, NIECE, PARTNER, PARTNER_HEAD, OUTSIDER = range(1, 9)


def category_of(enterprise, figures, holdings):
    return size_category(enterprise_figures(enterprise, figures, Links(holdings)))


def test_a_three_level_chain_measures_the_leaf_on_the_whole_group():
    figures = {TOP: F(9000, 2000 * M, 2500 * M), MID: F(40, 8 * M, 6 * M), LEAF: F(5, 1 * M, 1 * M)}
    chain = [Holding(TOP, MID), Holding(MID, LEAF, Decimal(80))]
    assert category_of(LEAF, figures, chain) is SizeCategory.LARGE
    assert category_of(MID, figures, chain) is SizeCategory.LARGE
    assert enterprise_figures(LEAF, figures, Links(chain)) == F(9045, 2009 * M, 2507 * M)


def test_the_group_is_the_whole_tree_under_the_head_sister_branches_included():
    holdings = [Holding(TOP, MID), Holding(MID, LEAF), Holding(TOP, SISTER), Holding(SISTER, NIECE)]
    links = Links(holdings)
    assert links.group(LEAF) == links.group(NIECE) == {TOP, MID, LEAF, SISTER, NIECE}
    figures = {pk: F(1, 1, 1) for pk in (TOP, MID, LEAF, SISTER)} | {NIECE: F(300, 60 * M, 60 * M)}
    assert category_of(LEAF, figures, holdings) is SizeCategory.ETI  # 304 persons in the group
    assert links.group(OUTSIDER) == {OUTSIDER} and links.partners(OUTSIDER) == []


def test_a_partner_at_30_percent_counts_30_percent_of_its_figures():
    figures = {LEAF: F(30, 5 * M, 5 * M), PARTNER: F(40, 10 * M, 10 * M)}
    holdings = [Holding(PARTNER, LEAF, Decimal(30))]
    assert enterprise_figures(LEAF, figures, Links(holdings)) == F(42, 8 * M, 8 * M)
    # The relation goes both ways: the holder counts 30 % of the enterprise it holds (art. 6.2).
    assert enterprise_figures(PARTNER, figures, Links(holdings)) == F(49, Decimal("11.5") * M, Decimal("11.5") * M)


def test_a_partner_counts_with_its_own_group_but_partners_of_partners_do_not():
    figures = {LEAF: F(30, 5 * M, 5 * M), PARTNER: F(10, 1 * M, 1 * M), PARTNER_HEAD: F(290, 40 * M, 40 * M),
               OUTSIDER: F(100_000, 9000 * M, 9000 * M)}
    holdings = [Holding(PARTNER, LEAF, Decimal(40)), Holding(PARTNER_HEAD, PARTNER),
                Holding(OUTSIDER, PARTNER_HEAD, Decimal(25))]
    assert enterprise_figures(LEAF, figures, Links(holdings)) == F(30 + 120, Decimal("21.4") * M, Decimal("21.4") * M)
    assert category_of(LEAF, figures, holdings) is SizeCategory.MEDIUM


@pytest.mark.parametrize("share, counted", [
    (None, Decimal(1)), (Decimal("50.01"), Decimal(1)), (Decimal(100), Decimal(1)),
    (Decimal(50), Decimal("0.5")), (Decimal(25), Decimal("0.25")),
    (Decimal("24.99"), Decimal(0)), (Decimal(0), Decimal(0)),
])
def test_the_share_decides_linked_partner_or_autonomous(share, counted):
    figures = {LEAF: F(0, 0, 0), TOP: F(100, 100, 100)}
    total = enterprise_figures(LEAF, figures, Links([Holding(TOP, LEAF, share)]))
    assert total == F(100 * counted, 100 * counted, 100 * counted)


def test_a_share_outside_0_100_is_refused():
    with pytest.raises(ValueError, match="percentage"):
        Links([Holding(TOP, LEAF, Decimal(101))])


def test_a_cycle_of_holdings_is_one_group_and_ends():
    figures = {TOP: F(3000, 1), MID: F(3000, 1), LEAF: F(5, 1)}
    cycle = [Holding(TOP, MID), Holding(MID, LEAF), Holding(LEAF, TOP), Holding(LEAF, LEAF)]
    assert Links(cycle).group(LEAF) == {TOP, MID, LEAF}
    assert category_of(LEAF, figures, cycle) is SizeCategory.LARGE


def test_a_group_member_without_figures_for_the_year_makes_the_category_unknown():
    figures = {LEAF: F(5, 1, 1)}
    assert category_of(LEAF, figures, [Holding(TOP, LEAF)]) is SizeCategory.UNKNOWN
    assert category_of(LEAF, figures, [Holding(PARTNER, LEAF, Decimal(30))]) is SizeCategory.UNKNOWN
    assert category_of(LEAF, figures, [Holding(PARTNER, LEAF, Decimal(10))]) is SizeCategory.MICRO


complete = st.builds(Figures, staff, money, money)


@st.composite
def registers(draw):
    """Enterprises 0..n-1 with complete figures and random holdings (cycles, partners included)."""
    n = draw(st.integers(min_value=1, max_value=8))
    figures = {pk: draw(complete) for pk in range(n)}
    shares = st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=2))
    holdings = draw(st.lists(st.builds(Holding, st.integers(0, n - 1), st.integers(0, n - 1), shares), max_size=10))
    return figures, holdings


@given(registers(), complete, st.data())
def test_adding_a_linked_enterprise_never_lowers_a_category(register, newcomer, data):
    figures, holdings = register
    before = {pk: category_of(pk, figures, holdings) for pk in figures}
    new = len(figures)
    anchors = data.draw(st.lists(st.sampled_from(sorted(figures)), min_size=1, max_size=2, unique=True))
    control = st.one_of(st.none(), st.decimals(min_value=Decimal("50.01"), max_value=100, places=2))
    added = [Holding(new, pk, data.draw(control)) if data.draw(st.booleans()) else Holding(pk, new, data.draw(control))
             for pk in anchors]
    figures = figures | {new: newcomer}
    for pk, category in before.items():
        after = category_of(pk, figures, holdings + added)
        assert ORDER.index(after) >= ORDER.index(category), (pk, category, after)
