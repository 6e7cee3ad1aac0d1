"""The indicator declarations: one per code, bilingual, with a formula, seeds and targets as data."""

from __future__ import annotations

from decimal import Decimal

import pytest

from poles.indicators import definitions as d


def test_every_code_is_declared_once():
    codes = [i.code for i in d.INDICATORS]
    assert len(codes) == len(set(codes))


@pytest.mark.parametrize("indicator", d.INDICATORS, ids=lambda i: i.code)
def test_every_indicator_has_both_labels_and_a_formula(indicator):
    assert indicator.label_fr and indicator.label_en and indicator.formula
    assert indicator.label("fr") == indicator.label_fr
    assert indicator.label("en-gb") == indicator.label_en


def test_the_required_indicators_are_declared():
    required = {"members", "share_micro", "share_sme", "share_research", "share_eti_large",
                "member_employment", "projects", "funding_total", "funding_anr", "funding_grants",
                "leverage", "eu_projects", "private_share", "staff_fte"}
    assert required <= set(d.CODES)


def test_private_share_target_is_at_least_half():
    target = d.get("private_share").target
    assert target is not None
    assert target.met(Decimal("0.5")) and not target.met(Decimal("0.49")) and target.met(None) is None


def test_money_amounts_are_confidential_and_member_counts_public():
    assert d.get("funding_total").confidential and d.get("private_share").confidential
    assert not d.get("members").confidential and not d.get("share_sme").confidential


def test_the_seed_figures_are_attached():
    assert d.get("share_micro").seed.value == Decimal("0.31")
    assert d.get("leverage").seed.value == Decimal("2.5")
    assert d.get("memberships").seed.value == 18000


def test_an_unknown_code_is_refused_with_the_known_ones():
    with pytest.raises(d.UnknownIndicator, match="found 'membres'"):
        d.select(["members", "membres"])


def test_select_keeps_declaration_order():
    assert [i.code for i in d.select(["leverage", "members"])] == ["members", "leverage"]


def test_the_documentation_lists_every_indicator_with_its_formula():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    missing = [i.code for i in d.INDICATORS if f"| `{i.code}` |" not in text or i.formula not in text]
    assert missing == []
