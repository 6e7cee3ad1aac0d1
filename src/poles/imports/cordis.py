"""CORDIS Horizon 2020 participations (one row per organisation × project).

Natural keys: a project by its CORDIS `rcn` (`cordis:<rcn>`), an organisation by its PIC
(`pic:<pic>`), a participation by project × organisation. The extract names no organisation and
no project title: organisations get the placeholder name "PIC <pic>" until a richer source names
them (the name is set on creation only), projects "H2020 <rcn>".
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from poles.core.models import Source
from poles.imports.base import Importer
from poles.imports.upsert import sync
from poles.imports.values import parse_date, parse_int, parse_money
from poles.projects.models import Funder, Funding, Participation, Project
from poles.registry.models import Organisation

COLUMNS = ["rcn", "role", "pic", "type", "contribution", "country", "start_date", "end_date",
           "max_contribution", "total_cost", "start_year"]
ROLES = {
    "coordinator": Participation.Role.COORDINATOR,
    "participant": Participation.Role.PARTNER,
    "partner": Participation.Role.PARTNER,
    "thirdparty": Participation.Role.SUBCONTRACTOR,
}
KINDS = {
    "PRC": Organisation.Kind.COMPANY,
    "HES": Organisation.Kind.EDUCATION,
    "REC": Organisation.Kind.RESEARCH,
    "PUB": Organisation.Kind.PUBLIC,
    "OTH": Organisation.Kind.OTHER,
}
PIC = re.compile(r"^[0-9]{9}$")
COUNTRY = re.compile(r"^[A-Z]{2}$")
PROJECT_FIELDS = ("start_date", "end_date", "max_contribution", "total_cost", "start_year")


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115


class CordisImporter(Importer):
    """`poles import cordis FILE`."""

    source = Source.CORDIS.value

    def __init__(self, path: Path | str, **kwargs: Any):
        super().__init__(**kwargs)
        self.path = Path(path)
        self.projects: dict[int, dict[str, Any]] = {}
        self.project_rows: dict[int, int] = {}
        self.organisations: dict[str, dict[str, Any]] = {}
        self.participations: dict[tuple[int, str], dict[str, Any]] = {}

    def input_files(self) -> list[Path]:
        return [self.path]

    def validate(self) -> None:
        name = self.path.name
        try:
            handle = _open_text(self.path)
            reader = csv.DictReader(handle)
            headers = reader.fieldnames or []
        except FileNotFoundError:
            self.error(None, None, _("no such file: %(path)s") % {"path": self.path})
            return
        except (OSError, UnicodeDecodeError, gzip.BadGzipFile) as error:
            self.error(None, None, _("cannot read the file (%(error)s)") % {"error": error}, file=name)
            return
        with handle:
            missing = [column for column in COLUMNS if column not in headers]
            for column in missing:
                self.error(1, column, _("required column is missing"), file=name)
            if missing:
                return
            try:
                self._validate_rows(reader, name)
            except (csv.Error, UnicodeDecodeError, EOFError, OSError) as error:
                self.error(reader.line_num, None, _("the file is not readable CSV (%(error)s)") % {"error": error}, file=name)

    def _validate_rows(self, reader: csv.DictReader, name: str) -> None:
        report = self.report
        for number, row in enumerate(reader, start=2):
            before = report.error_count

            def cell(column: str, parse: Any, row: dict[str, str] = row, number: int = number) -> Any:
                return self.cell(name, number, column, parse, row[column])

            rcn = cell("rcn", lambda v: parse_int(v, minimum=1))
            role = (row["role"] or "").strip().lower()
            if role not in ROLES:
                self.error(number, "role", _("expected one of %(choices)s") % {"choices": ", ".join(ROLES)}, row["role"], name)
            pic = (row["pic"] or "").strip()
            if not PIC.match(pic):
                self.error(number, "pic", _("expected a PIC of 9 digits"), pic, name)
            kind = (row["type"] or "").strip().upper()
            if kind and kind not in KINDS:
                self.error(number, "type", _("expected one of %(choices)s") % {"choices": ", ".join(KINDS)}, row["type"], name)
            country = (row["country"] or "").strip().upper()
            if country and not COUNTRY.match(country):
                self.error(number, "country", _("expected a 2-letter country code"), row["country"], name)
            contribution = cell("contribution", parse_money)
            project = {
                "start_date": cell("start_date", parse_date),
                "end_date": cell("end_date", parse_date),
                "max_contribution": cell("max_contribution", parse_money),
                "total_cost": cell("total_cost", parse_money),
                "start_year": cell("start_year", lambda v: parse_int(v, minimum=1900)),
            }
            if number % 5000 == 0:
                self.progress("checking participations", number, 0)
            if report.error_count > before or rcn is None:
                continue
            known = self.projects.get(rcn)
            if known is None:
                self.projects[rcn] = project
                self.project_rows[rcn] = number
            else:
                for field in PROJECT_FIELDS:
                    if known[field] != project[field]:
                        self.error(number, field, _("differs from row %(row)s of the same project (rcn %(rcn)s)") % {"row": self.project_rows[rcn], "rcn": rcn},
                                   row[field], name)
            if (rcn, pic) in self.participations:
                self.error(number, "pic", _("organisation already listed in project %(rcn)s") % {"rcn": rcn}, pic, name)
                continue
            self.organisations.setdefault(pic, {
                "key": f"pic:{pic}", "pic": pic, "name": f"PIC {pic}",
                "kind": KINDS.get(kind, Organisation.Kind.OTHER), "country": country,
                "source": self.source,
            })
            self.participations[(rcn, pic)] = {
                "role": ROLES[role], "source_role": role, "activity_type": kind,
                "aid": contribution, "source": self.source,
            }
        if not self.projects and report.ok:
            self.error(None, None, _("the file has no participation rows"), file=name)

    def write(self) -> None:
        step = lambda stage: (lambda done, total: self.progress(stage, done, total))  # noqa: E731
        projects = [
            {"key": f"cordis:{rcn}", "acronym": f"H2020 {rcn}", "title": f"Horizon 2020 project {rcn}",
             "kind": Project.Kind.RD, "status": Project.Status.FUNDED, "programme": "Horizon 2020",
             "start_date": p["start_date"], "end_date": p["end_date"], "total_cost": p["total_cost"],
             "source": self.source, "is_public": True}
            for rcn, p in self.projects.items()
        ]
        project_ids = sync(
            Project, projects, key=["key"], report=self.report, table="projects",
            update_fields=["start_date", "end_date", "total_cost", "programme"],
            progress=step("writing projects"),
        )
        org_ids = sync(
            Organisation, list(self.organisations.values()), key=["key"], report=self.report,
            table="organisations", update_fields=["pic", "kind", "country"],
            progress=step("writing organisations"),
        )
        participations = [
            {"project_id": project_ids[(f"cordis:{rcn}",)], "organisation_id": org_ids[(f"pic:{pic}",)], **values}
            for (rcn, pic), values in self.participations.items()
        ]
        sync(
            Participation, participations, key=["project_id", "organisation_id"], report=self.report,
            table="participations", update_fields=["role", "source_role", "activity_type", "aid"],
            progress=step("writing participations"),
        )
        fundings = [
            {"project_id": project_ids[(f"cordis:{rcn}",)], "funder": Funder.EU,
             "funder_detail": "Horizon 2020", "instrument": Funding.Instrument.GRANT,
             "amount": p["max_contribution"], "date": p["start_date"], "year": p["start_year"],
             "source": self.source}
            for rcn, p in self.projects.items() if p["max_contribution"] is not None
        ]
        sync(
            Funding, fundings, key=["project_id", "funder", "funder_detail", "instrument"],
            report=self.report, table="fundings", update_fields=["amount", "date", "year"],
            progress=step("writing fundings"),
        )
