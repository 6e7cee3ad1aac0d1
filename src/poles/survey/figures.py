"""The figures of a yearly report: their catalogue, how a declared value is read, register against declared.

Pure (no Django). A report holds, for each figure code, the value the register gives (pre-filled)
and, where the cluster's manager corrected it, the value they declared; the value that counts is
the declared one when there is one, else the register's. Values are kept as strings of decimals
in JSON, so a frozen report reads back exactly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

from poles.calls.reasons import Reason, en_number, fr_number
from poles.indicators import definitions

Unit = Literal["count", "fte", "eur"]


@dataclass(frozen=True)
class Figure:
    """One figure of the report: code, section, French and English labels, unit."""

    code: str
    section: str
    fr: str
    en: str
    unit: Unit = "count"

    def label(self, language: str = "fr") -> str:
        return self.en if language.lower().startswith("en") else self.fr


SECTIONS: dict[str, tuple[str, str]] = {
    "members": ("Membres", "Members"),
    "staff": ("Équipe", "Staff"),
    "budget": ("Budget par source", "Budget by source"),
    "projects": ("Projets", "Projects"),
    "funding": ("Financements obtenus", "Funding obtained"),
    "europe": ("Projets européens", "European projects"),
    "outcomes": ("Retombées", "Outcomes"),
}

# The member categories, funders, instruments and budget lines of the register, with their
# French and English names, as the indicators declare them: a figure the survey asks for carries
# the same name as the indicator it is compared with (tests keep the codes equal to the models').
MEMBER_CATEGORIES = definitions.MEMBER_CATEGORIES
FUNDERS = definitions.FUNDERS
INSTRUMENTS = definitions.INSTRUMENTS
BUDGET_SOURCES = definitions.BUDGET_PARTS


def _catalogue() -> tuple[Figure, ...]:
    figures = [Figure("members_total", "members", "membres (organisations distinctes)",
                      "members (distinct organisations)")]
    figures += [Figure(f"members_{code}", "members", fr, en) for code, fr, en in MEMBER_CATEGORIES]
    figures += [
        Figure("members_new", "members", "nouveaux membres (absents l’année précédente)",
               "new members (not members the year before)"),
        Figure("members_leaving", "members", "membres sortis (membres l’année précédente, plus cette année)",
               "leaving members (members the year before, not this year)"),
        Figure("staff_fte", "staff", "effectif de l’équipe (ETP)", "staff (FTE)", "fte"),
        Figure("international_fte", "staff", "dont international (ETP)", "of which international (FTE)", "fte"),
    ]
    figures += [Figure(code, "budget", fr, en, "eur") for code, fr, en, _private in BUDGET_SOURCES]
    figures += [
        Figure("projects_labelled", "projects", "projets labellisés", "projects labelled"),
        Figure("projects_submitted", "projects", "projets déposés à un financeur", "projects submitted to a funder"),
        Figure("projects_funded", "projects", "projets financés", "projects funded"),
        Figure("projects_completed", "projects", "projets terminés", "projects completed"),
    ]
    figures += [Figure(f"funding_{code}", "funding", f"financement : {fr}", f"funding: {en}", "eur")
                for code, fr, en in FUNDERS]
    figures += [Figure(f"instrument_{code}", "funding", f"par instrument : {fr}", f"by instrument: {en}", "eur")
                for code, fr, en in INSTRUMENTS]
    figures += [
        Figure("eu_projects", "europe", "projets avec un financement européen", "projects with EU funding"),
        Figure("eu_amount", "europe", "montant des financements européens", "amount of European funding", "eur"),
        Figure("products_to_market", "outcomes", "produits et services mis sur le marché",
               "products and services brought to market"),
        Figure("patents", "outcomes", "brevets déposés", "patents filed"),
        Figure("jobs_created", "outcomes", "emplois créés", "jobs created"),
    ]
    return tuple(figures)


FIGURES: tuple[Figure, ...] = _catalogue()
BY_CODE: dict[str, Figure] = {f.code: f for f in FIGURES}
MAX_VALUE = Decimal("1e12")
"""No figure of a cluster's year reaches a thousand billion; beyond is a typing error."""

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
_THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+")


def parse(text: str, unit: Unit) -> tuple[Decimal | None, Reason | None]:
    """A declared value read from what a person typed: (value, None), (None, None) when empty, or (None, why).

    Accepts French and English writing: spaces (also no-break) between thousands, a decimal comma
    or point, a trailing € for amounts. Counts are whole numbers; nothing is negative.
    """
    raw = _SPACES.sub("", text or "").removesuffix("€").removesuffix("EUR")
    if not raw:
        return None, None
    if "," in raw and "." in raw:
        raw = raw.replace(",", "") if raw.rfind(".") > raw.rfind(",") else raw.replace(".", "").replace(",", ".")
    elif _THOUSANDS.fullmatch(raw):
        raw = raw.replace(",", "")  # 1,005 or 12,345,678: English thousands (no figure has 3 decimals)
    elif raw.count(",") == 1:
        raw = raw.replace(",", ".")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None, Reason(f"« {text.strip()} » n’est pas un nombre.", f"“{text.strip()}” is not a number.")
    if not value.is_finite():
        return None, Reason(f"« {text.strip()} » n’est pas un nombre.", f"“{text.strip()}” is not a number.")
    if value < 0:
        return None, Reason("Une valeur négative n’a pas de sens ici.", "A negative value makes no sense here.")
    if value >= MAX_VALUE:
        return None, Reason("Valeur trop grande : vérifiez la saisie.", "Value too large: check what you typed.")
    if unit == "count" and value != value.to_integral_value():
        return None, Reason("Un nombre entier est attendu.", "A whole number is expected.")
    places = 1 if unit == "fte" else 2
    if value != round(value, places):
        return None, Reason(f"Au plus {places} décimale(s).", f"At most {places} decimal place(s).")
    return value.normalize() if value == value.to_integral_value() else value, None


def as_text(value: Decimal | int | None) -> str | None:
    """A value as stored in JSON (a string of decimals), None for nothing."""
    if value is None:
        return None
    number = Decimal(value)
    return f"{number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize():f}"


def read_declared(entries: Mapping[str, str]) -> tuple[dict[str, str], dict[str, Reason]]:
    """What a manager typed, figure by figure: (values to store, errors by code); unknown codes are ignored."""
    values: dict[str, str] = {}
    errors: dict[str, Reason] = {}
    for code, text in entries.items():
        figure = BY_CODE.get(code)
        if figure is None:
            continue
        value, problem = parse(text, figure.unit)
        if problem is not None:
            errors[code] = problem
        elif value is not None:
            values[code] = as_text(value) or "0"
    return values, errors


def problems(declared: Mapping[str, str]) -> tuple[Reason, ...]:
    """Why stored declared values could not be submitted (each names its figure); none when they are all valid."""
    found = []
    for code, text in declared.items():
        figure = BY_CODE.get(code)
        if figure is None:
            found.append(Reason(f"Chiffre inconnu « {code} ».", f"Unknown figure {code!r}."))
            continue
        _value, problem = parse(text, figure.unit)
        if problem is not None:
            found.append(Reason(f"{figure.fr} : {problem.fr}", f"{figure.en}: {problem.en}"))
    return tuple(found)


@dataclass(frozen=True)
class Row:
    """One figure of a report: the register's value, the declared one, the one that counts."""

    figure: Figure
    register: str | None
    declared: str | None

    @property
    def value(self) -> str | None:
        return self.declared if self.declared is not None else self.register

    @property
    def corrected(self) -> bool:
        """Whether the manager declared a value other than the register's."""
        if self.declared is None:
            return False
        if self.register is None:
            return True
        return Decimal(self.declared) != Decimal(self.register)


def rows(register: Mapping[str, str | None], declared: Mapping[str, str]) -> list[Row]:
    """Every figure of the catalogue, in order, with the register's and the declared values."""
    return [Row(f, register.get(f.code), declared.get(f.code)) for f in FIGURES]


def private_share(values: Mapping[str, str | None]) -> Decimal | None:
    """The private share of the budget (fees and services over the total), None without a budget."""
    amounts = {code: Decimal(values.get(code) or 0) for code, *_ in BUDGET_SOURCES}
    total = sum(amounts.values(), Decimal(0))
    if not total:
        return None
    private = sum((amounts[code] for code, _fr, _en, is_private in BUDGET_SOURCES if is_private), Decimal(0))
    return private / total


def frozen(register: Mapping[str, str | None], declared: Mapping[str, str]) -> dict[str, dict[str, object]]:
    """The figures part of a frozen report: for each code, register, declared, value, corrected."""
    return {r.figure.code: {"register": r.register, "declared": r.declared, "value": r.value,
                            "corrected": r.corrected} for r in rows(register, declared)}


def shown(value: str | None, unit: Unit, language: str = "fr") -> str:
    """A stored value as a page writes it (— for nothing)."""
    if value is None:
        return "—"
    number = Decimal(value)
    text = fr_number(number) if not language.lower().startswith("en") else en_number(number)
    return f"{text} €" if unit == "eur" and not language.lower().startswith("en") else (
        f"€{text}" if unit == "eur" else text)
