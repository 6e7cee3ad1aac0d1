"""A cluster's member list for a year, from CSV or XLSX with French or English headers.

Columns (any order, headers in French or English, accents and case ignored; see docs/imports.md):
name* · siren · siret · kind · staff · turnover · balance_sheet · figures_year · group_siren ·
group_share · naf · address · postcode · city · country · website · description · status · fee_invoiced ·
fee_paid. Natural keys: an organisation by SIREN, else by normalised name and city (or
postcode); a membership by organisation × cluster × year. Columns absent from the file leave
the register's values as they are.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext, pgettext_lazy

from poles.access.invitations import represented
from poles.core.bulk import chunks
from poles.core.models import Source
from poles.core.tables import unescape
from poles.imports.base import Importer
from poles.imports.columns import ColumnSpec, ImportKind, Problem, Together
from poles.imports.headers import HeaderMatch, normalise_header
from poles.imports.readers import Table, UnreadableFile, read_table
from poles.imports.upsert import sync
from poles.imports.values import is_empty, parse_decimal, parse_int, parse_money, parse_text
from poles.registry.identifiers import InvalidIdentifier, clean_siren, clean_siret
from poles.registry.models import Cluster, Membership, Organisation, OrganisationFigures
from poles.registry.names import name_key
from poles.registry.services import refresh_size_categories


def _column(key: str, label: Any, help: Any, aliases: set[str], *, required: bool = False,
            example: Any = None) -> ColumnSpec:
    return ColumnSpec(key, label, help, frozenset(aliases), required, example)


COLUMNS = (
    _column("name", pgettext_lazy("import column", "name"), gettext_lazy("the organisation's name (raison sociale)"),
            {"nom", "raison sociale", "organisation", "organisme", "denomination", "entreprise", "company",
             "organisation name", "nom de l organisation"}, required=True, example="Atelier Numérique"),
    _column("siren", pgettext_lazy("import column", "SIREN"),
            gettext_lazy("9 digits; rows are matched by SIREN, else by name and city"),
            {"n siren", "numero siren", "siren number"}, example="552081317"),
    _column("siret", pgettext_lazy("import column", "SIRET"), gettext_lazy("14 digits, starting with the SIREN"),
            {"n siret", "numero siret", "siret number"}),
    _column("kind", pgettext_lazy("import column", "kind"), gettext_lazy(
        "company, research organisation, higher education or training, technology centre, public body, "
        "association or other (French or English)"),
            {"type", "categorie", "category", "nature", "type d organisation", "organisation type"},
            example=pgettext_lazy("import example", "company")),
    _column("staff", pgettext_lazy("import column", "headcount"),
            gettext_lazy("staff in annual work units; needs the year of the figures"),
            {"effectif", "effectifs", "headcount", "employees", "salaries", "staff headcount"}, example=12),
    _column("turnover", pgettext_lazy("import column", "turnover (EUR)"),
            gettext_lazy("in euros; needs the year of the figures"),
            {"chiffre d affaires", "ca", "turnover", "chiffre d affaires eur"}, example=900000),
    _column("balance_sheet", pgettext_lazy("import column", "balance sheet total (EUR)"),
            gettext_lazy("in euros; needs the year of the figures"),
            {"total bilan", "total du bilan", "bilan", "balance sheet", "balance sheet total"}),
    _column("figures_year", pgettext_lazy("import column", "year of the figures"),
            gettext_lazy("the year the headcount, turnover and balance sheet describe; required when any of "
                         "them is given"),
            {"annee des chiffres", "exercice", "figures year", "year of figures"}, example=2024),
    _column("group_siren", pgettext_lazy("import column", "group head SIREN"),
            gettext_lazy("the SIREN of the enterprise holding shares of this one, in the register or the file"),
            {"siren tete de groupe", "siren du groupe", "groupe", "group siren", "group head siren"}),
    _column("group_share", pgettext_lazy("import column", "share held by the group (%)"),
            gettext_lazy("the percentage of the capital the group head holds (30, 30 %, 30,5); needs the "
                         "group head SIREN"),
            {"part detenue par le groupe", "part du groupe", "participation du groupe",
             "pourcentage detenu par le groupe", "group share", "share held by the group", "group holding"}),
    _column("naf", pgettext_lazy("import column", "NAF code"), gettext_lazy("NAF rev. 2 code, such as 26.11Z"),
            {"code naf", "naf", "ape", "code ape", "naf code", "activity code"}, example="62.01Z"),
    _column("address", pgettext_lazy("import column", "address"), gettext_lazy("street and number"),
            {"adresse", "address", "street"}),
    _column("postcode", pgettext_lazy("import column", "postcode"), gettext_lazy("5 digits in France"),
            {"code postal", "cp", "postal code", "postcode", "zip"}, example="69002"),
    _column("city", pgettext_lazy("import column", "city"), gettext_lazy("the commune, found with the postcode"),
            {"ville", "commune", "city", "town"}, example="Lyon"),
    _column("country", pgettext_lazy("import column", "country"), gettext_lazy("2-letter code (FR, DE…); FR when empty"),
            {"pays", "country"}, example="FR"),
    _column("website", pgettext_lazy("import column", "website"), gettext_lazy("address of the website"),
            {"site web", "site internet", "website", "url", "web"}),
    _column("description", pgettext_lazy("import column", "activity"), gettext_lazy("what the organisation does"),
            {"description", "activite", "activity"}),
    _column("status", pgettext_lazy("import column", "membership status"),
            gettext_lazy("member, pending, lapsed or resigned (French or English); member when empty"),
            {"statut", "status", "statut adhesion", "membership status", "statut d adhesion"},
            example=pgettext_lazy("import example", "member")),
    _column("year", pgettext_lazy("import column", "membership year"),
            gettext_lazy("optional; when given, every row must be the year chosen on the import page"),
            {"annee", "year", "annee d adhesion", "annee adhesion", "membership year"}),
    _column("fee_invoiced", pgettext_lazy("import column", "fee invoiced (EUR)"), gettext_lazy("the membership fee invoiced, in euros"),
            {"cotisation", "cotisation facturee", "montant cotisation", "fee", "fee invoiced", "invoiced fee"},
            example=800),
    _column("fee_paid", pgettext_lazy("import column", "fee paid (EUR)"),
            gettext_lazy("the amount paid, in euros; at most the fee invoiced"),
            {"cotisation payee", "montant paye", "fee paid", "paid", "paid fee", "paye"}, example=800),
)
MEMBERS = ImportKind(
    "members", gettext_lazy("member list"), COLUMNS,
    together=(Together(("staff", "turnover", "balance_sheet"), "figures_year"),
              Together(("group_share",), "group_siren")),
)
ALIASES: dict[str, set[str]] = {c.key: set(c.aliases) for c in COLUMNS}
KINDS = {
    Organisation.Kind.COMPANY: {"company", "entreprise", "societe", "firm", "tpe", "pme", "eti", "ge",
                                "startup", "start up", "grande entreprise"},
    Organisation.Kind.RESEARCH: {"research", "recherche", "laboratoire", "laboratory", "research organisation",
                                 "organisme de recherche"},
    Organisation.Kind.EDUCATION: {"education", "enseignement", "formation", "universite", "university",
                                  "ecole", "school", "higher education", "training",
                                  "enseignement superieur"},
    Organisation.Kind.TECH_CENTRE: {"tech centre", "technology centre", "centre technique",
                                    "centre technologique", "tech_centre", "ctt", "crt"},
    Organisation.Kind.PUBLIC: {"public", "public body", "collectivite", "organisme public",
                               "etablissement public", "administration"},
    Organisation.Kind.ASSOCIATION: {"association"},
    Organisation.Kind.OTHER: {"other", "autre"},
}
STATUSES = {
    Membership.Status.MEMBER: {"member", "membre", "adherent", "adherente", "actif", "active"},
    Membership.Status.PENDING: {"pending", "en attente", "en cours"},
    Membership.Status.LAPSED: {"lapsed", "expire", "non renouvele", "echu"},
    Membership.Status.RESIGNED: {"resigned", "demissionnaire", "demission", "radie", "left"},
}
NAF_PATTERN = re.compile(r"^([0-9]{2})\.?([0-9]{2})([A-Za-z])$")
POSTCODE = re.compile(r"^[0-9]{5}$")
FIGURE_COLUMNS = ("staff", "turnover", "balance_sheet")
ORGANISATION_COLUMNS = ("siren", "siret", "kind", "naf", "address", "postcode", "city", "country",
                        "website", "description")


PREVIEW_ROWS = 5
"""Rows a preview parses below the header."""


class UnknownCluster(ValueError):
    """The slug names no cluster."""


def _lookup(table: dict[str, set[str]], value: str) -> str | None:
    key = normalise_header(value).replace("_", " ")
    for canonical, names in table.items():
        if key == normalise_header(canonical).replace("_", " ") or key in names:
            return canonical
    return None


def clean_naf(value: str) -> str:
    """'2611Z', '26.11z' or '26.11Z' → '26.11Z'."""
    match = NAF_PATTERN.match(value.replace(" ", ""))
    if not match:
        raise ValueError(_("expected a NAF code like 26.11Z"))
    return f"{match[1]}.{match[2]}{match[3].upper()}"


class MembersImporter(Importer):
    """`poles import members FILE --cluster SLUG --year YYYY`, and the workspace's upload."""

    source = Source.IMPORT.value

    def __init__(self, path: Path | str, *, cluster: str | Cluster, year: int,
                 content: bytes | None = None, name: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.path = Path(path)
        self.content = content
        self.file_name = name or self.path.name
        self.cluster = cluster if isinstance(cluster, Cluster) else self.check_cluster(cluster)
        self.year = year
        self.columns: set[str] = set()
        self.written: dict[str, str] = {}
        self.incomplete: list[Problem] = []
        self.csv = True
        self.rows: list[dict[str, Any]] = []

    @staticmethod
    def check_cluster(slug: str) -> Cluster:
        cluster = Cluster.objects.filter(slug=slug).first()
        if cluster is None:
            raise UnknownCluster(f"no cluster with slug {slug!r} (see `poles shell` or the directory)")
        return cluster

    def input_files(self) -> list[Path]:
        return [self.path] if self.content is None else []

    def audit_cluster_id(self) -> int | None:
        return self.cluster.pk

    def validate(self) -> None:
        if not 1900 <= self.year <= 2100:
            self.error(None, "year", _("expected a membership year between 1900 and 2100"), self.year)
            return
        try:
            table = read_table(self.path, content=self.content, name=self.file_name)
        except UnreadableFile as error:
            for problem in error.problems():
                self.error(problem.row, problem.column, problem.reason, problem.value, file=self.file_name)
            return
        match = self._understand(table)
        if match.ignored:
            self.report.notes.append(self.ignored_note(match.ignored))
        missing, self.incomplete = MEMBERS.header_problems(match)
        for problem in missing:
            self.error(1, problem.column, problem.message, file=self.file_name)
        if missing:
            return
        if not table.rows:
            self.error(None, None, _("the file has no rows below its header"), file=self.file_name)
            return
        self._validate_rows(table, match.mapping)

    @staticmethod
    def ignored_note(headers: list[str]) -> str:
        """The report's note naming the columns the import did not use, as the file writes them."""
        return _("ignored columns: %(columns)s") % {"columns": ", ".join(headers)}

    def _understand(self, table: Table) -> HeaderMatch:
        """Match the file's header to the columns, and remember how the user writes each."""
        match = MEMBERS.match(table.headers)
        self.columns = set(match.mapping.values())
        self.written = match.written
        self.csv = Path(self.file_name).suffix.lower() not in {".xlsx", ".xlsm"}
        return match

    def preview(self, rows: int = PREVIEW_ROWS) -> dict[str, Any]:
        """How the file is understood, from its header and first rows, writing nothing (for the user to confirm).

        The result is JSON: `columns` (each header as written, its column key or None, the header
        it repeats), `missing` and `incomplete` (messages), `rows` (number, each used column's value
        as read, the row's errors) and `unreadable` (why the file cannot be read, if it cannot).
        """
        from poles.nomenclatures.models import NafCode

        result: dict[str, Any] = {"columns": [], "missing": [], "incomplete": [], "rows": [], "unreadable": []}
        try:
            table = read_table(self.path, content=self.content, name=self.file_name, max_rows=rows)
        except UnreadableFile as error:
            result["unreadable"] = [{"row": p.row, "column": p.column, "reason": p.reason,
                                     "value": None if p.value is None else str(p.value)} for p in error.problems()]
            return result
        match = self._understand(table)
        missing, incomplete = MEMBERS.header_problems(match)
        result["missing"] = [p.message for p in missing]
        result["incomplete"] = [p.message for p in incomplete]
        result["columns"] = [
            {"header": header, "key": match.mapping.get(header), "repeats": match.duplicates.get(header)}
            for header in table.headers if header is not None and str(header).strip()
        ]
        used = list(match.mapping.items())
        naf_codes = set(NafCode.objects.values_list("code", flat=True)) if "naf" in self.columns else set()
        for number, raw in table.rows:
            values = self.values_of(raw, match.mapping)
            before = len(self.report.errors)
            row = self._row(self._reader(values, number), values, number, self.written, naf_codes)
            result["rows"].append({
                "number": number,
                "cells": [_shown(key, row, raw.get(header)) for header, key in used],
                "errors": [{"column": e.column, "reason": e.reason, "value": None if e.value is None else str(e.value)}
                           for e in self.report.errors[before:]],
            })
        return result

    def _reader(self, values: dict[str, Any], number: int) -> Any:
        """cell(column, parse): the row's value in that column parsed, or None with the error recorded."""
        def cell(column: str, parse: Any) -> Any:
            return self.cell(self.file_name, number, self.label(column), parse, values.get(column))
        return cell

    def label(self, key: str) -> str:
        """A column as the user knows it: the header their file writes, else its name in their language."""
        return MEMBERS.label(key, self.written)

    def values_of(self, raw: dict[str, Any], mapping: dict[str, str]) -> dict[str, Any]:
        """A row's cells by column key; CSV text loses the apostrophe our exports put before `=`, `+`…"""
        values = {canonical: raw.get(header) for header, canonical in mapping.items()}
        if self.csv:
            values = {k: unescape(v) if isinstance(v, str) else v for k, v in values.items()}
        return values

    def _validate_rows(self, table: Table, mapping: dict[str, str]) -> None:
        from poles.nomenclatures.models import NafCode
        from poles.territories.lookup import CommuneIndex

        written = self.written
        naf_codes = set(NafCode.objects.values_list("code", flat=True)) if "naf" in self.columns else set()
        index = CommuneIndex.from_db() if self.columns & {"postcode", "city"} else None
        seen: dict[str, int] = {}
        sirens_in_file: set[str] = set()
        unresolved = 0
        total = len(table.rows)
        for position, (number, raw) in enumerate(table.rows, start=1):
            values = self.values_of(raw, mapping)
            before = self.report.error_count
            row = self._row(self._reader(values, number), values, number, written, naf_codes)
            if position % 200 == 0 or position == total:
                self.progress(gettext_noop("checking rows"), position, total)
            if self.report.error_count > before:
                continue
            key = f"siren:{row['siren']}" if row.get("siren") else name_key(row["name"], row.get("city") or row.get("postcode", ""))
            if key in seen:
                self.error(number, self.label("name"), _("same organisation as row %(row)s") % {"row": seen[key]},
                           row["name"], self.file_name)
                continue
            seen[key] = number
            row["key"] = key
            if row.get("siren"):
                sirens_in_file.add(row["siren"])
            if index is not None:
                french = row.get("country", "FR") == "FR"
                row["commune_id"] = index.resolve(row.get("postcode"), row.get("city")) if french else None
                if french and row["commune_id"] is None and (row.get("postcode") or row.get("city")):
                    unresolved += 1
            self.rows.append(row)
        self._check_together(table, mapping)
        if unresolved:
            self.report.notes.append(
                ngettext(
                    "%(count)d French address names no single commune (CEDEX postcode, typo or "
                    "ambiguous city): its commune is left empty",
                    "%(count)d French addresses name no single commune (CEDEX postcode, typo or "
                    "ambiguous city): their commune is left empty", unresolved) % {"count": unresolved}
            )
        self._check_groups(sirens_in_file)

    def _check_together(self, table: Table, mapping: dict[str, str]) -> None:
        """One error per column given without the column it needs, when any row fills it."""
        for problem in self.incomplete:
            headers = [h for h, key in mapping.items() if key in problem.keys]
            filled = sum(any(not is_empty(raw.get(h)) for h in headers) for _number, raw in table.rows)
            if filled:
                self.error(None, problem.column, problem.message + " " + ngettext(
                    "(%(count)d row fills them)", "(%(count)d rows fill them)", filled) % {"count": filled},
                    file=self.file_name)

    def _row(self, cell: Any, values: dict[str, Any], number: int, written: dict[str, str],
             naf_codes: set[str]) -> dict[str, Any]:
        row: dict[str, Any] = {"number": number}
        name = cell("name", lambda v: parse_text(v, max_length=300))
        if name == "":
            self.error(number, self.label("name"), _("the organisation's name is required"), None, self.file_name)
        row["name"] = name
        if "siren" in self.columns:
            row["siren"] = cell("siren", lambda v: None if is_empty(v) else _clean(clean_siren, v))
        if "siret" in self.columns:
            row["siret"] = cell("siret", lambda v: "" if is_empty(v) else _clean(clean_siret, v))
            if row.get("siret") and row.get("siren") and row["siret"][:9] != row["siren"]:
                self.error(number, self.label("siret"), _("SIRET does not belong to SIREN %(siren)s") % {"siren": row["siren"]},
                           row["siret"], self.file_name)
            if row.get("siret") and not row.get("siren"):
                row["siren"] = row["siret"][:9]
        if "kind" in self.columns:
            row["kind"] = cell("kind", lambda v: _choice("kind", v, Organisation.Kind.OTHER))
        for column in FIGURE_COLUMNS:
            if column in self.columns:
                row[column] = cell(column, lambda v: parse_decimal(v, minimum=Decimal(0)))
        if "figures_year" in self.columns:
            row["figures_year"] = cell("figures_year", lambda v: parse_int(v, minimum=1900))
        if any(row.get(c) is not None for c in FIGURE_COLUMNS) and not row.get("figures_year") \
                and "figures_year" in self.columns:
            self.error(number, self.label("figures_year"),
                       _("headcount, turnover or balance sheet need the year they describe"), None, self.file_name)
        if "group_siren" in self.columns:
            row["group_siren"] = cell("group_siren", lambda v: None if is_empty(v) else _clean(clean_siren, v))
        if "group_share" in self.columns:
            row["group_share"] = cell("group_share", parse_share)
        if "naf" in self.columns:
            naf = cell("naf", lambda v: None if is_empty(v) else clean_naf(str(v)))
            if naf and naf not in naf_codes:
                self.error(number, self.label("naf"), _("not a NAF rév.2 code"), naf, self.file_name)
            row["naf_id"] = naf
        for column, length in (("address", 300), ("city", 150), ("website", 200), ("description", None)):
            if column in self.columns:
                row[column] = cell(column, lambda v, n=length: parse_text(v, max_length=n))
        if "postcode" in self.columns:
            postcode = cell("postcode", lambda v: parse_text(v, max_length=10))
            if isinstance(values.get("postcode"), int | float) and postcode:
                postcode = postcode.zfill(5)  # a spreadsheet stored 01000 as the number 1000
            row["postcode"] = postcode
        if "country" in self.columns:
            country = cell("country", lambda v: parse_text(v).upper() or "FR")
            if country in {"FRANCE"}:
                country = "FR"
            if country and not re.fullmatch(r"[A-Z]{2}", country):
                self.error(number, self.label("country"), _("expected a 2-letter country code (FR, DE…)"), country,
                           self.file_name)
            row["country"] = country
        if row.get("postcode") and row.get("country", "FR") == "FR" and not POSTCODE.match(row["postcode"]):
            self.error(number, self.label("postcode"), _("a French postcode has 5 digits"), row["postcode"],
                       self.file_name)
        if row.get("website") and not re.match(r"^https?://", row["website"]):
            row["website"] = "https://" + row["website"]
        if "year" in self.columns:
            year = cell("year", lambda v: parse_int(v, minimum=1900))
            if year is not None and year != self.year:
                self.error(number, self.label("year"), _("this row is for %(found)d but the import is for %(year)d")
                           % {"found": year, "year": self.year}, year, self.file_name)
        if "status" in self.columns:
            row["status"] = cell("status", lambda v: _choice("status", v, Membership.Status.MEMBER))
        for column in ("fee_invoiced", "fee_paid"):
            if column in self.columns:
                row[column] = cell(column, parse_money)
        if row.get("fee_paid") is not None and row.get("fee_invoiced") is not None \
                and row["fee_paid"] > row["fee_invoiced"]:
            self.error(number, self.label("fee_paid"), _("paid more than invoiced (%(invoiced)s)")
                       % {"invoiced": row["fee_invoiced"]},
                       row["fee_paid"], self.file_name)
        return row

    def _check_groups(self, sirens_in_file: set[str]) -> None:
        wanted = {row["group_siren"] for row in self.rows if row.get("group_siren")}
        known = set(Organisation.objects.filter(siren__in=wanted).values_list("siren", flat=True))
        for row in self.rows:
            group = row.get("group_siren")
            if group and group not in known and group not in sirens_in_file:
                self.error(row["number"], self.label("group_siren"), _("no organisation with this SIREN in the register or the file"),
                           group, self.file_name)
            if group and group == row.get("siren"):
                self.error(row["number"], self.label("group_siren"), _("an organisation cannot head its own group"), group, self.file_name)
            if row.get("group_share") is not None and not group:
                self.error(row["number"], self.label("group_share"), _("a share held by the group needs the group head's SIREN"),
                           row["group_share"], self.file_name)

    def write(self) -> None:
        fields = ["name", *[c for c in ORGANISATION_COLUMNS if c in self.columns]]
        fields = ["naf_id" if f == "naf" else f for f in fields]
        if self.columns & {"postcode", "city"}:
            fields.append("commune_id")
        found = self._match_existing()
        ours = [row for row in self.rows if row["key"] not in found or found[row["key"]].writable]
        kept = [row for row in self.rows if row["key"] in found and not found[row["key"]].writable]
        organisations = []
        for row in ours:
            values = {"key": row["key"], "source": self.source, "supplied_by_id": self.cluster.pk,
                      **{f: row.get(f) for f in fields}}
            for text_field in ("siret", "address", "city", "postcode", "website", "description"):
                if text_field in values and values[text_field] is None:
                    values[text_field] = ""
            if "kind" in values and values["kind"] is None:
                values["kind"] = Organisation.Kind.OTHER
            if "country" in values and not values["country"]:
                values["country"] = "FR"
            organisations.append(values)
        ids = sync(Organisation, organisations, key=["key"], update_fields=[*fields, "supplied_by_id"],
                   report=self.report, table="organisations", progress=self.stage(gettext_noop("writing organisations")))
        by_key = {row["key"]: ids[(row["key"],)] for row in ours}
        if kept:
            by_key.update({row["key"]: found[row["key"]].pk for row in kept})
            self.report.skipped["organisations kept as supplied elsewhere"] += len(kept)
            self.report.notes.append(
                ngettext(
                    "%(count)d organisation was already in the register, supplied by another cluster "
                    "or kept by its representative: its details, group and figures were left as they "
                    "are; only its membership was written",
                    "%(count)d organisations were already in the register, supplied by another cluster "
                    "or kept by their representative: their details, group and figures were left as they "
                    "are; only their memberships were written", len(kept)) % {"count": len(kept)}
            )
        own_ids = {by_key[row["key"]] for row in ours}
        former_heads = self._write_groups(by_key, ours)
        self._write_figures(by_key, ours)
        memberships = []
        for row in self.rows:
            memberships.append({
                "organisation_id": by_key[row["key"]], "cluster_id": self.cluster.pk, "year": self.year,
                "status": row.get("status") or Membership.Status.MEMBER,
                "fee_invoiced": row.get("fee_invoiced") or Decimal(0),
                "fee_paid": row.get("fee_paid") or Decimal(0), "source": self.source,
            })
        update = [c for c in ("status", "fee_invoiced", "fee_paid") if c in self.columns]
        sync(Membership, memberships, key=["organisation_id", "cluster_id", "year"], update_fields=update,
             report=self.report, table="memberships", progress=self.stage(gettext_noop("writing memberships")))
        if own_ids and self.columns & {*FIGURE_COLUMNS, "group_siren", "group_share"}:  # nothing else changes a size category
            self.progress(gettext_noop("updating size categories"), 0, 1)
            refresh_size_categories([*own_ids, *former_heads])
            self.progress(gettext_noop("updating size categories"), 1, 1)

    def _match_existing(self) -> dict[str, Existing]:
        """The register's organisations the file's rows name (by key, or by SIREN under another key).

        A row's key is rewritten to the stored one when only the SIREN matches, so that the row
        updates (or keeps) that organisation instead of colliding with its SIREN.
        """
        keys = [row["key"] for row in self.rows]
        sirens = [row["siren"] for row in self.rows if row.get("siren")]
        stored: dict[str, tuple[int, int | None]] = {}
        by_siren: dict[str, str] = {}
        for chunk in chunks(keys, 500):
            for pk, key, supplier in Organisation.objects.filter(key__in=chunk).values_list("pk", "key", "supplied_by_id"):
                stored[key] = (pk, supplier)
        for chunk in chunks(sirens, 500):
            for pk, key, siren, supplier in Organisation.objects.filter(siren__in=chunk).values_list(
                    "pk", "key", "siren", "supplied_by_id"):
                stored[key] = (pk, supplier)
                by_siren[siren] = key
        for row in self.rows:
            if row["key"] not in stored and row.get("siren") in by_siren:
                row["key"] = by_siren[row["siren"]]
        return {key: Existing(pk, supplier, writable=supplier == self.cluster.pk)
                for key, (pk, supplier) in stored.items()} | self._claimable(stored)

    def _claimable(self, stored: dict[str, tuple[int, int | None]]) -> dict[str, Existing]:
        """Records no cluster supplied, with no representative, no figures and no other cluster.

        The importing cluster becomes their supplier: nobody else's data is in them yet.
        """
        orphans = {pk: key for key, (pk, supplier) in stored.items() if supplier is None}
        if not orphans:
            return {}
        ids = list(orphans)
        taken = set(OrganisationFigures.objects.filter(organisation_id__in=ids).values_list("organisation_id", flat=True))
        taken |= set(Membership.objects.filter(organisation_id__in=ids).exclude(cluster=self.cluster)
                     .values_list("organisation_id", flat=True))
        taken |= represented(ids)
        return {key: Existing(pk, None, writable=pk not in taken) for pk, key in orphans.items()}

    def _write_groups(self, by_key: dict[str, int], rows: list[dict[str, Any]]) -> set[int]:
        """Each row's group head and share; returns the heads rows had before (their groups change too).

        Without a group_share column a row keeps its stored share while its head stays the same,
        and gets none (control) with a new head.
        """
        if "group_siren" not in self.columns or not rows:
            return set()
        heads = dict(Organisation.objects.filter(
            siren__in={r["group_siren"] for r in rows if r.get("group_siren")}
        ).values_list("siren", "pk"))
        before: dict[int, tuple[int | None, Any]] = {}
        for chunk in chunks([by_key[row["key"]] for row in rows], 500):
            before.update({pk: (head, share) for pk, head, share in Organisation.objects.filter(
                pk__in=chunk).values_list("pk", "group_head_id", "group_share")})
        links = []
        for row in rows:
            head = heads.get(row.get("group_siren"))
            former_head, former_share = before.get(by_key[row["key"]], (None, None))
            if "group_share" in self.columns:
                share = row.get("group_share") if head else None
            else:
                share = former_share if head is not None and head == former_head else None
            links.append({"key": row["key"], "group_head_id": head, "group_share": share})
        sync(Organisation, links, key=["key"], update_fields=["group_head_id", "group_share"],
             report=self.report, table="group links", progress=self.stage(gettext_noop("writing group links")))
        return {head for head, _share in before.values() if head is not None}

    def _write_figures(self, by_key: dict[str, int], rows: list[dict[str, Any]]) -> None:
        present = [c for c in FIGURE_COLUMNS if c in self.columns]
        if not present:
            return
        figures = [
            {"organisation_id": by_key[row["key"]], "year": row["figures_year"], "source": self.source,
             **{c: row.get(c) for c in present}}
            for row in rows if row.get("figures_year")
        ]
        sync(OrganisationFigures, figures, key=["organisation_id", "year"], update_fields=present,
             report=self.report, table="organisation figures", progress=self.stage(gettext_noop("writing organisation figures")))


@dataclass(frozen=True)
class Existing:
    """An organisation a row names, and whether this import may write its record."""

    pk: int
    supplied_by: int | None
    writable: bool


def _clean(cleaner: Any, value: Any) -> str:
    try:
        return cleaner(str(value).split(".")[0] if isinstance(value, float) else str(value))
    except InvalidIdentifier as error:
        raise ValueError(str(error)) from None


def parse_share(value: Any) -> Decimal | None:
    """A holding as a percentage: '30', '30 %', '30,5'; a number up to 1 without '%' is a fraction
    (an XLSX cell formatted as a percentage stores 30 % as 0.3)."""
    if is_empty(value):
        return None
    text = str(value).strip()
    percent = text.endswith("%")
    number = parse_decimal(text.rstrip("%").strip() if percent else value, minimum=Decimal(0))
    if number is None:
        return None
    if not percent and number <= 1:
        number *= 100
    if not Decimal(0) < number <= Decimal(100):
        raise ValueError(_("expected a share of the capital above 0 and at most 100 %"))
    return number.quantize(Decimal("0.01"))


CHOICES: dict[str, tuple[dict[Any, set[str]], Any]] = {
    "kind": (KINDS, Organisation.Kind), "status": (STATUSES, Membership.Status)}


@functools.cache
def choice_names(name: str) -> dict[str, set[str]]:
    """Names accepted for each value of a choice column: ours, and its label in every interface language."""
    table, choices = CHOICES[name]
    names = {str(value): set(words) for value, words in table.items()}
    for language, _language_name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                names[value].add(normalise_header(str(label)).replace("_", " "))
    return names


def _choice(name: str, value: Any, default: Any) -> Any:
    if is_empty(value):
        return default
    found = _lookup(choice_names(name), str(value))
    if found is None:
        labels = ", ".join(str(label) for _value, label in CHOICES[name][1].choices)
        raise ValueError(_("unknown value; expected one of: %(choices)s") % {"choices": labels})
    return found


def _shown(key: str, row: dict[str, Any], raw: Any) -> str:
    """A column's value in a parsed row as the preview shows it: choices by their label, numbers localised."""
    value = row.get("naf_id" if key == "naf" else key, raw if key == "year" else None)
    if value is None or value == "":
        return ""
    if key in CHOICES:
        return str(CHOICES[key][1](value).label)
    if isinstance(value, Decimal | int) and key not in {"figures_year", "year"}:
        return number_format(value, force_grouping=True)
    return str(value)
