"""Cluster rows: profile, regions, ecosystems, contacts, certifications, labels, yearly figures."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from poles.demo.facts import BUDGET, CLUSTERS, DEMO_NOTE, PHASES, TEAM_FTE, ClusterFact
from poles.demo.reference import DemoError, Reference
from poles.demo.rows import Register, money
from poles.demo.vocab import COUNTRIES, THEMES
from poles.registry.labelrules import PHASE_REQUIREMENTS, POLICY_SOURCE

# Decision dates of the certifications are generated, not the State's published dates.
PHASE_DECISIONS = {
    "I": date(2005, 7, 12), "II": date(2008, 12, 16), "III": date(2013, 1, 10),
    "IV": date(2019, 2, 5), "V": date(2023, 6, 15),
}
YEARS = range(2019, 2026)
AVERAGE_MEMBERS = 345


def add_phases(register: Register) -> None:
    """The five phases of the national policy (facts, shared with real data)."""
    for code, number, start, end in PHASES:
        required = PHASE_REQUIREMENTS.get(code, "")
        register.phases.append({"code": code, "number": number, "start_year": start, "end_year": end,
                                "required_label": required, "required_label_source": POLICY_SOURCE if required else ""})


def _mission(fact: ClusterFact, ref: Reference) -> dict[str, str]:
    """The mission by language: a published profile in its source's language (English), else French."""
    if fact.profile:
        return {"mission_en": (
            f"{fact.mission}\n\nProfile published by the cluster (AFPC). The members, projects and "
            f"figures of this register are generated {DEMO_NOTE}."
        )}
    themes = ", ".join(THEMES[t].label.lower() for t in fact.themes)
    regions = ", ".join(ref.regions[r] for r in fact.regions)
    return {"mission_fr": (
        f"{fact.name} est un pôle de compétitivité ({themes}) implanté en {regions}. Il réunit "
        f"entreprises, laboratoires et organismes de formation autour de projets collaboratifs "
        f"d'innovation. Texte, membres, projets et chiffres générés {DEMO_NOTE}."
    )}


def _union(fact: ClusterFact, attr: str, limit: int) -> list[str]:
    out: list[str] = []
    for theme in fact.themes:
        for item in getattr(THEMES[theme], attr):
            if item not in out:
                out.append(item)
    return out[:limit]


def add_clusters(register: Register, ref: Reference, rng: random.Random, today: date) -> None:
    """One row per cluster of facts.CLUSTERS with its links, contacts, certifications, labels."""
    missing = sorted({r for fact in CLUSTERS for r in fact.regions} - set(ref.regions))
    if missing:
        raise DemoError(
            f"regions {', '.join(missing)} are not in the reference data: run `poles load_reference` first"
        )
    for ix, fact in enumerate(CLUSTERS):
        office = ref.place_by_code.get(fact.head_office)
        if office is None:
            office = ref.places[fact.regions[0]].places[0]
        register.clusters.append({
            "name": fact.name, "short_name": fact.short_name, "slug": fact.slug,
            "website": fact.website, **_mission(fact, ref),
            "themes_fr": [THEMES[t].label for t in fact.themes],
            "technology_fields": list(fact.technology_fields) if fact.profile
            else _union(fact, "fields", 6),
            "industrial_sectors": list(fact.industrial_sectors) if fact.profile
            else _union(fact, "sectors", 4),
            "head_office_id": office.code, "status": "active", "founded": fact.founded,
            "countries_addressed": list(fact.countries) if fact.profile
            else sorted(rng.sample(COUNTRIES, rng.randint(2, 5))),
            "is_generated": True,
        })
        for region in fact.regions:
            register.cluster_regions.append({"cluster_ix": ix, "region_id": region})
        words = tuple(w for t in fact.themes for w in THEMES[t].ecosystems)
        for code in ref.ecosystem_codes(words)[:3]:
            register.cluster_ecosystems.append({"cluster_ix": ix, "ecosystem_id": code})
        _contact(register, ix, fact)
        for project in fact.eu_projects:
            register.eu_projects.append({
                "cluster_ix": ix, "name": project.name, "programme": project.programme,
                "ongoing": False,
            })
        _certifications(register, ix, fact, rng)
        _excellence_labels(register, ix, fact, rng, today)


def _contact(register: Register, ix: int, fact: ClusterFact) -> None:
    if fact.contact:
        c = fact.contact
        register.contacts.append({
            "cluster_ix": ix, "role": c.role, "name": c.name, "email": c.email, "phone": c.phone,
            "published": True,
        })
    else:
        register.contacts.append({
            "cluster_ix": ix, "role": "Contact Europe", "name": "Contact Europe",
            "email": f"europe@{fact.slug}.example.org", "phone": "", "published": True,
        })


def _certifications(register: Register, ix: int, fact: ClusterFact, rng: random.Random) -> None:
    for code, _number, start, end in PHASES:
        if fact.founded > end:
            continue
        decided = max(PHASE_DECISIONS[code], date(fact.founded, 12, 1) if fact.founded > start
                      else PHASE_DECISIONS[code])
        outcome, duration, conditions = "certified", 4, ""
        if code in {"IV", "V"} and rng.random() < (0.15 if code == "IV" else 0.1):
            outcome, duration = "conditional", 1 if code == "IV" else 2
            conditions = (f"Certification sous conditions : plan d'action sur la stratégie "
                          f"européenne et l'autonomie financière {DEMO_NOTE}.")
        register.certifications.append({
            "cluster_ix": ix, "phase_id": code, "decision_date": decided,
            "duration_years": duration, "conditions": conditions, "outcome": outcome,
        })


def _excellence_labels(register: Register, ix: int, fact: ClusterFact, rng: random.Random,
                       today: date) -> None:
    first = date(max(2013, fact.founded + 1), rng.randint(1, 12), rng.randint(1, 28))
    register.labels.append(_label(ix, "bronze", first))
    level = fact.label or rng.choices(("bronze", "silver", "gold"), (55, 30, 15))[0]
    awarded = today - timedelta(days=rng.randint(60, 600))
    register.labels.append(_label(ix, level, awarded))


def _label(ix: int, level: str, awarded: date) -> dict:
    return {
        "kind": "excellence", "name": "Cluster Management Excellence Label", "level": level,
        "issuer": "ESCA (European Secretariat for Cluster Analysis)", "awarded": awarded,
        "expires": awarded.replace(year=awarded.year + 2), "cluster_ix": ix,
        "organisation_ix": None,
    }


def add_cluster_years(register: Register, rng: random.Random, scale: float) -> None:
    """Staff and budget per cluster and year, fees from the memberships, ≥ 50 % private."""
    fees: dict[tuple[int, int], float] = defaultdict(float)
    members: dict[tuple[int, int], int] = defaultdict(int)
    for m in register.memberships:
        fees[m["cluster_ix"], m["year"]] += float(m["fee_invoiced"])
        if m["status"] == "member":
            members[m["cluster_ix"], m["year"]] += 1
    for ix in range(len(register.clusters)):
        size = max(members[ix, 2023], 1) / max(scale, 1e-9) / AVERAGE_MEMBERS
        staff = min(25.0, max(4.0, TEAM_FTE * size**0.4 * rng.uniform(0.85, 1.15)))
        international = rng.uniform(1.0, 3.0)
        for year in YEARS:
            if year <= 2022:
                international = min(8.0, international + rng.uniform(0.2, 0.8))
            total = BUDGET * size**0.5 * rng.uniform(0.9, 1.1)
            share = rng.uniform(0.52, 0.68)
            fee = fees[ix, year]
            private = total * share
            if fee > private:
                private = fee * rng.uniform(1.1, 1.4)
                total = private / share
            public = total - private
            parts = [rng.uniform(0.25, 0.35), rng.uniform(0.4, 0.5), rng.uniform(0.08, 0.15)]
            state, regions, other = (money(public * p) for p in parts)
            fee_d = money(fee)
            services = money(private) - fee_d
            eu = max(money(public) - state - regions - other, money(0))
            register.cluster_years.append({
                "cluster_ix": ix, "year": year, "staff_fte": Decimal(round(staff * 2)) / 2,
                "international_fte": Decimal(round(international * 2)) / 2,
                "budget_membership_fees": fee_d, "budget_services": services,
                "budget_state": state, "budget_regions": regions, "budget_other_public": other,
                "budget_eu": eu, "source": "demo",
            })
