"""ANR / PIA (France 2030) open data: projects and their partners, as ANR publishes them.

Natural keys: a project by its ANR decision code (`anr:<code>`); a partner organisation by its
normalised name and city (the source has no identifier, see poles.registry.names); a
participation by project × organisation (two teams of one organisation in one project are one
participation, coordinator if either is, keeping both partner codes). Person names in the source
(scientific leads) are personal data and are never read into the register.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from poles.core.models import Source
from poles.imports.base import Importer
from poles.imports.readers import Table, UnreadableFile, read_table
from poles.imports.upsert import sync
from poles.imports.values import parse_bool, parse_date, parse_int, parse_money, parse_text
from poles.projects.models import Funder, Funding, Participation, Project
from poles.registry.models import Organisation
from poles.registry.names import name_key
from poles.territories.lookup import CommuneIndex

PROJECT_COLUMNS = {
    "code": "Projet.Code_Decision_ANR",
    "start": "Projet.Date_debut",
    "edition": "Action.Edition",
    "action": "Action.Titre.Francais",
    "acronym": "Projet.Acronyme",
    "title": "Projet.Titre.Francais",
    "summary": "Projet.Resume.Francais",
    "aid": "Projet.Aide_allouee",
}
PARTNER_COLUMNS = {
    "project": "Projet.Code_Decision_ANR",
    "partner": "Projet.Partenaire.Code_Decision_ANR",
    "coordinator": "Projet.Partenaire.Est_coordinateur",
    "name": "Projet.Partenaire.Nom_organisme",
    "category": "Projet.Partenaire.Categorie_organisme",
    "city": "Projet.Partenaire.Adresse.Ville",
    "region": "Projet.Partenaire.Adresse.Region",
    "country": "Projet.Partenaire.Adresse.Pays",
}
DECISION_CODE = re.compile(r"^ANR-[0-9]{2}-[A-Z0-9]+(-[A-Z0-9]+)+$")
NOT_GIVEN = {"", "non renseigné", "non renseigne"}

CATEGORY_KINDS = {
    "universités, insa et inp": Organisation.Kind.EDUCATION,
    "grandes écoles publiques": Organisation.Kind.EDUCATION,
    "ens et grands établissements": Organisation.Kind.EDUCATION,
    "comue pôle de recherche et d'enseignement supérieur": Organisation.Kind.EDUCATION,
    "autres écoles (privées)": Organisation.Kind.EDUCATION,
    "iep": Organisation.Kind.EDUCATION,
    "organismes de type epst": Organisation.Kind.RESEARCH,
    "organismes de type epic": Organisation.Kind.RESEARCH,
    "observatoires": Organisation.Kind.RESEARCH,
    "inha": Organisation.Kind.RESEARCH,
    "entreprises privées": Organisation.Kind.COMPANY,
    "associations": Organisation.Kind.ASSOCIATION,
    "autres établissements (publics)": Organisation.Kind.PUBLIC,
    "organismes médicaux (hôpitaux)": Organisation.Kind.PUBLIC,
    "etablissements de santé": Organisation.Kind.PUBLIC,
    "epa, gip, organismes avec autre statut": Organisation.Kind.PUBLIC,
    "ministères": Organisation.Kind.PUBLIC,
    "collectivités": Organisation.Kind.PUBLIC,
}
COUNTRIES = {"france": "FR"}


def kind_for_category(category: str) -> str:
    """Our organisation kind for ANR's partner category (OTHER when the source says nothing)."""
    return CATEGORY_KINDS.get(category.strip().lower(), Organisation.Kind.OTHER)


class AnrImporter(Importer):
    """`poles import anr --projects FILE --partners FILE`."""

    source = Source.ANR.value

    def __init__(self, projects: Path | str, partners: Path | str, **kwargs: Any):
        super().__init__(**kwargs)
        self.projects_path = Path(projects)
        self.partners_path = Path(partners)
        self.projects: list[dict[str, Any]] = []
        self.fundings: list[dict[str, Any]] = []
        self.organisations: dict[str, dict[str, Any]] = {}
        self.participations: dict[tuple[str, str], dict[str, Any]] = {}

    def input_files(self) -> list[Path]:
        return [self.projects_path, self.partners_path]

    def _read(self, path: Path, columns: dict[str, str]) -> Table | None:
        try:
            table = read_table(path)
        except UnreadableFile as error:
            for problem in error.problems():
                self.error(problem.row, problem.column, problem.reason, problem.value, file=path.name)
            return None
        missing = [name for name in columns.values() if name not in table.headers]
        for name in missing:
            self.error(1, name, _("required column is missing"), file=path.name)
        return None if missing else table

    def validate(self) -> None:
        self.progress("reading ANR files", 0, 2)
        projects = self._read(self.projects_path, PROJECT_COLUMNS)
        partners = self._read(self.partners_path, PARTNER_COLUMNS)
        self.progress("reading ANR files", 2, 2)
        if projects is None or partners is None:
            return
        codes = self._validate_projects(projects)
        self._validate_partners(partners, codes)

    def _validate_projects(self, table: Table) -> set[str]:
        c = PROJECT_COLUMNS
        seen: dict[str, int] = {}
        total = len(table.rows)
        for index, (number, row) in enumerate(table.rows, start=1):
            cell = lambda key, parse: self.cell(table.name, number, c[key], parse, row.get(c[key]))  # noqa: B023, E731
            code = cell("code", lambda v: parse_text(v, max_length=60))
            if code is not None and not DECISION_CODE.match(code):
                self.error(number, c["code"], _("expected an ANR decision code like ANR-10-LABX-0001"), code, table.name)
                code = None
            if code is not None and code in seen:
                self.error(number, c["code"], _("decision code already given on row %(row)s") % {"row": seen[code]}, code, table.name)
            elif code is not None:
                seen[code] = number
            start = cell("start", parse_date)
            edition = cell("edition", lambda v: parse_int(v, minimum=1990))
            acronym = cell("acronym", lambda v: parse_text(v, max_length=100))
            title = cell("title", lambda v: parse_text(v, max_length=500))
            summary = cell("summary", parse_text)
            action = cell("action", lambda v: parse_text(v, max_length=150))
            aid = cell("aid", parse_money)
            if index % 200 == 0 or index == total:
                self.progress("checking projects", index, total)
            if self.report.errors or code is None:
                continue
            key = f"anr:{code}"
            self.projects.append({
                "key": key, "acronym": acronym or code, "title": title or acronym or code,
                "summary": summary, "kind": Project.Kind.RD, "status": Project.Status.FUNDED,
                "start_date": start, "programme": f"PIA / France 2030 — {action} {edition}".strip(),
                "source": self.source, "is_public": True,
            })
            if aid is not None:
                self.fundings.append({
                    "project_key": key, "funder": Funder.FRANCE_2030,
                    "funder_detail": f"ANR — {action}", "instrument": Funding.Instrument.GRANT,
                    "amount": aid, "date": start, "year": edition, "source": self.source,
                })
        return set(seen)

    def _validate_partners(self, table: Table, codes: set[str]) -> None:
        c = PARTNER_COLUMNS
        partner_codes: dict[str, int] = {}
        total = len(table.rows)
        for index, (number, row) in enumerate(table.rows, start=1):
            cell = lambda key, parse: self.cell(table.name, number, c[key], parse, row.get(c[key]))  # noqa: B023, E731
            project = cell("project", parse_text)
            if project and project not in codes:
                self.error(number, c["project"], _("no project with this decision code in the projects file"), project, table.name)
            partner = cell("partner", lambda v: parse_text(v, max_length=60))
            if partner and partner in partner_codes:
                self.error(number, c["partner"], _("partner code already given on row %(row)s") % {"row": partner_codes[partner]}, partner, table.name)
            elif partner:
                partner_codes[partner] = number
            coordinator = cell("coordinator", parse_bool)
            name = cell("name", lambda v: parse_text(v, max_length=300))
            category = cell("category", parse_text) or ""
            city = cell("city", lambda v: parse_text(v, max_length=150)) or ""
            region = cell("region", lambda v: parse_text(v, max_length=100)) or ""
            country = cell("country", parse_text) or ""
            if index % 500 == 0 or index == total:
                self.progress("checking partners", index, total)
            if self.report.errors or not project:
                continue
            if (name or "").lower() in NOT_GIVEN:
                self.report.skipped["participations (partner not named in the source)"] += 1
                continue
            city = "" if city.lower() in NOT_GIVEN else city
            org_key = name_key(name, city)
            self.organisations.setdefault(org_key, {
                "key": org_key, "name": name, "kind": kind_for_category(category),
                "city": city, "region_name": "" if region.lower() in NOT_GIVEN else region,
                "country": COUNTRIES.get(country.lower(), "FR" if not country else country[:2].upper()),
                "source": self.source,
            })
            pair = (f"anr:{project}", org_key)
            existing = self.participations.get(pair)
            if existing is None:
                self.participations[pair] = {
                    "role": Participation.Role.COORDINATOR if coordinator else Participation.Role.PARTNER,
                    "source_role": "coordinateur" if coordinator else "partenaire",
                    "source_refs": [partner],
                }
            else:
                existing["source_refs"] = sorted({*existing["source_refs"], partner})
                if coordinator:
                    existing["role"] = Participation.Role.COORDINATOR
                    existing["source_role"] = "coordinateur"

    def write(self) -> None:
        step = lambda stage: (lambda done, total: self.progress(stage, done, total))  # noqa: E731
        project_ids = sync(
            Project, self.projects, key=["key"], report=self.report, table="projects",
            update_fields=["acronym", "title", "summary", "start_date", "programme", "source"],
            progress=step("writing projects"),
        )
        index = CommuneIndex.from_db()
        organisations = list(self.organisations.values())
        for row in organisations:
            row["commune_id"] = index.resolve(None, row["city"]) if row["country"] == "FR" and row["city"] else None
        org_ids = sync(
            Organisation, organisations, key=["key"], report=self.report,
            table="organisations", update_fields=["city", "region_name", "country", "commune_id"],
            progress=step("writing organisations"),
        )
        participations = [
            {"project_id": project_ids[(project_key,)], "organisation_id": org_ids[(org_key,)],
             "source": self.source, **values}
            for (project_key, org_key), values in self.participations.items()
        ]
        sync(
            Participation, participations, key=["project_id", "organisation_id"],
            report=self.report, table="participations",
            update_fields=["role", "source_role", "source_refs"], progress=step("writing participations"),
        )
        fundings = [
            {"project_id": project_ids[(row["project_key"],)],
             **{k: v for k, v in row.items() if k != "project_key"}}
            for row in self.fundings
        ]
        sync(
            Funding, fundings, key=["project_id", "funder", "funder_detail", "instrument"],
            report=self.report, table="fundings", update_fields=["amount", "date", "year"],
            progress=step("writing fundings"),
        )
