"""What the demo register takes as given: the seeds' facts and the clusters' public identity.

Facts from the seed documents (../shared/seeds/): the cluster names (AFPC list, seed 003), the
Aerospace Valley and SAFE Cluster profiles (seed 003), the phases and the 2023 member mix
(seed 001), the ≈ 8 FTE / €1.3m cluster team and budget and the R&D leverage ratios (seeds 001,
003). Regions and head offices of the other clusters come from public knowledge, not the seeds;
seed 003 names 52 clusters, so three other certified clusters complete the 55.
"""

from __future__ import annotations

from dataclasses import dataclass

DEMO_NOTE = "(données de démonstration / demo data)"

# Regions by INSEE code (the 18 current regions).
IDF, CVL, BFC, NOR, HDF, GES, PDL, BRE, NAQ, OCC, ARA, PAC = (
    "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93",
)

PHASES: tuple[tuple[str, int, int, int], ...] = (
    ("I", 1, 2005, 2008),
    ("II", 2, 2009, 2012),
    ("III", 3, 2013, 2018),
    ("IV", 4, 2019, 2022),
    ("V", 5, 2023, 2026),
)

# Seed 001, ANCT 2023: 31 % very small businesses, 31 % SMEs, 8 % research organisations,
# 18 % intermediate and large companies; the remaining 12 % are split here among the other kinds.
MEMBER_MIX: tuple[tuple[str, float], ...] = (
    ("micro", 0.31),
    ("small", 0.20),
    ("medium", 0.11),
    ("eti", 0.13),
    ("large", 0.05),
    ("research", 0.08),
    ("education", 0.04),
    ("tech_centre", 0.03),
    ("public", 0.025),
    ("association", 0.025),
)

MEMBERS_2023 = 19_000  # memberships in 2023 ("more than 18 000 members", seed 001)
ORGANISATIONS = 18_000
PROJECTS = 2_000
RD_PER_AID = 2.5  # phase III onwards: 1 € of public aid for 2.5 € of R&D (seed 001)
JOBS_PER_SME = 1.5  # phase III: 1.5 FTE per SME (seed 001)
TEAM_FTE = 8.0  # seed 003 (2011)
BUDGET = 1_300_000  # seed 003 (2011), EUR


@dataclass(frozen=True)
class EUProject:
    name: str
    programme: str


@dataclass(frozen=True)
class Contact:
    role: str
    name: str
    email: str
    phone: str


@dataclass(frozen=True)
class ClusterFact:
    """A cluster's identity; `profile` is True for the two seed profiles, taken as published."""

    name: str
    short_name: str
    slug: str
    regions: tuple[str, ...]
    head_office: str  # INSEE commune code
    themes: tuple[str, ...]  # keys of poles.demo.vocab.THEMES, main theme first
    founded: int = 2005
    members_2023: int | None = None
    label: str | None = None
    profile: bool = False
    website: str = ""
    mission: str = ""
    industrial_sectors: tuple[str, ...] = ()
    technology_fields: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    eu_projects: tuple[EUProject, ...] = ()
    contact: Contact | None = None
    in_seed_list: bool = True


AEROSPACE_VALLEY_MISSION = (
    "Created in 2005, with today 854 members from both industry and academia, Aerospace Valley is "
    "the most significant innovation “pôle de compétitivité” in France in the field of aeronautics, "
    "space and embedded systems. With offices in Toulouse (HQ) and Bordeaux, the cluster covers the "
    "two geographically adjacent regions of South-West France, Midi-Pyrénées and Aquitaine. With "
    "124,000 industrial employees, Aerospace Valley represents around 1/3 of the French aerospace "
    "workforce. Similarly, 8,500 researchers and scientists are active within the Aerospace Valley "
    "territory, thus representing 45% of French national R&D potential in the aerospace sector. As "
    "of October 2015, Aerospace Valley has obtained funding for 450 R&D projects representing an "
    "accumulated value of 1.1 billion Euro covering most scientific and technical fields related to "
    "the sectors of aerospace."
)

SAFE_MISSION = (
    "Born in December 2015, SAFE Cluster (Security and Aerospace actors for the Future of Earth) is "
    "the first French competitiveness hubs focusing on global security. SAFE Cluster is a French "
    "Competitiveness Cluster, which provide support for growth by innovation. Its main expertise "
    "concerns the use of aeronautic and space technologies for security and defence applications. "
    "It represents 450 members, from the three pillars, industry, academia, and practitioners. SAFE "
    "is member of the European Alliance for Security Cluster and the European Aerospace Cluster "
    "Partnership. It aims to become the leading specialised European network in innovative security "
    "solutions. To this end, SAFE is supported by the networks, expertise and equipment of its two "
    "founding hubs."
)

AEROSPACE_VALLEY = ClusterFact(
    name="Aerospace Valley", short_name="Aerospace Valley", slug="aerospace-valley",
    regions=(NAQ, OCC), head_office="31555", themes=("aerospace", "digital"), founded=2005,
    members_2023=854, label="gold", profile=True, website="https://www.aerospace-valley.com/en",
    mission=AEROSPACE_VALLEY_MISSION,
    industrial_sectors=(
        "Aerospace Vehicles and Defense", "Information Technology and Analytical Instruments",
    ),
    technology_fields=(
        "Augmented reality", "Big data", "Smart Cities", "Smart Systems", "Factory of the Future",
        "Intelligent Transport System", "Urban Mobility", "Green Vehicle", "Safety & Security",
        "E Health", "Equipment for Healthcare", "Aerospace", "Photonique",
    ),
    countries=("DE", "GR", "IT", "PL", "ES"),
    eu_projects=(
        EUProject("Jupiter", "H2020"), EUProject("Abroad", "COSME"),
        EUProject("Space2ID", "COSME"), EUProject("RueAero", "COSME"),
        EUProject("FabSpace 2.0", "H2020"), EUProject("Cosmos 2020", "H2020"),
        EUProject("ESA-GDC", "ESA"), EUProject("VIP4SME", "H2020"),
        EUProject("Mathisis", "H2020"), EUProject("Perseus", "FP7"),
        EUProject("Capadoccia", "FP7"),
    ),
    contact=Contact(
        "European Manager", "Fabienne DAVERAN", "daveran@aerospace-valley.com",
        "+33 (0)5 61 14 80 37",
    ),
)

SAFE = ClusterFact(
    name="Safe", short_name="SAFE Cluster", slug="safe",
    regions=(PAC,), head_office="13001", themes=("security", "aerospace"), founded=2015,
    members_2023=450, label="bronze", profile=True, website="https://www.safecluster.com",
    mission=SAFE_MISSION,
    industrial_sectors=(
        "Aerospace Vehicles and Defense", "Environmental Services", "Digital Industries",
        "Environmental Industries",
    ),
    eu_projects=(
        EUProject("DRIVER : Driving Innovation in Crisis Management for European Resilience", "FP7"),
        EUProject("BEAWARE : Bridging East West for Aerospace Research", "FP7"),
        EUProject("RAWFIE : Road-, Air- and Water- based Future Internet Experimentation", "H2020"),
        EUProject("RUE AERO : Reaching Up to Excellence in Aerospace Cluster Management", "COSME"),
    ),
    contact=Contact(
        "European Manager", "Géraud PARJADIS", "geraud.parjadis@safecluster.com",
        "+33 (0)4 42 12 30 50",
    ),
)


def _c(name: str, slug: str, regions: tuple[str, ...], office: str, *themes: str,
       short: str = "", founded: int = 2005, listed: bool = True) -> ClusterFact:
    return ClusterFact(
        name=name, short_name=short or name, slug=slug, regions=regions, head_office=office,
        themes=themes, founded=founded, in_seed_list=listed,
    )


CLUSTERS: tuple[ClusterFact, ...] = (
    _c("Advancity", "advancity", (IDF,), "77083", "city", "transport"),
    AEROSPACE_VALLEY,
    _c("Agri Sud Ouest Innovation", "agri-sud-ouest-innovation", (OCC, NAQ), "31035", "agri", "agrifood"),
    _c("Alsace Biovalley", "alsace-biovalley", (GES,), "67218", "health"),
    _c("Aquimer", "aquimer", (HDF,), "62160", "seafood", "agrifood"),
    _c("Astech Paris-Region", "astech", (IDF,), "75056", "aerospace", "mechanics", short="Astech"),
    _c("Atlanpole Biotherapies", "atlanpole-biotherapies", (PDL, BRE, CVL), "44109", "health"),
    _c("Axelera", "axelera", (ARA,), "69123", "chemistry", "environment"),
    _c("Cap Digital", "cap-digital", (IDF,), "75056", "creative", "digital"),
    _c("Céréales Vallée", "cereales-vallee", (ARA,), "63113", "cereals", "agri"),
    _c("Elastopôle", "elastopole", (CVL, PDL, IDF), "45234", "rubber", "materials"),
    _c("Emc2", "emc2", (PDL, BRE), "44020", "mechanics", "materials", short="EMC2"),
    _c("Eurobiomed", "eurobiomed", (PAC, OCC), "13055", "health", founded=2009),
    _c("Fibres Energivie", "fibres-energivie", (GES,), "67482", "city", "materials", "wood"),
    _c("Finance Innovation", "finance-innovation", (IDF,), "75056", "finance", "digital", founded=2007),
    _c("I-Trans", "i-trans", (HDF,), "59606", "rail", "transport"),
    _c("ID4CAR", "id4car", (BRE, PDL), "35238", "automotive", "transport"),
    _c("Images & Réseaux", "images-et-reseaux", (BRE, PDL), "22113", "digital", "creative"),
    _c("Imaginove", "imaginove", (ARA,), "69123", "creative", "digital"),
    _c("Industries et Agro-Ressources", "iar", (HDF, GES), "02408", "chemistry", "agri", short="IAR"),
    _c("LUTB", "lutb", (ARA,), "69123", "trucks", "transport", short="LUTB Transport & Mobility Systems"),
    _c("Lyon Biopôle", "lyonbiopole", (ARA,), "69123", "health"),
    _c("Materalia", "materalia", (GES,), "57463", "materials", "mechanics"),
    _c("Matikem", "matikem", (HDF,), "59009", "materials", "chemistry", founded=2010),
    _c("Medicen Paris Region", "medicen", (IDF,), "75056", "health", short="Medicen"),
    _c("Mer Bretagne Atlantique", "mer-bretagne-atlantique", (BRE, PDL), "29019", "maritime", "seafood"),
    _c("Mer Méditerranée", "mer-mediterranee", (PAC, OCC), "83137", "maritime", "security"),
    _c("Microtechniques", "microtechniques", (BFC,), "25056", "micro", "mechanics"),
    _c("Minalogic", "minalogic", (ARA,), "38185", "micro", "digital", "photonics"),
    _c("Mont-Blanc Industries", "mont-blanc-industries", (ARA,), "74081", "mechanics"),
    _c("Mov'eo", "moveo", (IDF, NOR), "76575", "automotive", "transport"),
    _c("Nov@log", "novalog", (NOR,), "76351", "logistics"),
    _c("Nutrition Santé Longévité", "nutrition-sante-longevite", (HDF,), "59350", "nutrition", "health", short="NSL"),
    _c("Optitec", "optitec", (PAC,), "13055", "photonics"),
    _c("PICOM (Industries du Commerce)", "picom", (HDF,), "59512", "retail", "digital", short="PICOM"),
    _c("Plastipolis", "plastipolis", (ARA, BFC), "01283", "plastics", "materials"),
    _c("Pôle Européen de la Céramique", "pole-europeen-de-la-ceramique", (NAQ, CVL), "87085", "ceramics", "materials", short="Pôle Céramique"),
    _c("Pôle Nucléaire Bourgogne", "pole-nucleaire-bourgogne", (BFC,), "71076", "nuclear", "mechanics", short="PNB"),
    _c("Route des Lasers", "route-des-lasers", (NAQ,), "33522", "photonics"),
    _c("S2E2", "s2e2", (CVL, NAQ), "37261", "energy", "micro"),
    SAFE,
    _c("SCS", "scs", (PAC,), "13087", "digital", "micro", short="SCS"),
    _c("Systematic Paris Region", "systematic", (IDF,), "91477", "digital", "security", short="Systematic"),
    _c("Team2", "team2", (HDF,), "62498", "environment", founded=2010),
    _c("Techtera", "techtera", (ARA,), "69081", "textiles"),
    _c("Tenerrdis", "tenerrdis", (ARA,), "38185", "energy"),
    _c("Up-Tex", "up-tex", (HDF,), "59512", "textiles", "materials"),
    _c("Valorial", "valorial", (BRE, PDL, NOR), "35238", "agrifood"),
    _c("Vegepolys", "vegepolys", (PDL,), "49007", "agri"),
    _c("Véhicule du Futur", "vehicule-du-futur", (GES, BFC), "68224", "automotive", "energy"),
    _c("Viameca", "viameca", (ARA,), "42218", "mechanics", "materials"),
    _c("Vitagora", "vitagora", (BFC,), "21231", "agrifood", "nutrition"),
    # Not in seed 003's list of 52: three other certified clusters complete the 55.
    _c("Cosmetic Valley", "cosmetic-valley", (CVL, NOR, IDF), "28085", "cosmetics", "chemistry", listed=False),
    _c("Capenergies", "capenergies", (PAC,), "13001", "energy", listed=False),
    _c("Xylofutur", "xylofutur", (NAQ,), "33192", "wood", "materials", listed=False),
)
