"""Each eligibility rule against a plain re-statement of it, on random consortia (hypothesis)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from poles.calls.eligibility import (
    PartnerFacts,
    ProjectFacts,
    Rule,
    evaluate,
    failures,
    parse_rules,
)
from poles.calls.reasons import CallDataError
from poles.registry.categories import SizeCategory

KINDS = ["company", "research", "education", "tech_centre", "public", "association", "other"]
CATEGORIES = list(SizeCategory)
REGIONS = ["84", "53", "11", "93", None]
COUNTRIES = ["FR", "DE", "BE", "IT"]
COST_KINDS = ["staff", "equipment", "overheads", "subcontracting", "travel"]
money = st.decimals(min_value=0, max_value=2_000_000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def partners(draw, organisation_id):
    return PartnerFacts(
        organisation_id=organisation_id,
        name=f"P{organisation_id}",
        kind=draw(st.sampled_from(KINDS)),
        size_category=draw(st.sampled_from(CATEGORIES)),
        region_code=draw(st.sampled_from(REGIONS)),
        country=draw(st.sampled_from(COUNTRIES)),
        costs=draw(st.dictionaries(st.sampled_from(COST_KINDS), money, max_size=4)),
        requested_aid=draw(money),
        aid_ceiling=draw(st.one_of(st.none(), money)),
    )


@st.composite
def projects(draw):
    n = draw(st.integers(min_value=0, max_value=7))
    members = [draw(partners(i + 1)) for i in range(n)]
    coordinators = draw(st.sets(st.integers(0, max(n - 1, 0)), max_size=2)) if n else set()
    members = [PartnerFacts(**{**p.__dict__, "is_coordinator": i in coordinators}) for i, p in enumerate(members)]
    return ProjectFacts(
        partners=tuple(members),
        duration_months=draw(st.one_of(st.none(), st.integers(0, 80))),
        labelling_cluster_ids=frozenset(draw(st.sets(st.integers(1, 5), max_size=3))),
    )


def plain(kind, params, p):
    """The rules as a reader of the call would state them, one line each."""
    ps = p.partners
    if kind == "min_companies":
        return len([x for x in ps if x.kind == "company"]) >= params["n"]
    if kind == "min_sme_or_eti":
        return len([x for x in ps if x.kind == "company" and x.size_category in ("micro", "small", "medium", "eti")]) >= params["n"]
    if kind == "min_research":
        return len([x for x in ps if x.kind in ("research", "education")]) >= params["n"]
    if kind == "coordinator_kind":
        cs = [x for x in ps if x.is_coordinator]
        return len(cs) == 1 and cs[0].kind in params["kinds"]
    if kind in ("partner_regions", "partner_countries"):
        attr = "region_code" if kind == "partner_regions" else "country"
        who = params.get("who", "all")
        if who == "any":
            return any(getattr(x, attr) in params["codes"] for x in ps)
        concerned = [x for x in ps if x.is_coordinator] if who == "coordinator" else list(ps)
        return bool(concerned) and all(getattr(x, attr) in params["codes"] for x in concerned)
    if kind == "cost_categories":
        return all(k in params["allowed"] for x in ps for k, v in x.costs.items() if v)
    if kind == "category_share":
        return all(sum(x.costs.values()) == 0 or x.costs.get(params["category"], 0) / sum(x.costs.values()) * 100 <= Decimal(str(params["max_percent"])) for x in ps)
    if kind == "project_cost":
        total = sum(sum(x.costs.values()) for x in ps)
        return (params.get("min") is None or total >= Decimal(str(params["min"]))) and (params.get("max") is None or total <= Decimal(str(params["max"])))
    if kind == "duration":
        d = p.duration_months
        return d is not None and (params.get("min_months") is None or d >= params["min_months"]) and (params.get("max_months") is None or d <= params["max_months"])
    if kind == "max_aid_per_partner":
        return all(x.requested_aid <= Decimal(str(params["amount"])) for x in ps)
    if kind == "max_aid_per_project":
        return sum(x.requested_aid for x in ps) <= Decimal(str(params["amount"]))
    if kind == "aid_within_rates":
        return all(x.aid_ceiling is not None and x.requested_aid <= x.aid_ceiling for x in ps)
    if kind == "labelling":
        return len(p.labelling_cluster_ids) >= params.get("n", 1)
    raise AssertionError(kind)


rule_params = st.one_of(
    st.builds(lambda n: ("min_companies", {"n": n}), st.integers(0, 4)),
    st.builds(lambda n: ("min_sme_or_eti", {"n": n}), st.integers(0, 3)),
    st.builds(lambda n: ("min_research", {"n": n}), st.integers(0, 3)),
    st.builds(lambda ks: ("coordinator_kind", {"kinds": ks}), st.lists(st.sampled_from(KINDS), min_size=1, max_size=3, unique=True)),
    st.builds(lambda cs, w: ("partner_regions", {"codes": cs, "who": w}), st.lists(st.sampled_from(["84", "53", "11"]), min_size=1, unique=True), st.sampled_from(["all", "coordinator", "any"])),
    st.builds(lambda cs, w: ("partner_countries", {"codes": cs, "who": w}), st.lists(st.sampled_from(COUNTRIES), min_size=1, unique=True), st.sampled_from(["all", "coordinator", "any"])),
    st.builds(lambda cs: ("cost_categories", {"allowed": cs}), st.lists(st.sampled_from(COST_KINDS), min_size=1, unique=True)),
    st.builds(lambda c, m: ("category_share", {"category": c, "max_percent": m}), st.sampled_from(COST_KINDS), st.integers(0, 100)),
    st.builds(lambda lo, hi: ("project_cost", {"min": lo, "max": hi}), st.one_of(st.none(), st.integers(0, 3_000_000)), st.one_of(st.none(), st.integers(0, 6_000_000))),
    st.builds(lambda lo, hi: ("duration", {"min_months": lo, "max_months": hi}), st.one_of(st.none(), st.integers(0, 40)), st.one_of(st.none(), st.integers(0, 80))),
    st.builds(lambda a: ("max_aid_per_partner", {"amount": a}), st.integers(0, 2_000_000)),
    st.builds(lambda a: ("max_aid_per_project", {"amount": a}), st.integers(0, 6_000_000)),
    st.just(("aid_within_rates", {})),
    st.builds(lambda n: ("labelling", {"n": n}), st.integers(0, 3)),
)


@given(projects(), st.lists(rule_params, min_size=1, max_size=5))
def test_every_rule_agrees_with_its_plain_statement(project, declared):
    rules = parse_rules([{"kind": k, **p} for k, p in declared])
    outcomes = evaluate(rules, project, at_review=True)
    assert len(outcomes) == len(declared)
    for (kind, params), outcome in zip(declared, outcomes, strict=True):
        assert outcome.rule == kind
        assert outcome.passed == plain(kind, params, project), (kind, params, outcome.reason.en)
        assert outcome.reason.fr and outcome.reason.en and outcome.reason.fr != outcome.reason.en


def test_labelling_waits_for_review_and_the_rest_is_checked_at_submission():
    rules = parse_rules([{"kind": "labelling"}, {"kind": "min_companies", "n": 1}])
    facts = ProjectFacts(partners=())
    assert [o.rule for o in evaluate(rules, facts)] == ["min_companies"]
    assert [o.rule for o in failures(evaluate(rules, facts, at_review=True))] == ["labelling", "min_companies"]


def test_failed_rule_reason_names_the_offending_partner_in_both_languages():
    facts = ProjectFacts(partners=(
        PartnerFacts(1, "Acme", "company", SizeCategory.SMALL, "84", requested_aid=Decimal("600000")),
        PartnerFacts(2, "Labo", "research", requested_aid=Decimal("10")),
    ))
    (outcome,) = evaluate(parse_rules([{"kind": "max_aid_per_partner", "amount": 500000}]), facts)
    assert not outcome.passed
    assert "Acme" in outcome.reason.fr and "500\u202f000" in outcome.reason.fr
    assert "Acme" in outcome.reason.en and "500,000" in outcome.reason.en
    assert "Labo" not in outcome.reason.en


@pytest.mark.parametrize("data, words", [
    ([{"kind": "no_such_rule"}], "Unknown rule"),
    ([{"kind": "min_companies"}], "parameter 'n'"),
    ([{"kind": "min_companies", "n": -1}], "non-negative integer"),
    ([{"kind": "min_companies", "n": 2, "m": 1}], "unknown parameter 'm'"),
    ([{"kind": "partner_regions", "codes": ["84"], "who": "some"}], "parameter 'who'"),
    ([{"kind": "category_share", "category": "overheads", "max_percent": 120}], "percentage"),
    ([{"kind": "max_aid_per_project", "amount": "lots"}], "non-negative amount"),
    ({"kind": "min_companies"}, "list"),
])
def test_malformed_rules_are_refused_with_the_rule_and_parameter_named(data, words):
    with pytest.raises(CallDataError) as error:
        parse_rules(data)
    assert words in error.value.reason.en
    assert error.value.reason.fr


def test_rules_round_trip_through_their_json():
    data = [{"kind": "min_companies", "n": 2}, {"kind": "partner_regions", "codes": ["84"], "who": "coordinator"}]
    assert [r.as_dict() for r in parse_rules(data)] == data
    assert isinstance(parse_rules(data)[0], Rule)
