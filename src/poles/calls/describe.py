"""A call's data said in words for its public page: each eligibility rule, the aid rates, the countdown.

Pure (no Django): each sentence is written in French and English where it is made (`Reason`), and
the page picks the reader's language, like the rules' own reasons.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from poles.calls.aid import CATEGORY_NAMES, COMPANY_CATEGORIES, MARGINAL, AidRates
from poles.calls.eligibility import Rule
from poles.calls.reasons import Reason, en_number, fr_number

WHO = {"all": ("tous les partenaires", "every partner"), "coordinator": ("le coordinateur", "the coordinator"),
       "any": ("au moins un partenaire", "at least one partner")}
KIND_NAMES = {"company": ("entreprise", "company"), "research": ("organisme de recherche", "research organisation"),
              "education": ("établissement d’enseignement supérieur", "higher-education body"),
              "tech_centre": ("centre technique", "technology centre"),
              "association": ("association", "association"), "public": ("organisme public", "public body"),
              "other": ("autre organisme", "other body")}


def _kinds(codes: Iterable[object]) -> tuple[str, str]:
    names = [KIND_NAMES.get(str(c), (str(c), str(c))) for c in codes]
    return " ou ".join(n[0] for n in names), " or ".join(n[1] for n in names)


def _euros(value: object) -> tuple[str, str]:
    amount = Decimal(str(value))
    return f"{fr_number(amount)}\u00a0€", f"EUR {en_number(amount)}"


def describe_rule(rule: Rule) -> Reason:
    """One eligibility rule as an applicant reads it before applying."""
    p = rule.params
    kind = rule.kind
    if kind in ("min_companies", "min_sme_or_eti", "min_research"):
        n = int(p["n"])
        fr_what, en_what = {
            "min_companies": ("entreprise(s)", "company(ies)"),
            "min_sme_or_eti": ("PME ou ETI (catégorie du registre)", "SME(s) or mid-cap(s) (the register's category)"),
            "min_research": ("organisme(s) de recherche ou d’enseignement supérieur",
                             "research or higher-education body(ies)"),
        }[kind]
        return Reason(f"Le consortium compte au moins {n} {fr_what}.", f"The consortium includes at least {n} {en_what}.")
    if kind == "coordinator_kind":
        fr, en = _kinds(p["kinds"])
        return Reason(f"Le coordinateur est : {fr}.", f"The coordinator is a {en}.")
    if kind in ("partner_regions", "partner_countries"):
        who_fr, who_en = WHO[p.get("who", "all")]
        codes = ", ".join(sorted(str(c) for c in p["codes"]))
        where_fr, where_en = ("les régions (codes INSEE)", "the regions (INSEE codes)") if kind == "partner_regions" \
            else ("les pays", "the countries")
        return Reason(f"Localisation : {who_fr} dans {where_fr} {codes}.", f"Location: {who_en} in {where_en} {codes}.")
    if kind == "cost_categories":
        allowed = ", ".join(str(c) for c in p["allowed"])
        return Reason(f"Catégories de coûts admises : {allowed}.", f"Eligible cost categories: {allowed}.")
    if kind == "category_share":
        return Reason(f"La catégorie « {p['category']} » représente au plus {fr_number(Decimal(str(p['max_percent'])))} % "
                      "des coûts de chaque partenaire.",
                      f"The category '{p['category']}' is at most {en_number(Decimal(str(p['max_percent'])))} % of "
                      "each partner's costs.")
    if kind == "project_cost":
        low, high = p.get("min"), p.get("max")
        parts_fr, parts_en = [], []
        if low is not None:
            fr, en = _euros(low)
            parts_fr.append(f"au moins {fr}")
            parts_en.append(f"at least {en}")
        if high is not None:
            fr, en = _euros(high)
            parts_fr.append(f"au plus {fr}")
            parts_en.append(f"at most {en}")
        return Reason(f"Coût total du projet : {' et '.join(parts_fr) or 'sans borne'}.",
                      f"Total project cost: {' and '.join(parts_en) or 'no bound'}.")
    if kind == "duration":
        low, high = p.get("min_months"), p.get("max_months")
        if low is not None and high is not None:
            return Reason(f"Durée du projet : de {low} à {high} mois.", f"Project duration: {low} to {high} months.")
        if low is not None:
            return Reason(f"Durée du projet : au moins {low} mois.", f"Project duration: at least {low} months.")
        if high is not None:
            return Reason(f"Durée du projet : au plus {high} mois.", f"Project duration: at most {high} months.")
        return Reason("La durée du projet est indiquée.", "The project duration is given.")
    if kind == "max_aid_per_partner":
        fr, en = _euros(p["amount"])
        return Reason(f"Aide demandée par partenaire : au plus {fr}.", f"Aid requested per partner: at most {en}.")
    if kind == "max_aid_per_project":
        fr, en = _euros(p["amount"])
        return Reason(f"Aide demandée pour le projet : au plus {fr}.", f"Aid requested for the project: at most {en}.")
    if kind == "aid_within_rates":
        return Reason("Chaque partenaire demande au plus le plafond que lui donnent les taux d’aide ci-dessous.",
                      "Each partner requests at most the ceiling the aid rates below give it.")
    if kind == "labelling":
        n = int(p.get("n", 1))
        return Reason(f"Le projet est labellisé par au moins {n} pôle(s) de compétitivité (vérifié avant l’expertise).",
                      f"The project is labelled by at least {n} competitiveness cluster(s) (checked before review).")
    return Reason(f"Règle « {kind} ».", f"Rule '{kind}'.")


def describe_rates(rates: AidRates) -> list[Reason]:
    """The aid rates of a call, one sentence per size category and for research and other bodies."""
    lines = []
    for category in COMPANY_CATEGORIES:
        fr_name, en_name = CATEGORY_NAMES[category]
        rate = rates.companies[category]
        lines.append(Reason(f"{fr_name[:1].upper()}{fr_name[1:]} : {fr_number(rate)} % des coûts.",
                            f"{en_name[:1].upper()}{en_name[1:]}: {en_number(rate)} % of costs."))
    if rates.research_basis == MARGINAL:
        cats = ", ".join(sorted(rates.marginal_categories))
        lines.append(Reason(f"Organisme de recherche : 100 % du coût marginal ({cats}).",
                            f"Research organisation: 100 % of the marginal cost ({cats})."))
    else:
        lines.append(Reason(f"Organisme de recherche : {fr_number(rates.research_full_cost)} % du coût complet.",
                            f"Research organisation: {en_number(rates.research_full_cost)} % of the full cost."))
    lines.append(Reason(f"Autre organisme : {fr_number(rates.others)} % des coûts.",
                        f"Other body: {en_number(rates.others)} % of costs."))
    return lines


def countdown(now: dt.datetime, closes: dt.datetime) -> Reason:
    """How long until `closes`, from the server's `now`: days, else hours, else minutes; or closed."""
    left = closes - now
    seconds = int(left.total_seconds())
    if seconds < 0:
        return Reason("clos", "closed")
    days, hours, minutes = seconds // 86400, seconds // 3600, max(1, seconds // 60)
    if days >= 2:
        return Reason(f"clôture dans {days} jours", f"closes in {days} days")
    if days == 1:
        return Reason("clôture dans 1 jour", "closes in 1 day")
    if hours >= 1:
        return Reason(f"clôture dans {hours} h", f"closes in {hours} h" if hours > 1 else "closes in 1 hour")
    return Reason(f"clôture dans {minutes} min", f"closes in {minutes} min")
