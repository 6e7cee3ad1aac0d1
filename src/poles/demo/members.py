"""Member organisations with figures, and their memberships over 2019–2025 with churn and fees."""

from __future__ import annotations

import math
import random
from bisect import bisect
from datetime import date
from decimal import Decimal

from django.utils.text import slugify

from poles.demo.facts import CLUSTERS, DEMO_NOTE, MEMBER_MIX, MEMBERS_2023, ORGANISATIONS
from poles.demo.reference import Place, Reference
from poles.demo.rows import Register, money
from poles.demo.sirens import head_office_siret, siren_factory
from poles.demo.vocab import (
    ASSOCIATION_FORMS,
    EDUCATION_FORMS,
    LEGAL_FORMS,
    NAME_SUFFIXES,
    NON_COMPANY_NAF,
    PUBLIC_FORMS,
    RESEARCH_FORMS,
    STREETS,
    TECH_CENTRE_FORMS,
    THEMES,
)
from poles.registry.categories import Figures, size_category

FIRST_YEAR, LAST_YEAR, REFERENCE_YEAR = 2019, 2025, 2023
ACTIVE_SHARE = 0.85  # share of a cluster's member slots that are members in 2023
COMPANY = {"micro", "small", "medium", "eti", "large"}
# (staff low, staff high, turnover low, turnover high) in persons and EUR
BANDS = {
    "micro": (1, 9, 50e3, 1.9e6),
    "small": (10, 49, 1.0e6, 9.5e6),
    "medium": (50, 249, 6e6, 48e6),
    "eti": (250, 4999, 40e6, 1.4e9),
    "large": (5000, 90000, 1.6e9, 60e9),
}
STAFF = {"research": (15, 600), "education": (30, 2500), "tech_centre": (8, 150),
         "public": (20, 3000), "association": (1, 25)}
FEES = {"micro": (150, 300), "small": (300, 800), "medium": (800, 2000), "eti": (2000, 5000),
        "large": (5000, 15000), "research": (500, 3000), "education": (300, 1500),
        "tech_centre": (500, 1500), "public": (1000, 5000), "association": (100, 300)}


def cluster_targets(rng: random.Random, scale: float) -> list[int]:
    """Members per cluster in 2023: the profiles' published counts, others 100–800."""
    fixed = {i: c.members_2023 for i, c in enumerate(CLUSTERS) if c.members_2023}
    free = [i for i in range(len(CLUSTERS)) if i not in fixed]
    draws = {i: rng.triangular(100, 800, 250) for i in free}
    factor = (MEMBERS_2023 - sum(fixed.values())) / sum(draws.values())
    sizes = {**fixed, **{i: min(800.0, max(100.0, d * factor)) for i, d in draws.items()}}
    return [max(2, round(sizes[i] * scale)) for i in range(len(CLUSTERS))]


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def _figures(rng: random.Random, category: str) -> tuple[Decimal, Decimal | None, Decimal | None]:
    if category not in COMPANY:
        low, high = STAFF[category]
        return Decimal(round(_log_uniform(rng, low, high))), None, None
    s_low, s_high, t_low, t_high = BANDS[category]
    staff = round(_log_uniform(rng, s_low, s_high))
    turnover = min(t_high, max(t_low, staff * rng.uniform(90e3, 260e3)))
    balance = turnover * rng.uniform(0.5, 1.2)
    if category == "small" and rng.random() < 0.05:  # a holding whose money outgrows its staff
        turnover, balance = rng.uniform(11e6, 45e6), rng.uniform(11e6, 40e6)
    balance = min(balance, t_high if category != "medium" else 42e6)
    return Decimal(staff), money(round(turnover, -3)), money(round(balance, -3))


def _pick_place(rng: random.Random, ref: Reference, region: str, category: str) -> Place:
    places = ref.places[region]
    if category in {"research", "education", "public"}:
        return rng.choice(places.cities)
    return places.places[bisect(places.cum_weights, rng.random() * places.cum_weights[-1])
                         if len(places.places) > 1 else 0]


class Namer:
    """Plausible, unique, invented organisation names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self, category: str, theme: str, city: str) -> str:
        rng, t = self.rng, THEMES[theme]
        for attempt in range(30):
            if category in COMPANY:
                stem = rng.choice(t.stems) + rng.choice(NAME_SUFFIXES)
                if rng.random() < 0.3:
                    stem += " " + rng.choice(t.stems).rstrip("-") + rng.choice(("is", "a", "o"))
                name = f"{stem[0].upper()}{stem[1:]} {rng.choice(LEGAL_FORMS[category])}"
            else:
                field = rng.choice(t.research)
                forms = {"research": RESEARCH_FORMS, "education": EDUCATION_FORMS,
                         "tech_centre": TECH_CENTRE_FORMS, "public": PUBLIC_FORMS,
                         "association": ASSOCIATION_FORMS}[category]
                name = rng.choice(forms).format(f=_of(field))
                if category != "association" or rng.random() < 0.5:
                    name += f" {_of(city)}"
            if attempt > 20:
                name += f" {_of(city)}"
            if attempt > 25:
                name += f" {rng.randint(2, 99)}"
            if name not in self.used:
                self.used.add(name)
                return name
        raise AssertionError(f"no free name after 30 draws for {category} in {city}")


def _of(city: str) -> str:
    """"de Lyon", "d'Angers", "du Havre", "des Mureaux"."""
    if city.startswith("Le "):
        return "du " + city[3:]
    if city.startswith("Les "):
        return "des " + city[4:]
    if city[0].lower() in "aeiouyéèêâîôû":
        return "d'" + city
    return "de " + city


def _naf(rng: random.Random, ref: Reference, category: str, themes: tuple[str, ...]) -> str | None:
    if category in COMPANY:
        theme = themes[0] if rng.random() < 0.7 or len(themes) == 1 else rng.choice(themes[1:])
        codes = [c for c in THEMES[theme].naf if c in ref.naf]
    else:
        codes = [c for c in NON_COMPANY_NAF[category] if c in ref.naf]
    return rng.choice(codes) if codes else None


def add_organisations(register: Register, ref: Reference, rng: random.Random, scale: float,
                      targets: list[int]) -> list[tuple[int, bool]]:
    """Organisations, one per primary slot; returns the member slots (cluster, active in 2023)."""
    slots_per_cluster = [max(t, round(t / ACTIVE_SHARE)) for t in targets]
    slots: list[tuple[int, bool]] = []
    for ix, (target, count) in enumerate(zip(targets, slots_per_cluster, strict=True)):
        active = [True] * target + [False] * (count - target)
        rng.shuffle(active)
        slots += [(ix, a) for a in active]
    rng.shuffle(slots)
    n_orgs = min(len(slots), max(len(CLUSTERS) * 2, round(ORGANISATIONS * scale)))
    categories = [c for c, _ in MEMBER_MIX]
    weights = [w for _, w in MEMBER_MIX]
    new_siren = siren_factory(rng)
    name = Namer(rng)
    for ix in range(n_orgs):
        cluster = CLUSTERS[slots[ix][0]]
        category = rng.choices(categories, weights)[0]
        region = cluster.regions[0] if rng.random() < 0.6 else rng.choice(cluster.regions)
        place = _pick_place(rng, ref, region, category)
        staff, turnover, balance = _figures(rng, category)
        rule = size_category(Figures(staff=staff, turnover=turnover, balance_sheet=balance))
        siren = new_siren()
        org_name = name(category, rng.choice(cluster.themes), place.name)
        kind = "company" if category in COMPANY else category
        register.organisations.append({
            "name": org_name, "key": f"siren:{siren}", "siren": siren,
            "siret": head_office_siret(siren) if kind == "company" else "",
            "kind": kind, "size_category": rule.value, "size_year": REFERENCE_YEAR,
            "naf_id": _naf(rng, ref, category, cluster.themes),
            "address": f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
            "postcode": place.postcode, "city": place.name, "commune_id": place.code,
            "region_name": ref.regions[ref.region_of[place.code]], "country": "FR",
            "website": f"https://www.{slugify(org_name)}.example" if rng.random() < 0.7 else "",
            "description": f"Organisation fictive générée pour la démonstration {DEMO_NOTE}.",
            "source": "demo", "is_generated": True,
            "_category": category, "_region": region,
        })
        register.figures.append({
            "organisation_ix": ix, "year": REFERENCE_YEAR, "staff": staff, "turnover": turnover,
            "balance_sheet": balance, "source": "demo",
        })
        if category in {"micro", "small", "medium"} and rng.random() < 0.03:
            awarded = date(rng.randint(2011, 2025), rng.randint(1, 12), rng.randint(1, 28))
            register.labels.append({
                "kind": "firm", "name": "Entreprise Innovante des Pôles (EIP)", "level": "",
                "issuer": "AFPC", "awarded": awarded, "expires": None, "cluster_ix": None,
                "organisation_ix": ix,
            })
    return slots


def _span(rng: random.Random, active: bool) -> tuple[int, int]:
    """First and last member year of one slot."""
    if active:
        first = rng.choices((2019, 2020, 2021, 2022, 2023), (65, 10, 10, 8, 7))[0]
        last = rng.choices((2025, 2024, 2023), (88, 6, 6))[0]
        return first, last
    if rng.random() < 0.35:
        first = rng.choices((2019, 2020, 2021), (70, 15, 15))[0]
        return first, rng.randint(first, 2022)
    return rng.choice((2024, 2025)), 2025


def add_memberships(register: Register, rng: random.Random, slots: list[tuple[int, bool]]) -> None:
    """Memberships per year for every slot: fees by size, mostly paid, churn at the ends."""
    orgs = register.organisations
    n_orgs = len(orgs)
    by_region: dict[str, list[int]] = {}
    for ix, org in enumerate(orgs):
        by_region.setdefault(org["_region"], []).append(ix)
    taken: set[tuple[int, int]] = set()
    pairs: list[tuple[int, int, bool]] = []
    for ix in range(n_orgs):
        taken.add((ix, slots[ix][0]))
        pairs.append((ix, slots[ix][0], slots[ix][1]))
        orgs[ix]["supplied_by_ix"] = slots[ix][0]  # the home cluster supplied the record
    for cluster_ix, active in slots[n_orgs:]:
        fact = CLUSTERS[cluster_ix]
        for _ in range(20):
            pool = by_region.get(rng.choice(fact.regions)) or range(n_orgs)
            org_ix = rng.choice(pool)
            if (org_ix, cluster_ix) not in taken:
                taken.add((org_ix, cluster_ix))
                pairs.append((org_ix, cluster_ix, active))
                break
    for org_ix, cluster_ix, active in sorted(pairs):
        low, high = FEES[orgs[org_ix]["_category"]]
        base = rng.uniform(low, high)
        first, last = _span(rng, active)
        for year in range(first, last + 1):
            fee = money(round(base * (1 + 0.02 * (year - FIRST_YEAR)), -1))
            status, paid = "member", fee
            if year == LAST_YEAR and first == LAST_YEAR and rng.random() < 0.25:
                status, paid = "pending", money(0)
            elif rng.random() < 0.05:
                paid = money(round(float(fee) / 2, -1))
            register.memberships.append(_membership(org_ix, cluster_ix, year, status, fee, paid))
        if last < LAST_YEAR:
            fee = money(round(base * (1 + 0.02 * (last + 1 - FIRST_YEAR)), -1))
            if rng.random() < 0.5:
                row = _membership(org_ix, cluster_ix, last + 1, "lapsed", fee, money(0))
            else:
                row = _membership(org_ix, cluster_ix, last + 1, "resigned", money(0), money(0))
            register.memberships.append(row)


def _membership(org_ix: int, cluster_ix: int, year: int, status: str, fee: Decimal,
                paid: Decimal) -> dict:
    return {"organisation_ix": org_ix, "cluster_ix": cluster_ix, "year": year, "status": status,
            "fee_invoiced": fee, "fee_paid": paid, "source": "demo"}
