"""Calls for projects, projects with consortia, cluster labels, fundings and outcomes (2013–2026)."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from poles.demo.facts import CLUSTERS, DEMO_NOTE, JOBS_PER_SME, PROJECTS, RD_PER_AID
from poles.demo.reference import Reference
from poles.demo.rows import Register, money
from poles.demo.vocab import ACRONYM_SYLLABLES, THEMES

FIRST_YEAR, LAST_YEAR = 2013, 2026


@dataclass(frozen=True)
class Series:
    """A recurring call: who funds it, its years, when it opens and closes, its budget."""

    key: str
    funder: str
    programme: str
    title: str
    first: int
    last: int
    opens: tuple[int, int]  # month, day
    closes: tuple[int, int]
    budget: tuple[float, float]


SERIES: tuple[Series, ...] = (
    Series("fui", "fui", "Fonds unique interministériel", "FUI — appel à projets R&D {n}",
           2013, 2018, (1, 15), (3, 20), (60e6, 90e6)),
    Series("pspc-regions", "bpifrance", "PSPC-Régions", "PSPC-Régions — projets structurants {y}",
           2019, 2026, (2, 1), (5, 30), (20e6, 40e6)),
    Series("anr-aapg", "anr", "ANR AAPG", "ANR — appel à projets générique {y}",
           2013, 2027, (7, 10), (10, 25), (400e6, 600e6)),
    Series("h2020", "eu", "Horizon 2020", "Horizon 2020 — Industrial Leadership {y}",
           2014, 2020, (3, 1), (9, 15), (200e6, 500e6)),
    Series("horizon-europe", "eu", "Horizon Europe", "Horizon Europe — Cluster 4 Digital, Industry and Space {y}",
           2021, 2027, (5, 10), (9, 20), (300e6, 600e6)),
    Series("pia", "france2030", "PIA", "PIA — projets de R&D structurants {y}",
           2013, 2020, (4, 1), (7, 15), (50e6, 150e6)),
    Series("france2030", "france2030", "France 2030", "France 2030 — i-Démo {y}",
           2021, 2027, (3, 1), (6, 30), (100e6, 300e6)),
    Series("inov", "bpifrance", "Concours d'innovation i-Nov", "Concours i-Nov — vague {y}",
           2017, 2027, (4, 1), (6, 15), (30e6, 60e6)),
    Series("ademe", "ademe", "ADEME", "ADEME — transition écologique de l'industrie {y}",
           2013, 2027, (2, 15), (5, 15), (20e6, 60e6)),
    Series("region", "region", "Région", "{region} — appel à projets innovation {y}",
           2013, 2027, (9, 1), (10, 31), (3e6, 12e6)),
)
ENERGY_THEMES = {"energy", "environment", "city", "nuclear", "chemistry", "wood"}
KIND_WEIGHTS = (("rd", 70), ("platform", 7), ("structuring", 8), ("collective", 15))
RD_SIZE = {"rd": (2.8e6, 0.6, 4e5, 2e7), "platform": (6e6, 0.5, 1e6, 3e7),
           "structuring": (1.2e7, 0.6, 2e6, 8e7), "collective": (2.5e5, 0.5, 5e4, 1.5e6)}
KIND_LABELS = {"rd": "de R&D collaborative", "platform": "de plateforme d'innovation",
               "structuring": "structurant", "collective": "d'action collective"}
CONSORTIUM_SIZES = ((2, 8), (3, 15), (4, 18), (5, 17), (6, 13), (7, 10), (8, 8), (9, 6), (10, 5))
COORDINATOR_ORDER = ("eti", "large", "medium", "small", "micro")


def _edition_dates(series: Series, year: int, today: date, rng: random.Random) -> tuple[date, date]:
    if year > today.year:  # next year's edition is open now
        return today - timedelta(days=rng.randint(10, 80)), today + timedelta(days=rng.randint(20, 150))
    opens = date(year, *series.opens)
    closes = date(year, *series.closes)
    return opens, closes


def add_calls(register: Register, ref: Reference, rng: random.Random, today: date) -> dict:
    """Every edition of every series; returns {(series key, region or "", year): call index}."""
    index: dict[tuple[str, str, int], int] = {}
    regions = sorted({r for fact in CLUSTERS for r in fact.regions})
    for series in SERIES:
        for year in range(series.first, min(series.last, today.year + 1) + 1):
            for region in regions if series.key == "region" else [""]:
                opens, closes = _edition_dates(series, year, today, rng)
                n = 15 + 2 * (year - 2013) if series.key == "fui" else year
                title = series.title.format(y=year, n=n, region=ref.regions.get(region, ""))
                code = f"demo:{series.key}{'-' + region if region else ''}-{year}"
                index[series.key, region, year] = len(register.calls)
                register.calls.append({
                    "code": code, "funder": series.funder, "programme": series.programme,
                    "title": title,
                    "description": f"Appel à projets dont dates et budget sont générés {DEMO_NOTE}.",
                    "opens": opens, "closes": closes,
                    "budget": money(round(rng.uniform(*series.budget), -5)), "source": "demo",
                    "is_generated": True,
                })
    return index


def _members_by_cluster_year(register: Register) -> tuple[dict, dict]:
    by_year: dict[tuple[int, int], list[int]] = {}
    anyone: dict[int, list[int]] = {}
    for m in register.memberships:
        if m["status"] == "member":
            by_year.setdefault((m["cluster_ix"], m["year"]), []).append(m["organisation_ix"])
        anyone.setdefault(m["cluster_ix"], [])
        if not anyone[m["cluster_ix"]] or anyone[m["cluster_ix"]][-1] != m["organisation_ix"]:
            anyone[m["cluster_ix"]].append(m["organisation_ix"])
    return by_year, {c: sorted(set(orgs)) for c, orgs in anyone.items()}


class Acronyms:
    def __init__(self, rng: random.Random) -> None:
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            acronym = "".join(self.rng.choices(ACRONYM_SYLLABLES, k=self.rng.randint(2, 3)))
            if self.rng.random() < 0.15:
                acronym += str(self.rng.randint(2, 9))
            if acronym not in self.used:
                self.used.add(acronym)
                return acronym


def _consortium(rng: random.Random, pool: list[int], kind: str, orgs: list[dict],
                everyone: int) -> tuple[list[int], int]:
    size = rng.choices([s for s, _ in CONSORTIUM_SIZES], [w for _, w in CONSORTIUM_SIZES])[0]
    if len(pool) < 2:
        pool = list(range(everyone))
    chosen = rng.sample(pool, min(size, len(pool)))
    if kind == "rd" and not any(orgs[o]["kind"] == "research" for o in chosen) and rng.random() < 0.75:
        labs = [o for o in pool if orgs[o]["kind"] == "research" and o not in chosen]
        if labs and len(chosen) > 2:
            chosen[-1] = rng.choice(labs)
    if kind == "collective":
        wanted = [o for o in chosen if orgs[o]["kind"] in {"association", "public", "tech_centre"}]
    else:
        wanted = []
        for category in COORDINATOR_ORDER:
            wanted = [o for o in chosen if orgs[o]["_category"] == category]
            if wanted and rng.random() < 0.7:
                break
    coordinator = rng.choice(wanted or chosen)
    return chosen, coordinator


def _fundings(rng: random.Random, kind: str, year: int, theme: str, region: str
              ) -> list[tuple[str, str, str, float, str]]:
    """(series key, funder, instrument, share of the aid, region) for one project."""
    if kind == "collective":
        return [("region", "region", "grant", 0.7, region), ("", "local", "grant", 0.3, "")]
    if kind in {"platform", "structuring"}:
        key = "pia" if year <= 2020 else "france2030"
        if kind == "structuring":
            return [(key, "france2030", "grant", 0.5, ""), (key, "france2030", "advance", 0.5, "")]
        return [(key, "france2030", "grant", 0.7, ""), ("region", "region", "grant", 0.3, region)]
    if year <= 2018:
        pick = rng.choices(("fui", "anr", "eu", "ademe"), (60, 20, 12, 8))[0]
    else:
        pick = rng.choices(("pspc", "anr", "eu", "f2030", "ademe", "inov"), (35, 20, 20, 12, 6, 7))[0]
    if pick == "ademe" and theme not in ENERGY_THEMES:
        pick = "anr"
    if pick == "fui":
        return [("fui", "fui", "grant", 0.65, ""), ("region", "region", "grant", 0.35, region)]
    if pick == "pspc":
        return [("pspc-regions", "bpifrance", "advance", 0.5, ""),
                ("region", "region", "grant", 0.5, region)]
    if pick == "eu":
        return [("h2020" if year <= 2020 else "horizon-europe", "eu", "grant", 1.0, "")]
    if pick == "f2030":
        return [("pia" if year <= 2020 else "france2030", "france2030", "grant", 1.0, "")]
    if pick == "inov":
        return [("inov", "bpifrance", "grant", 0.6, ""), ("inov", "bpifrance", "advance", 0.4, "")]
    return [("anr-aapg" if pick == "anr" else "ademe", pick, "grant", 1.0, "")]


FUNDER_DETAIL = {"h2020": "Horizon 2020", "horizon-europe": "Horizon Europe", "pia": "PIA",
                 "france2030": "France 2030", "pspc-regions": "PSPC-Régions",
                 "inov": "i-Nov", "anr-aapg": "AAPG", "ademe": "", "fui": "FUI"}


def _split(total: int, weights: list[float]) -> list[int]:
    """Integer parts of `total` in proportion to weights, summing exactly to it."""
    scale = sum(weights)
    parts = [int(total * w / scale) for w in weights]
    parts[0] += total - sum(parts)
    return parts


def add_projects(register: Register, ref: Reference, rng: random.Random, scale: float,
                 today: date, calls: dict) -> None:
    """Projects with clusters, consortium, budgets, aid, fundings, call and outcomes."""
    orgs = register.organisations
    by_year, anyone = _members_by_cluster_year(register)
    weights = [len(anyone.get(ix, [])) + 1 for ix in range(len(CLUSTERS))]
    acronym = Acronyms(rng)
    n_projects = max(10, round(PROJECTS * scale))
    for p_ix in range(n_projects):
        lead = rng.choices(range(len(CLUSTERS)), weights)[0]
        fact = CLUSTERS[lead]
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        start = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        kind = rng.choices([k for k, _ in KIND_WEIGHTS], [w for _, w in KIND_WEIGHTS])[0]
        months = {"rd": (24, 48), "platform": (36, 60), "structuring": (36, 60),
                  "collective": (12, 24)}[kind]
        end = start + timedelta(days=30 * rng.randint(*months))
        pool = by_year.get((lead, min(max(year, 2019), 2025))) or anyone.get(lead, [])
        chosen, coordinator = _consortium(rng, pool, kind, orgs, len(orgs))
        median, sigma, low, high = RD_SIZE[kind]
        rd = min(high, max(low, median * math.exp(rng.gauss(0, sigma))))
        rd = round(rd, -3)
        aid = round(rd / rng.uniform(RD_PER_AID - 0.3, RD_PER_AID + 0.3), -2)
        status = _status(rng, start, end, today)
        funded = status in {"funded", "running", "completed"}
        theme = fact.themes[0] if rng.random() < 0.7 else rng.choice(fact.themes)
        region = fact.regions[0]
        plan = _fundings(rng, kind, year, theme, region)
        call_ix = _call_for(register, calls, plan[0], start)
        coordinator_name = orgs[coordinator]["name"]
        t = THEMES[theme]
        register.projects.append({
            "key": f"demo:project:{p_ix + 1:05d}", "acronym": acronym(),
            "title": f"{rng.choice(t.techs)} pour {rng.choice(t.uses)}",
            "summary": (f"Projet {KIND_LABELS[kind]} coordonné par {coordinator_name} avec "
                        f"{len(chosen) - 1} partenaire(s), labellisé par {fact.name}. "
                        f"Projet fictif {DEMO_NOTE}."),
            "kind": kind, "status": status, "start_date": start, "end_date": end,
            "total_cost": money(round(rd * rng.uniform(1.02, 1.25), -3)),
            "rd_expenditure": money(rd),
            "researchers": max(1, round(rd / rng.uniform(250e3, 450e3))),
            "call_ix": call_ix, "programme": register.calls[call_ix]["programme"] if call_ix is not None else "",
            **_outcomes(rng, status, kind, chosen, orgs),
            "is_public": rng.random() < 0.88, "source": "demo", "is_generated": True,
        })
        _clusters(register, rng, p_ix, lead, year, weights)
        _participations(register, rng, p_ix, chosen, coordinator, rd, aid if funded else None)
        if funded:
            _add_fundings(register, rng, p_ix, plan, aid, start, kind, status, coordinator, orgs,
                          ref)


def _status(rng: random.Random, start: date, end: date, today: date) -> str:
    if start > today:
        return rng.choices(("idea", "submitted", "labelled"), (30, 35, 35))[0]
    draw = rng.random()
    if draw < 0.05:
        return "abandoned"
    if draw < 0.13:
        return "labelled"  # labelled by a cluster, never funded
    if end < today:
        return "completed"
    return "funded" if (today - start).days < 90 else "running"


def _call_for(register: Register, calls: dict, first: tuple, start: date) -> int | None:
    """The latest edition of the main funder's call that closed before the project started."""
    key, _funder, _instrument, _share, region = first
    for edition in (start.year, start.year - 1, start.year - 2):
        ix = calls.get((key, region, edition))
        if ix is not None and register.calls[ix]["closes"] < start:
            return ix
    return None


def _outcomes(rng: random.Random, status: str, kind: str, chosen: list[int], orgs: list[dict]
              ) -> dict:
    if status != "completed":
        return {"products_to_market": None, "patents": None, "jobs_created": None}
    smes = sum(1 for o in chosen if orgs[o]["_category"] in {"micro", "small", "medium"})
    rd = kind != "collective"
    return {
        "products_to_market": rng.choice((0, 0, 1, 1, 1, 2, 3)) if rd else 0,
        "patents": rng.choice((0, 0, 1, 1, 2, 3)) if rd else 0,
        "jobs_created": round(JOBS_PER_SME * smes * rng.uniform(0.6, 1.4)),
    }


def _clusters(register: Register, rng: random.Random, p_ix: int, lead: int, year: int,
              weights: list[int]) -> None:
    links = [lead]
    extra = rng.choices((0, 1, 2), (65, 25, 10))[0]
    for _ in range(extra):
        other = rng.choices(range(len(CLUSTERS)), weights)[0]
        if other not in links:
            links.append(other)
    for n, cluster_ix in enumerate(links):
        role = "labelled" if n == 0 or rng.random() < 0.5 else "accompanied"
        register.project_clusters.append(
            {"project_ix": p_ix, "cluster_ix": cluster_ix, "role": role, "year": year}
        )


def _participations(register: Register, rng: random.Random, p_ix: int, chosen: list[int],
                    coordinator: int, rd: float, aid: float | None) -> None:
    weights = [rng.gammavariate(2.0, 1.0) * (1.6 if o == coordinator else 1.0) for o in chosen]
    budgets = _split(int(rd), weights)
    rates = [1.0 if register.organisations[o]["kind"] != "company" else
             {"micro": 0.9, "small": 0.9, "medium": 0.8, "eti": 0.6, "large": 0.5}[
                 register.organisations[o]["_category"]] for o in chosen]
    aids = _split(int(aid), [b * r for b, r in zip(budgets, rates, strict=True)]) if aid else None
    for n, org_ix in enumerate(chosen):
        register.participations.append({
            "project_ix": p_ix, "organisation_ix": org_ix,
            "role": "coordinator" if org_ix == coordinator else "partner",
            "budget": money(budgets[n]), "aid": money(aids[n]) if aids else None,
            "source": "demo",
        })


def _add_fundings(register: Register, rng: random.Random, p_ix: int, plan: list, aid: float,
                  start: date, kind: str, status: str, coordinator: int, orgs: list[dict],
                  ref: Reference) -> None:
    amounts = _split(int(aid), [share for *_, share, _region in plan])
    decided = start - timedelta(days=rng.randint(20, 120))
    for (key, funder, instrument, _share, region), amount in zip(plan, amounts, strict=True):
        detail = ref.regions.get(region, "") if funder == "region" else FUNDER_DETAIL.get(key, "")
        if funder == "local":
            detail = f"Métropole / département — {orgs[coordinator]['city']}"
        register.fundings.append({
            "project_ix": p_ix, "funder": funder, "funder_detail": detail,
            "instrument": instrument, "amount": money(amount), "date": decided,
            "year": decided.year, "source": "demo",
        })
    smes = {"micro", "small", "medium", "eti"}
    if (kind == "rd" and status == "completed" and orgs[coordinator]["_category"] in smes
            and rng.random() < 0.12):  # industrialisation loan on top of the aid
        loan_date = start + timedelta(days=rng.randint(400, 900))
        register.fundings.append({
            "project_ix": p_ix, "funder": "bpifrance",
            "funder_detail": "Prêt d'industrialisation (PIPC)" if start.year <= 2018
            else "Prêt d'amorçage investissement",
            "instrument": "loan", "amount": money(round(aid * rng.uniform(0.3, 0.8), -3)),
            "date": loan_date, "year": loan_date.year,
            "source": "demo",
        })
