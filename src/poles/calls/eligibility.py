"""Eligibility rules declared as data, each evaluated by one pure function with its reason.

A call stores its rules as a JSON list of `{"kind": …, …parameters}`; `parse_rules` checks them
(a malformed rule is refused with the rule and parameter named) and `evaluate` runs each on the
facts of one application (`ProjectFacts`), returning one `Outcome` per rule, passed or not, with a
French and English reason either way. The labelling rule is checked when review starts, since
clusters label after submission; every other rule is checked at submission.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from poles.calls.aid import COMPANY, RESEARCH_KINDS
from poles.calls.reasons import CallDataError, Outcome, Reason, en_number, fr_number
from poles.registry.categories import SizeCategory

SME_OR_ETI = frozenset({SizeCategory.MICRO, SizeCategory.SMALL, SizeCategory.MEDIUM, SizeCategory.ETI})
WHO = ("all", "coordinator", "any")
AT_REVIEW = frozenset({"labelling"})
"""Rules checked when review starts rather than at submission."""


@dataclass(frozen=True)
class PartnerFacts:
    """What the rules read of one partner: the register's facts and what it declared."""

    organisation_id: int
    name: str
    kind: str
    size_category: SizeCategory = SizeCategory.UNKNOWN
    region_code: str | None = None
    country: str = "FR"
    costs: Mapping[str, Decimal] = field(default_factory=dict)
    requested_aid: Decimal = Decimal(0)
    is_coordinator: bool = False
    aid_ceiling: Decimal | None = None

    @property
    def total_cost(self) -> Decimal:
        """The partner's costs over every category."""
        return sum(self.costs.values(), Decimal(0))


@dataclass(frozen=True)
class ProjectFacts:
    """What the rules read of one application."""

    partners: tuple[PartnerFacts, ...]
    duration_months: int | None = None
    labelling_cluster_ids: frozenset[int] = frozenset()

    @property
    def total_cost(self) -> Decimal:
        """The project's cost: every partner's."""
        return sum((p.total_cost for p in self.partners), Decimal(0))

    @property
    def requested_aid(self) -> Decimal:
        """The aid the consortium requests."""
        return sum((p.requested_aid for p in self.partners), Decimal(0))


@dataclass(frozen=True)
class Rule:
    """One rule of a call: its kind and parameters."""

    kind: str
    params: Mapping[str, Any]

    def as_dict(self) -> dict[str, Any]:
        """The JSON a call stores."""
        return {"kind": self.kind, **self.params}


def _names(partners: Iterable[PartnerFacts]) -> str:
    return ", ".join(p.name for p in partners)


def _count_rule(rule: Rule, facts: ProjectFacts, test: Callable[[PartnerFacts], bool],
                fr_what: str, en_what: str) -> Outcome:
    need = int(rule.params["n"])
    found = sum(1 for p in facts.partners if test(p))
    passed = found >= need
    return Outcome(rule.kind, passed, Reason(
        f"Le consortium compte {found} {fr_what} ; il en faut au moins {need}.",
        f"The consortium has {found} {en_what}; at least {need} required.",
    ))


def min_companies(rule: Rule, facts: ProjectFacts) -> Outcome:
    """At least `n` companies in the consortium."""
    return _count_rule(rule, facts, lambda p: p.kind == COMPANY, "entreprise(s)", "company(ies)")


def min_sme_or_eti(rule: Rule, facts: ProjectFacts) -> Outcome:
    """At least `n` companies that are SMEs or ETIs by the register's size category."""
    return _count_rule(
        rule, facts, lambda p: p.kind == COMPANY and p.size_category in SME_OR_ETI,
        "PME ou ETI", "SME(s) or mid-cap(s)",
    )


def min_research(rule: Rule, facts: ProjectFacts) -> Outcome:
    """At least `n` research organisations (research bodies or higher education)."""
    return _count_rule(
        rule, facts, lambda p: p.kind in RESEARCH_KINDS,
        "organisme(s) de recherche", "research organisation(s)",
    )


def _coordinators(facts: ProjectFacts) -> list[PartnerFacts]:
    return [p for p in facts.partners if p.is_coordinator]


def coordinator_kind(rule: Rule, facts: ProjectFacts) -> Outcome:
    """Exactly one coordinator, of one of the `kinds` named."""
    kinds = sorted(rule.params["kinds"])
    coordinators = _coordinators(facts)
    if len(coordinators) != 1:
        return Outcome(rule.kind, False, Reason(
            f"Le consortium doit avoir un seul coordinateur ; il en a {len(coordinators)}.",
            f"The consortium needs exactly one coordinator; it has {len(coordinators)}.",
        ))
    coordinator = coordinators[0]
    passed = coordinator.kind in kinds
    return Outcome(rule.kind, passed, Reason(
        f"Le coordinateur {coordinator.name} est de type « {coordinator.kind} » ; types admis : {', '.join(kinds)}.",
        f"The coordinator {coordinator.name} is of kind '{coordinator.kind}'; kinds allowed: {', '.join(kinds)}.",
    ))


def _place_rule(rule: Rule, facts: ProjectFacts, value: Callable[[PartnerFacts], str | None],
                fr_what: str, en_what: str) -> Outcome:
    allowed = sorted(str(c) for c in rule.params["codes"])
    who = rule.params.get("who", "all")
    concerned = _coordinators(facts) if who == "coordinator" else list(facts.partners)
    inside = [p for p in concerned if value(p) in allowed]
    outside = [p for p in concerned if value(p) not in allowed]
    codes = ", ".join(allowed)
    if who == "any":
        passed = bool(inside)
        return Outcome(rule.kind, passed, Reason(
            f"Au moins un partenaire doit être situé dans {fr_what} {codes} : "
            + (f"{_names(inside)}." if passed else "aucun."),
            f"At least one partner must be located in {en_what} {codes}: "
            + (f"{_names(inside)}." if passed else "none is."),
        ))
    if not concerned:
        return Outcome(rule.kind, False, Reason(
            "Le consortium n’a pas de coordinateur.", "The consortium has no coordinator.",
        ))
    passed = not outside
    whom_fr, whom_en = ("Le coordinateur", "The coordinator") if who == "coordinator" else (
        "Tous les partenaires", "Every partner")
    return Outcome(rule.kind, passed, Reason(
        f"{whom_fr} doit être situé dans {fr_what} {codes}"
        + (f" ; hors de ce périmètre ou non renseigné : {_names(outside)}." if outside else " : c’est le cas."),
        f"{whom_en} must be located in {en_what} {codes}"
        + (f"; outside or unknown: {_names(outside)}." if outside else ": that holds."),
    ))


def partner_regions(rule: Rule, facts: ProjectFacts) -> Outcome:
    """Partners (all, the coordinator, or at least one) located in the regions named (INSEE codes)."""
    return _place_rule(rule, facts, lambda p: p.region_code, "les régions", "the regions")


def partner_countries(rule: Rule, facts: ProjectFacts) -> Outcome:
    """Partners (all, the coordinator, or at least one) located in the countries named (ISO codes)."""
    return _place_rule(rule, facts, lambda p: p.country, "les pays", "the countries")


def cost_categories(rule: Rule, facts: ProjectFacts) -> Outcome:
    """Costs declared only in the categories the call allows."""
    allowed = sorted(str(c) for c in rule.params["allowed"])
    wrong = [(p, k) for p in facts.partners for k, v in sorted(p.costs.items()) if v and k not in allowed]
    listed = "; ".join(f"{p.name} : {k}" for p, k in wrong)
    listed_en = "; ".join(f"{p.name}: {k}" for p, k in wrong)
    return Outcome(rule.kind, not wrong, Reason(
        f"Catégories de coûts admises : {', '.join(allowed)}"
        + (f" ; hors catégorie : {listed}." if wrong else "."),
        f"Cost categories allowed: {', '.join(allowed)}" + (f"; outside them: {listed_en}." if wrong else "."),
    ))


def category_share(rule: Rule, facts: ProjectFacts) -> Outcome:
    """A cost category at most `max_percent` of each partner's total cost (e.g. overheads)."""
    category = str(rule.params["category"])
    limit = Decimal(str(rule.params["max_percent"]))
    over = [p for p in facts.partners
            if p.total_cost > 0 and p.costs.get(category, Decimal(0)) * 100 > limit * p.total_cost]
    return Outcome(rule.kind, not over, Reason(
        f"La catégorie « {category} » est limitée à {fr_number(limit)} % des coûts de chaque partenaire"
        + (f" ; dépassement : {_names(over)}." if over else " : c’est respecté."),
        f"The category '{category}' is limited to {en_number(limit)} % of each partner's costs"
        + (f"; exceeded by: {_names(over)}." if over else ": that holds."),
    ))


def _bounds_reason(fr_what: str, en_what: str, value: Decimal | int | None, low: Any, high: Any,
                   unit_fr: str, unit_en: str) -> tuple[bool, Reason]:
    bounds_fr = " et ".join(
        part for part in (
            f"au moins {fr_number(low)}{unit_fr}" if low is not None else "",
            f"au plus {fr_number(high)}{unit_fr}" if high is not None else "") if part)
    bounds_en = " and ".join(
        part for part in (
            f"at least {en_number(low)}{unit_en}" if low is not None else "",
            f"at most {en_number(high)}{unit_en}" if high is not None else "") if part)
    if value is None:
        return False, Reason(f"{fr_what} n’est pas renseigné(e) ; attendu : {bounds_fr}.",
                             f"{en_what} is not given; expected: {bounds_en}.")
    passed = (low is None or value >= low) and (high is None or value <= high)
    return passed, Reason(
        f"{fr_what} : {fr_number(value)}{unit_fr} ; attendu : {bounds_fr}.",
        f"{en_what}: {en_number(value)}{unit_en}; expected: {bounds_en}.",
    )


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def project_cost(rule: Rule, facts: ProjectFacts) -> Outcome:
    """The project's total cost between `min` and `max` euros (either optional)."""
    passed, reason = _bounds_reason(
        "Le coût total du projet", "The project's total cost", facts.total_cost,
        _decimal_or_none(rule.params.get("min")), _decimal_or_none(rule.params.get("max")), " €", " EUR",
    )
    return Outcome(rule.kind, passed, reason)


def duration(rule: Rule, facts: ProjectFacts) -> Outcome:
    """The project's duration between `min_months` and `max_months`."""
    low, high = rule.params.get("min_months"), rule.params.get("max_months")
    passed, reason = _bounds_reason(
        "La durée du projet", "The project's duration", facts.duration_months,
        None if low is None else int(low), None if high is None else int(high), " mois", " months",
    )
    return Outcome(rule.kind, passed, reason)


def max_aid_per_partner(rule: Rule, facts: ProjectFacts) -> Outcome:
    """No partner requests more than `amount` euros."""
    limit = Decimal(str(rule.params["amount"]))
    over = [p for p in facts.partners if p.requested_aid > limit]
    return Outcome(rule.kind, not over, Reason(
        f"L’aide demandée par partenaire est plafonnée à {fr_number(limit)} €"
        + (f" ; dépassement : {_names(over)}." if over else " : c’est respecté."),
        f"The aid requested per partner is capped at EUR {en_number(limit)}"
        + (f"; exceeded by: {_names(over)}." if over else ": that holds."),
    ))


def max_aid_per_project(rule: Rule, facts: ProjectFacts) -> Outcome:
    """The consortium requests at most `amount` euros in all."""
    limit = Decimal(str(rule.params["amount"]))
    total = facts.requested_aid
    passed = total <= limit
    return Outcome(rule.kind, passed, Reason(
        f"Aide demandée pour le projet : {fr_number(total)} € ; plafond : {fr_number(limit)} €.",
        f"Aid requested for the project: EUR {en_number(total)}; ceiling: EUR {en_number(limit)}.",
    ))


def aid_within_rates(rule: Rule, facts: ProjectFacts) -> Outcome:
    """No partner requests more than its ceiling from the call's rates and its size category."""
    over = [p for p in facts.partners if p.aid_ceiling is not None and p.requested_aid > p.aid_ceiling]
    unknown = [p for p in facts.partners if p.aid_ceiling is None]
    detail_fr = "; ".join(
        f"{p.name} demande {fr_number(p.requested_aid)} € pour un plafond de {fr_number(p.aid_ceiling or 0)} €"
        for p in over)
    detail_en = "; ".join(
        f"{p.name} requests EUR {en_number(p.requested_aid)} for a ceiling of EUR {en_number(p.aid_ceiling or 0)}"
        for p in over)
    if unknown:
        detail_fr = "; ".join(filter(None, [detail_fr, f"plafond non calculé : {_names(unknown)}"]))
        detail_en = "; ".join(filter(None, [detail_en, f"ceiling not computed: {_names(unknown)}"]))
    passed = not over and not unknown
    return Outcome(rule.kind, passed, Reason(
        "L’aide demandée respecte les taux de l’appel" + ("." if passed else f" : non — {detail_fr}."),
        "The aid requested is within the call's rates" + ("." if passed else f": no — {detail_en}."),
    ))


def labelling(rule: Rule, facts: ProjectFacts) -> Outcome:
    """Labelled by at least `n` competitiveness clusters."""
    need = int(rule.params.get("n", 1))
    found = len(facts.labelling_cluster_ids)
    return Outcome(rule.kind, found >= need, Reason(
        f"Le projet est labellisé par {found} pôle(s) de compétitivité ; il en faut au moins {need}.",
        f"The project is labelled by {found} competitiveness cluster(s); at least {need} required.",
    ))


Evaluator = Callable[[Rule, ProjectFacts], Outcome]
RULES: dict[str, tuple[Evaluator, dict[str, str]]] = {
    "min_companies": (min_companies, {"n": "count"}),
    "min_sme_or_eti": (min_sme_or_eti, {"n": "count"}),
    "min_research": (min_research, {"n": "count"}),
    "coordinator_kind": (coordinator_kind, {"kinds": "list"}),
    "partner_regions": (partner_regions, {"codes": "list", "who": "?who"}),
    "partner_countries": (partner_countries, {"codes": "list", "who": "?who"}),
    "cost_categories": (cost_categories, {"allowed": "list"}),
    "category_share": (category_share, {"category": "text", "max_percent": "percent"}),
    "project_cost": (project_cost, {"min": "?money", "max": "?money"}),
    "duration": (duration, {"min_months": "?count", "max_months": "?count"}),
    "max_aid_per_partner": (max_aid_per_partner, {"amount": "money"}),
    "max_aid_per_project": (max_aid_per_project, {"amount": "money"}),
    "aid_within_rates": (aid_within_rates, {}),
    "labelling": (labelling, {"n": "?count"}),
}
"""Each rule kind: its evaluator and its parameters (type; a leading "?" marks an optional one)."""


def _bad(kind: str, name: str, expected_fr: str, expected_en: str, found: Any) -> CallDataError:
    return CallDataError(Reason(
        f"Règle « {kind} », paramètre « {name} » : {expected_fr} attendu, « {found} » trouvé.",
        f"Rule '{kind}', parameter '{name}': {expected_en} expected, found {found!r}.",
    ))


def _check_param(kind: str, name: str, spec: str, value: Any) -> None:
    spec = spec.lstrip("?")
    if spec == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _bad(kind, name, "un entier positif ou nul", "a non-negative integer", value)
    elif spec in ("money", "percent"):
        try:
            number = Decimal(str(value))
        except ArithmeticError:
            number = Decimal("NaN")
        if isinstance(value, bool) or not number.is_finite() or number < 0 or (spec == "percent" and number > 100):
            raise _bad(kind, name, "un montant positif" if spec == "money" else "un pourcentage de 0 à 100",
                       "a non-negative amount" if spec == "money" else "a percentage from 0 to 100", value)
    elif spec == "list":
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise _bad(kind, name, "une liste de textes non vide", "a non-empty list of texts", value)
    elif spec == "text":
        if not isinstance(value, str) or not value:
            raise _bad(kind, name, "un texte", "a text", value)
    elif spec == "who" and value not in WHO:
        raise _bad(kind, name, " ou ".join(WHO), " or ".join(WHO), value)


def parse_rules(data: Sequence[Mapping[str, Any]]) -> list[Rule]:
    """The rules of a call from its JSON, every kind and parameter checked."""
    if not isinstance(data, list):
        raise CallDataError(Reason("Les règles d’éligibilité forment une liste.", "Eligibility rules are a list."))
    rules = []
    for item in data:
        kind = item.get("kind") if isinstance(item, Mapping) else None
        if kind not in RULES:
            raise CallDataError(Reason(
                f"Règle inconnue « {kind} » ; règles connues : {', '.join(RULES)}.",
                f"Unknown rule {kind!r}; known rules: {', '.join(RULES)}.",
            ))
        _evaluator, specs = RULES[kind]
        params = {k: v for k, v in item.items() if k != "kind"}
        for name in params:
            if name not in specs:
                raise CallDataError(Reason(
                    f"Règle « {kind} » : paramètre « {name} » inconnu.",
                    f"Rule '{kind}': unknown parameter {name!r}.",
                ))
        for name, spec in specs.items():
            if name not in params or params[name] is None:
                if not spec.startswith("?"):
                    raise _bad(kind, name, "une valeur", "a value", None)
                continue
            _check_param(kind, name, spec, params[name])
        rules.append(Rule(kind, params))
    return rules


def evaluate(rules: Iterable[Rule], facts: ProjectFacts, *, at_review: bool = False) -> list[Outcome]:
    """Every rule's outcome on one application; the labelling rule only at review."""
    return [
        RULES[rule.kind][0](rule, facts)
        for rule in rules
        if at_review or rule.kind not in AT_REVIEW
    ]


def failures(outcomes: Iterable[Outcome]) -> list[Outcome]:
    """The outcomes that failed: what the eligibility report lists."""
    return [o for o in outcomes if not o.passed]
