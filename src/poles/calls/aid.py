"""The aid a partner may receive: its size category in the register and the call's rates.

Companies get a percentage of their costs by size category (micro, small, medium, ETI, large; a
company whose category the register cannot decide gets the large-firm rate, as a funder would
without proof of the category). Research organisations and higher-education bodies get either a
percentage of their full cost or 100 % of their marginal cost (the cost categories the call names
as marginal: the extra staff, equipment and consumables the project adds). Other bodies get the
call's rate for others. Amounts are rounded down to the cent: aid never exceeds the rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from poles.calls.reasons import CallDataError, Reason, en_number, fr_number
from poles.registry.categories import SizeCategory

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
RESEARCH_KINDS = frozenset({"research", "education"})
"""Organisation kinds funded as research organisations (Organisation.Kind values)."""
COMPANY = "company"
FULL, MARGINAL = "full", "marginal"
COMPANY_CATEGORIES = (
    SizeCategory.MICRO, SizeCategory.SMALL, SizeCategory.MEDIUM, SizeCategory.ETI, SizeCategory.LARGE,
)
CATEGORY_NAMES = {
    SizeCategory.MICRO: ("microentreprise", "micro-enterprise"),
    SizeCategory.SMALL: ("petite entreprise", "small enterprise"),
    SizeCategory.MEDIUM: ("moyenne entreprise", "medium-sized enterprise"),
    SizeCategory.ETI: ("entreprise de taille intermédiaire", "mid-cap (ETI)"),
    SizeCategory.LARGE: ("grande entreprise", "large enterprise"),
    SizeCategory.UNKNOWN: ("catégorie inconnue", "unknown category"),
}


@dataclass(frozen=True)
class AidRates:
    """A call's aid rates, in percent; every one configurable per call."""

    companies: Mapping[SizeCategory, Decimal] = field(default_factory=lambda: {
        SizeCategory.MICRO: Decimal(45), SizeCategory.SMALL: Decimal(45),
        SizeCategory.MEDIUM: Decimal(35), SizeCategory.ETI: Decimal(30),
        SizeCategory.LARGE: Decimal(25),
    })
    research_basis: str = FULL
    research_full_cost: Decimal = Decimal(40)
    marginal_categories: frozenset[str] = frozenset()
    others: Decimal = Decimal(0)


DEFAULT_RATES = AidRates()


def _percent(value: Any, where: str) -> Decimal:
    try:
        rate = Decimal(str(value))
    except ArithmeticError:
        rate = Decimal("NaN")
    if not rate.is_finite() or not Decimal(0) <= rate <= HUNDRED:
        raise CallDataError(Reason(
            f"Taux {where} : un pourcentage de 0 à 100 est attendu, « {value} » trouvé.",
            f"Rate {where}: a percentage from 0 to 100 was expected, found {value!r}.",
        ))
    return rate


def parse_rates(data: Mapping[str, Any]) -> AidRates:
    """Rates from a call's JSON ({"companies": {"small": 45, …}, "research_basis": …}); missing ones default."""
    companies = dict(DEFAULT_RATES.companies)
    for name, value in (data.get("companies") or {}).items():
        try:
            category = SizeCategory(name)
        except ValueError as error:
            raise CallDataError(Reason(
                f"Taux : catégorie d’entreprise « {name} » inconnue.",
                f"Rates: unknown company category {name!r}.",
            )) from error
        if category is SizeCategory.UNKNOWN:
            raise CallDataError(Reason(
                "Taux : la catégorie inconnue prend le taux des grandes entreprises.",
                "Rates: the unknown category takes the large-enterprise rate.",
            ))
        companies[category] = _percent(value, name)
    basis = data.get("research_basis", FULL)
    if basis not in (FULL, MARGINAL):
        raise CallDataError(Reason(
            f"Taux : base de la recherche « full » ou « marginal » attendue, « {basis} » trouvée.",
            f"Rates: research basis 'full' or 'marginal' expected, found {basis!r}.",
        ))
    marginal = frozenset(str(c) for c in data.get("marginal_categories") or ())
    if basis == MARGINAL and not marginal:
        raise CallDataError(Reason(
            "Taux : au coût marginal, l’appel nomme les catégories de coûts marginaux.",
            "Rates: at marginal cost, the call names the marginal cost categories.",
        ))
    return AidRates(
        companies=companies,
        research_basis=basis,
        research_full_cost=_percent(data.get("research_full_cost", DEFAULT_RATES.research_full_cost), "research"),
        marginal_categories=marginal,
        others=_percent(data.get("others", DEFAULT_RATES.others), "others"),
    )


def rates_as_json(rates: AidRates) -> dict[str, Any]:
    """The JSON a call stores for its rates (the inverse of `parse_rates`)."""
    return {
        "companies": {c.value: str(r) for c, r in rates.companies.items()},
        "research_basis": rates.research_basis,
        "research_full_cost": str(rates.research_full_cost),
        "marginal_categories": sorted(rates.marginal_categories),
        "others": str(rates.others),
    }


@dataclass(frozen=True)
class AidCeiling:
    """The most aid one partner may receive: `rate` percent of `base`, and why."""

    amount: Decimal
    rate: Decimal
    base: Decimal
    reason: Reason


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_DOWN)


def aid_ceiling(kind: str, category: SizeCategory, costs: Mapping[str, Decimal], rates: AidRates) -> AidCeiling:
    """The aid ceiling of a partner of `kind` and size `category` declaring `costs` by category."""
    full = sum(costs.values(), Decimal(0))
    if kind in RESEARCH_KINDS:
        if rates.research_basis == MARGINAL:
            base = sum((v for k, v in costs.items() if k in rates.marginal_categories), Decimal(0))
            amount = _cents(base)
            return AidCeiling(amount, HUNDRED, base, Reason(
                f"Organisme de recherche : 100 % du coût marginal ({fr_number(base)} €) = {fr_number(amount)} €.",
                f"Research organisation: 100 % of the marginal cost (EUR {en_number(base)}) = EUR {en_number(amount)}.",
            ))
        rate = rates.research_full_cost
        amount = _cents(full * rate / HUNDRED)
        return AidCeiling(amount, rate, full, Reason(
            f"Organisme de recherche : {fr_number(rate)} % du coût complet ({fr_number(full)} €) = {fr_number(amount)} €.",
            f"Research organisation: {en_number(rate)} % of the full cost (EUR {en_number(full)}) = EUR {en_number(amount)}.",
        ))
    if kind == COMPANY:
        used = category if category in rates.companies else SizeCategory.LARGE
        rate = rates.companies[used]
        amount = _cents(full * rate / HUNDRED)
        fr_name, en_name = CATEGORY_NAMES[category]
        if used is not category:
            return AidCeiling(amount, rate, full, Reason(
                f"Entreprise de {fr_name} : le taux des grandes entreprises s’applique, "
                f"{fr_number(rate)} % de {fr_number(full)} € = {fr_number(amount)} €.",
                f"Company of {en_name}: the large-enterprise rate applies, "
                f"{en_number(rate)} % of EUR {en_number(full)} = EUR {en_number(amount)}.",
            ))
        return AidCeiling(amount, rate, full, Reason(
            f"{fr_name.capitalize()} : {fr_number(rate)} % de {fr_number(full)} € = {fr_number(amount)} €.",
            f"{en_name.capitalize()}: {en_number(rate)} % of EUR {en_number(full)} = EUR {en_number(amount)}.",
        ))
    rate = rates.others
    amount = _cents(full * rate / HUNDRED)
    return AidCeiling(amount, rate, full, Reason(
        f"Autre organisme : {fr_number(rate)} % de {fr_number(full)} € = {fr_number(amount)} €.",
        f"Other body: {en_number(rate)} % of EUR {en_number(full)} = EUR {en_number(amount)}.",
    ))
