"""A call's rules and rates said in words, in French and English, for every rule kind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from poles.calls.aid import parse_rates
from poles.calls.describe import describe_rates, describe_rule
from poles.calls.eligibility import RULES, Rule, parse_rules

EXAMPLES = {
    "min_companies": {"n": 2}, "min_sme_or_eti": {"n": 1}, "min_research": {"n": 1},
    "coordinator_kind": {"kinds": ["company", "research"]},
    "partner_regions": {"codes": ["84", "53"], "who": "coordinator"},
    "partner_countries": {"codes": ["FR"], "who": "all"},
    "cost_categories": {"allowed": ["staff", "equipment"]},
    "category_share": {"category": "overheads", "max_percent": 20},
    "project_cost": {"min": 100000, "max": 5000000}, "duration": {"min_months": 12, "max_months": 48},
    "max_aid_per_partner": {"amount": 500000}, "max_aid_per_project": {"amount": 2000000},
    "aid_within_rates": {}, "labelling": {"n": 1},
}


def test_every_rule_kind_has_an_example():
    assert set(EXAMPLES) == set(RULES)


@pytest.mark.parametrize("kind", sorted(RULES))
def test_every_rule_kind_is_said_in_both_languages_with_its_parameters(kind):
    (rule,) = parse_rules([{"kind": kind, **EXAMPLES[kind]}])
    said = describe_rule(rule)
    assert said.fr != f"Règle « {kind} »." and said.en != f"Rule '{kind}'."  # never the fallback
    for name, value in EXAMPLES[kind].items():
        if name == "who":
            continue  # said as "every partner", "the coordinator"…
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int) and item >= 1000:
                continue  # amounts are written the language's way
            if kind == "coordinator_kind":
                continue  # kinds are named
            assert str(item) in said.fr and str(item) in said.en, (item, said)


def test_amounts_are_written_the_languages_way():
    said = describe_rule(Rule("max_aid_per_project", {"amount": Decimal(2000000)}))
    assert "2\u202f000\u202f000\u00a0€" in said.fr and "EUR 2,000,000" in said.en


def test_rates_name_every_category_and_the_research_basis():
    lines = describe_rates(parse_rates({"companies": {"small": 50}, "research_basis": "marginal",
                                        "marginal_categories": ["staff"]}))
    assert "Petite entreprise : 50 % des coûts." in [r.fr for r in lines]
    assert "Research organisation: 100 % of the marginal cost (staff)." in [r.en for r in lines]
    assert len(lines) == 7
