"""Aid ceilings from the register's size category and the call's rates, against a plain statement."""

from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.calls.aid import AidRates, aid_ceiling, parse_rates, rates_as_json
from poles.calls.reasons import CallDataError
from poles.registry.categories import SizeCategory

money = st.decimals(min_value=0, max_value=5_000_000, places=2, allow_nan=False, allow_infinity=False)
percent = st.decimals(min_value=0, max_value=100, places=1, allow_nan=False, allow_infinity=False)
COST_KINDS = ["staff", "temporary_staff", "equipment", "overheads", "consumables"]


@st.composite
def rates(draw):
    basis = draw(st.sampled_from(["full", "marginal"]))
    return AidRates(
        companies={c: draw(percent) for c in (SizeCategory.MICRO, SizeCategory.SMALL, SizeCategory.MEDIUM,
                                              SizeCategory.ETI, SizeCategory.LARGE)},
        research_basis=basis,
        research_full_cost=draw(percent),
        marginal_categories=frozenset(draw(st.sets(st.sampled_from(COST_KINDS), min_size=1))),
        others=draw(percent),
    )


def plain_ceiling(kind, category, costs, r):
    """The call's text: companies by size (unknown pays as large), research on full or marginal cost."""
    full = sum(costs.values(), Decimal(0))
    if kind in ("research", "education"):
        if r.research_basis == "marginal":
            return sum((v for k, v in costs.items() if k in r.marginal_categories), Decimal(0)).quantize(Decimal("0.01"), ROUND_DOWN)
        return (full * r.research_full_cost / 100).quantize(Decimal("0.01"), ROUND_DOWN)
    if kind == "company":
        rate = r.companies[SizeCategory.LARGE if category == SizeCategory.UNKNOWN else category]
        return (full * rate / 100).quantize(Decimal("0.01"), ROUND_DOWN)
    return (full * r.others / 100).quantize(Decimal("0.01"), ROUND_DOWN)


@given(st.sampled_from(["company", "research", "education", "public", "other"]), st.sampled_from(list(SizeCategory)),
       st.dictionaries(st.sampled_from(COST_KINDS), money, max_size=5), rates())
def test_ceiling_agrees_with_the_plain_statement(kind, category, costs, r):
    ceiling = aid_ceiling(kind, category, costs, r)
    assert ceiling.amount == plain_ceiling(kind, category, costs, r)
    assert ceiling.amount <= ceiling.base or kind not in ("research", "education") or r.research_basis == "full"
    assert ceiling.reason.fr and ceiling.reason.en


def test_default_rates_are_the_issue_s_example():
    costs = {"staff": Decimal("100000")}
    expected = {SizeCategory.SMALL: "45000.00", SizeCategory.MEDIUM: "35000.00", SizeCategory.ETI: "30000.00",
                SizeCategory.LARGE: "25000.00", SizeCategory.UNKNOWN: "25000.00"}
    for category, amount in expected.items():
        assert aid_ceiling("company", category, costs, AidRates()).amount == Decimal(amount)
    assert aid_ceiling("research", SizeCategory.UNKNOWN, costs, AidRates()).amount == Decimal("40000.00")


def test_marginal_cost_counts_only_the_marginal_categories_at_100_percent():
    r = parse_rates({"research_basis": "marginal", "marginal_categories": ["temporary_staff", "equipment"]})
    ceiling = aid_ceiling("research", SizeCategory.UNKNOWN,
                          {"staff": Decimal(500), "temporary_staff": Decimal(300), "equipment": Decimal("20.5")}, r)
    assert ceiling.amount == Decimal("320.50") and ceiling.rate == 100
    assert "marginal" in ceiling.reason.en and "marginal" in ceiling.reason.fr


def test_unknown_category_says_the_large_rate_applies():
    ceiling = aid_ceiling("company", SizeCategory.UNKNOWN, {"staff": Decimal(1000)}, AidRates())
    assert "large-enterprise rate" in ceiling.reason.en and "grandes entreprises" in ceiling.reason.fr


@pytest.mark.parametrize("data", [
    {"companies": {"small": 120}}, {"companies": {"huge": 10}}, {"companies": {"unknown": 10}},
    {"research_basis": "half"}, {"research_basis": "marginal"}, {"others": "x"},
])
def test_bad_rates_are_refused(data):
    with pytest.raises(CallDataError):
        parse_rates(data)


def test_rates_round_trip():
    r = parse_rates({"companies": {"small": "50"}, "research_basis": "marginal", "marginal_categories": ["equipment"]})
    assert parse_rates(rates_as_json(r)) == r
