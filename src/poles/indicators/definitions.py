"""Every indicator declared once, as data: code, labels, unit, formula, source, seed figure, target.

Pure module (no Django): the engine (`poles.indicators.engine`) computes the codes declared here,
the documentation (`docs/indicators.md`), the CLI, the API, the dashboards and the reports read
their labels, units and confidentiality from here. A code is stable: pages, reports and frozen
survey snapshots refer to it.

Conventions of the formulas (the engine follows them, the acceptance test re-computes them in
DuckDB from `poles export`):

- *year*: memberships and cluster years carry their year; a project counts in the year it
  started (`Project.start_date`), with all its fundings and outcomes (a project cohort);
- *scope*: the clusters of the nation, a region (a cluster in two regions counts in both), an
  ecosystem, a phase (clusters certified for it) or one cluster; an organisation or a project
  linked to several clusters of the scope counts once;
- *members*: distinct organisations with a membership of status `member` in the year.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Decimal


class Unit(enum.StrEnum):
    """How a value reads: a count, euros, a share (0–1), a ratio, full-time equivalents."""

    COUNT = "count"
    EUR = "eur"
    SHARE = "share"
    RATIO = "ratio"
    FTE = "fte"


class Source(enum.StrEnum):
    """Where the figures come from: the live register or the frozen (validated) yearly reports."""

    REGISTER = "register"
    REPORTS = "reports"


class Family(enum.StrEnum):
    """The register tables an indicator is computed from (one grouped query per family)."""

    CLUSTERS = "clusters"
    MEMBERS = "members"
    EMPLOYMENT = "employment"
    PROJECTS = "projects"
    FUNDING = "funding"
    BUDGET = "budget"


@dataclass(frozen=True)
class Target:
    """A programme target: the value must be at least (or at most) `value`."""

    value: Decimal
    at_least: bool = True
    label_fr: str = ""
    label_en: str = ""

    def met(self, value: Decimal | int | None) -> bool | None:
        """Whether a value meets the target (None when there is no value)."""
        if value is None:
            return None
        return value >= self.value if self.at_least else value <= self.value


@dataclass(frozen=True)
class Seed:
    """A published figure the indicator reproduces (seed documents in ../shared/seeds)."""

    value: Decimal
    text_fr: str
    text_en: str
    year: int | None = None
    reference: str = ""


@dataclass(frozen=True)
class Indicator:
    """One indicator: what it is, how it is computed, who may read it."""

    code: str
    label_fr: str
    label_en: str
    unit: Unit
    family: Family
    formula: str
    source: Source = Source.REGISTER
    confidential: bool = False
    seed: Seed | None = None
    target: Target | None = None
    higher_is_better: bool = True

    def label(self, lang: str = "fr") -> str:
        """The label in French (default) or English."""
        return self.label_en if lang.startswith("en") else self.label_fr


C, P = True, False  # confidential, public
U = Unit
F = Family

MEMBER_CATEGORIES: tuple[tuple[str, str, str], ...] = (
    # (category code, French, English): the size class for companies, else the organisation kind
    ("micro", "microentreprises (TPE)", "micro-enterprises"),
    ("small", "petites entreprises", "small enterprises"),
    ("medium", "moyennes entreprises", "medium-sized enterprises"),
    ("eti", "entreprises de taille intermédiaire (ETI)", "mid-caps (ETI)"),
    ("large", "grandes entreprises", "large companies"),
    ("unknown", "entreprises de taille inconnue", "companies of unknown size"),
    ("research", "organismes de recherche", "research organisations"),
    ("education", "enseignement supérieur et formation", "higher education and training"),
    ("tech_centre", "centres techniques", "technology centres"),
    ("public", "organismes publics", "public bodies"),
    ("association", "associations", "associations"),
    ("other", "autres organisations", "other organisations"),
)
COMPANY_SIZES = ("micro", "small", "medium", "eti", "large", "unknown")

FUNDERS: tuple[tuple[str, str, str], ...] = (
    ("fui", "FUI", "FUI"),
    ("anr", "ANR", "ANR"),
    ("bpifrance", "Bpifrance", "Bpifrance"),
    ("ademe", "ADEME", "ADEME"),
    ("cdc", "Caisse des Dépôts", "Caisse des Dépôts"),
    ("region", "régions", "regions"),
    ("local", "collectivités locales", "local authorities"),
    ("eu", "programmes de l'UE", "EU programmes"),
    ("france2030", "France 2030 / PIA", "France 2030 / PIA"),
    ("other", "autres financeurs", "other funders"),
)
INSTRUMENTS: tuple[tuple[str, str, str], ...] = (
    ("grant", "subventions", "grants"),
    ("advance", "avances remboursables", "repayable advances"),
    ("loan", "prêts", "loans"),
    ("equity", "fonds propres", "equity"),
)
PUBLIC_AID_INSTRUMENTS = ("grant", "advance")
PRIVATE_FUNDERS = ("other",)
FUNDED_STATUSES = ("funded", "running", "completed")
BUDGET_PARTS: tuple[tuple[str, str, str, bool], ...] = (
    # (ClusterYear field, French, English, private)
    ("budget_membership_fees", "cotisations des membres", "membership fees", True),
    ("budget_services", "prestations de services", "services sold", True),
    ("budget_state", "État", "State", False),
    ("budget_regions", "régions", "regions", False),
    ("budget_other_public", "autres financements publics", "other public funding", False),
    ("budget_eu", "Union européenne", "European Union", False),
)

def _category_indicators() -> list[Indicator]:
    out = []
    for code, fr, en in MEMBER_CATEGORIES:
        where = (f"kind = 'company' and size_category = '{code}'" if code in COMPANY_SIZES
                 else f"kind = '{code}'")
        out.append(Indicator(
            f"members_{code}", f"Membres : {fr}", f"Members: {en}", U.COUNT, F.MEMBERS,
            f"distinct member organisations of the year with {where}",
        ))
    return out


def _funder_indicators() -> list[Indicator]:
    return [
        Indicator(
            f"funding_{code}", f"Financements des projets : {fr}", f"Project funding: {en}",
            U.EUR, F.FUNDING,
            f"sum of Funding.amount with funder = '{code}' for the projects started in the year",
            confidential=C,
        )
        for code, fr, en in FUNDERS
    ]


def _instrument_indicators() -> list[Indicator]:
    return [
        Indicator(
            f"funding_{code}s" if code != "equity" else "funding_equity",
            f"Financements des projets : {fr}", f"Project funding: {en}", U.EUR, F.FUNDING,
            f"sum of Funding.amount with instrument = '{code}' for the projects started in the year",
            confidential=C,
        )
        for code, fr, en in INSTRUMENTS
    ]


def _budget_indicators() -> list[Indicator]:
    return [
        Indicator(
            field, f"Budget du pôle : {fr}", f"Cluster budget: {en}", U.EUR, F.BUDGET,
            f"sum of ClusterYear.{field} of the year", confidential=C,
        )
        for field, fr, en, _private in BUDGET_PARTS
    ]


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "clusters", "Pôles", "Clusters", U.COUNT, F.CLUSTERS,
        "clusters of the scope with at least one member in the year",
        seed=Seed(Decimal(55), "55 pôles de compétitivité en 2023 (graine 001).",
                  "55 clusters in 2023 (seed 001).", 2023, "seed 001"),
    ),
    Indicator(
        "members", "Membres", "Members", U.COUNT, F.MEMBERS,
        "distinct organisations with a Membership of status 'member' in the year",
    ),
    Indicator(
        "memberships", "Adhésions", "Memberships", U.COUNT, F.MEMBERS,
        "Membership rows of status 'member' in the year (an organisation in two clusters counts twice)",
        seed=Seed(Decimal(18000), "Plus de 18 000 membres en 2023, comptés par pôle (graine 001).",
                  "More than 18,000 members in 2023, counted per cluster (seed 001).", 2023, "seed 001"),
    ),
    Indicator(
        "members_new", "Nouveaux membres", "New members", U.COUNT, F.MEMBERS,
        "members of the year that were members of none of the scope's clusters the year before",
    ),
    Indicator(
        "members_leaving", "Membres sortants", "Leaving members", U.COUNT, F.MEMBERS,
        "members of the year before that are members of none of the scope's clusters in the year",
        higher_is_better=False,
    ),
    *_category_indicators(),
    Indicator(
        "members_sme", "Membres PME (hors TPE)", "SME members (excluding micro)", U.COUNT, F.MEMBERS,
        "members_small + members_medium",
    ),
    Indicator(
        "members_eti_large", "Membres ETI et grandes entreprises", "Mid-cap and large members",
        U.COUNT, F.MEMBERS, "members_eti + members_large",
    ),
    Indicator(
        "share_micro", "Part des TPE parmi les membres", "Share of micro-enterprises among members",
        U.SHARE, F.MEMBERS, "members_micro / members",
        seed=Seed(Decimal("0.31"), "31 % de très petites entreprises en 2023 (graine 001).",
                  "31% very small businesses in 2023 (seed 001).", 2023, "seed 001"),
    ),
    Indicator(
        "share_sme", "Part des PME (hors TPE) parmi les membres", "Share of SMEs (excluding micro) among members",
        U.SHARE, F.MEMBERS, "(members_small + members_medium) / members",
        seed=Seed(Decimal("0.31"), "31 % de PME en 2023 (graine 001).", "31% SMEs in 2023 (seed 001).",
                  2023, "seed 001"),
    ),
    Indicator(
        "share_research", "Part des organismes de recherche parmi les membres",
        "Share of research organisations among members", U.SHARE, F.MEMBERS,
        "members_research / members",
        seed=Seed(Decimal("0.08"), "8 % d'organismes de recherche en 2023 (graine 001).",
                  "8% research organisations in 2023 (seed 001).", 2023, "seed 001"),
    ),
    Indicator(
        "share_eti_large", "Part des ETI et grandes entreprises parmi les membres",
        "Share of mid-caps and large companies among members", U.SHARE, F.MEMBERS,
        "(members_eti + members_large) / members",
        seed=Seed(Decimal("0.18"), "18 % d'ETI et de grandes entreprises en 2023 (graine 001).",
                  "18% intermediate and large companies in 2023 (seed 001).", 2023, "seed 001"),
    ),
    Indicator(
        "fees_invoiced", "Cotisations facturées", "Membership fees invoiced", U.EUR, F.MEMBERS,
        "sum of Membership.fee_invoiced of the year (every status)", confidential=C,
    ),
    Indicator(
        "fees_paid", "Cotisations payées", "Membership fees paid", U.EUR, F.MEMBERS,
        "sum of Membership.fee_paid of the year (every status)", confidential=C,
    ),
    Indicator(
        "member_employment", "Emploi des membres", "Member employment", U.FTE, F.EMPLOYMENT,
        "sum over the year's distinct members of their latest known OrganisationFigures.staff",
    ),
    Indicator(
        "projects", "Projets", "Projects", U.COUNT, F.PROJECTS,
        "distinct projects linked to the scope's clusters (labelled or accompanied) started in the year",
    ),
    Indicator(
        "projects_labelled", "Projets labellisés", "Projects labelled", U.COUNT, F.PROJECTS,
        "distinct projects started in the year that a cluster of the scope labelled (role 'labelled')",
    ),
    Indicator(
        "projects_submitted", "Projets déposés", "Projects submitted", U.COUNT, F.PROJECTS,
        "projects started in the year with status 'submitted'",
    ),
    Indicator(
        "projects_funded", "Projets financés", "Projects funded", U.COUNT, F.PROJECTS,
        "projects started in the year with status funded, running or completed",
    ),
    Indicator(
        "projects_completed", "Projets terminés", "Projects completed", U.COUNT, F.PROJECTS,
        "projects started in the year with status 'completed'",
    ),
    Indicator(
        "projects_total_cost", "Coût total des projets", "Total cost of projects", U.EUR, F.PROJECTS,
        "sum of Project.total_cost of the projects started in the year", confidential=C,
    ),
    Indicator(
        "rd_expenditure", "Dépenses de R&D des projets", "R&D expenditure of projects", U.EUR, F.PROJECTS,
        "sum of Project.rd_expenditure of the projects started in the year", confidential=C,
    ),
    Indicator(
        "products_to_market", "Produits mis sur le marché", "Products brought to market", U.COUNT,
        F.PROJECTS, "sum of Project.products_to_market of the projects started in the year",
    ),
    Indicator(
        "patents", "Brevets", "Patents", U.COUNT, F.PROJECTS,
        "sum of Project.patents of the projects started in the year",
    ),
    Indicator(
        "jobs_created", "Emplois créés", "Jobs created", U.COUNT, F.PROJECTS,
        "sum of Project.jobs_created of the projects started in the year",
    ),
    Indicator(
        "funding_total", "Financements des projets", "Project funding", U.EUR, F.FUNDING,
        "sum of Funding.amount of the projects started in the year", confidential=C,
    ),
    *_funder_indicators(),
    *_instrument_indicators(),
    Indicator(
        "public_aid", "Aides publiques aux projets", "Public aid to projects", U.EUR, F.FUNDING,
        "sum of Funding.amount with instrument grant or advance and a public funder (not 'other') "
        "for the projects started in the year", confidential=C,
    ),
    Indicator(
        "leverage", "Effet de levier (€ de R&D par € d'aide publique)",
        "Leverage (R&D euros per euro of public aid)", U.RATIO, F.FUNDING,
        "sum of Project.rd_expenditure / sum of public_aid, over the projects started in the year "
        "that received public aid",
        seed=Seed(Decimal("2.5"), "1 € d'aide publique pour 2 à 2,5 € de R&D (phases II à IV, graine 001).",
                  "€1 of public aid for €2 to €2.5 of R&D (phases II to IV, seed 001).", None, "seed 001"),
        target=Target(Decimal(2), label_fr="au moins 2 € de R&D par € d'aide",
                      label_en="at least €2 of R&D per euro of aid"),
    ),
    Indicator(
        "eu_projects", "Projets européens", "European projects", U.COUNT, F.FUNDING,
        "distinct projects started in the year with at least one Funding of funder 'eu'",
        seed=Seed(Decimal(1000), "Environ 1 000 projets accompagnés au niveau européen depuis 2019 "
                  "(graine 001 ; somme de la série 2019–2023).",
                  "About 1,000 projects accompanied at European level since 2019 (seed 001; sum of "
                  "the 2019–2023 series).", None, "seed 001"),
    ),
    Indicator(
        "eu_funding", "Financements européens des projets", "EU funding of projects", U.EUR, F.FUNDING,
        "sum of Funding.amount with funder 'eu' for the projects started in the year", confidential=C,
    ),
    Indicator(
        "staff_fte", "Équipe du pôle (ETP)", "Cluster staff (FTE)", U.FTE, F.BUDGET,
        "sum of ClusterYear.staff_fte of the year",
    ),
    Indicator(
        "international_fte", "Équipe européenne et internationale (ETP)",
        "European and international staff (FTE)", U.FTE, F.BUDGET,
        "sum of ClusterYear.international_fte of the year",
        seed=Seed(Decimal(1), "1 à 8 ETP dédiés à l'Europe et à l'international par pôle (graine 001).",
                  "1 to 8 FTE dedicated to European and international development per cluster (seed 001).",
                  None, "seed 001"),
    ),
    *_budget_indicators(),
    Indicator(
        "budget_total", "Budget du pôle", "Cluster budget", U.EUR, F.BUDGET,
        "sum of the six budget parts of ClusterYear of the year", confidential=C,
    ),
    Indicator(
        "budget_private", "Financement privé du pôle", "Private funding of the cluster", U.EUR, F.BUDGET,
        "sum of ClusterYear.budget_membership_fees + budget_services of the year", confidential=C,
    ),
    Indicator(
        "private_share", "Part de financement privé du budget", "Private share of the cluster budget",
        U.SHARE, F.BUDGET, "budget_private / budget_total", confidential=C,
        seed=Seed(Decimal("0.5"), "Au moins 50 % de financement privé (graine 001).",
                  "At least 50% private funding (seed 001).", 2023, "seed 001"),
        target=Target(Decimal("0.5"), label_fr="au moins 50 %", label_en="at least 50%"),
    ),
)

BY_CODE: dict[str, Indicator] = {i.code: i for i in INDICATORS}
CODES: tuple[str, ...] = tuple(BY_CODE)


class UnknownIndicator(ValueError):
    """An indicator code that is not declared."""


def get(code: str) -> Indicator:
    """The indicator declared under `code` (UnknownIndicator names the known codes)."""
    try:
        return BY_CODE[code]
    except KeyError:
        raise UnknownIndicator(
            f"codes: expected declared indicator codes (e.g. {', '.join(CODES[:4])}…), found {code!r}"
        ) from None


def select(codes: list[str] | tuple[str, ...] | None) -> tuple[Indicator, ...]:
    """The indicators for these codes in declaration order (all when None)."""
    if codes is None:
        return INDICATORS
    wanted = {get(code).code for code in codes}
    return tuple(i for i in INDICATORS if i.code in wanted)
