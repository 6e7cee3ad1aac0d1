"""Localised figures: money, shares and numbers as each language writes them."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from poles.web.templatetags.web import eur, meur, num, pct


def test_money_in_french_and_english():
    with translation.override("fr"):
        assert eur(Decimal("1234567.8")) == "1\u00a0234\u00a0568\u00a0€"
        assert meur(Decimal("12345678")) == "12,3\u00a0M€"
        assert pct(Decimal("0.615")) == "62\u00a0%"
    with translation.override("en"):
        assert eur(Decimal("1234567.8")) == "€1,234,568"
        assert meur(Decimal("12345678")) == "€12.3m"
        assert pct(Decimal("0.615"), 1) == "61.5%"


def test_unknown_values_show_a_dash():
    assert eur(None) == "—" and pct(None) == "—" and num("") == "—"
