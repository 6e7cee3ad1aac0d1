"""The permission matrix: who calls, what the project serves, what each role may read and write.

- Callers: one role of `factories.MATRIX_ROLES` through one channel (a web session, an API Bearer
  token, or nothing for anonymous) in one language (fr, en: cookie and Accept-Language).
- What is served, enumerated from the URL resolver and the OpenAPI document, never by hand; the
  tables below say, for each page and operation, the URLs to try on the shared world
  (`factories.build_matrix_world`) and which roles each opens to (`READS`), and for each write the
  targets, a valid body and the roles that may write them (`API_WRITES`, `PAGE_WRITES`). A page or
  an operation missing from the tables fails `test_every_endpoint_has_an_expectation`.
- Responses are searched (HTML unescaped, JSON, CSV, XLSX cells) for each sentinel of
  `factories.ENTITLED` in every spelling (`factories.found`), and the database is compared before
  and after each write (`snapshot`).

Used by tests/api/test_permission_matrix.py (reads), tests/api/test_write_matrix.py (writes) and
tests/security/test_escalation_pages.py (the escalation chains through the pages).
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from html.parser import HTMLParser
from types import SimpleNamespace

from calls_matrix import calls_page_reads, calls_page_writes
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from factories import A_TEAM, ENTITLED, MATRIX_ROLES, OFFICERS, leaked, siren

from poles.core.models import AuditEntry
from poles.registry.programme import current_year

LANGUAGES = ("fr", "en")
API_PREFIX = "api/v1/"
SKIPPED_PREFIXES = ("admin/", "static/", "__debug__/")
API_DOCS = {"api/v1/openapi.json", "api/v1/docs"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ALL = frozenset(MATRIX_ROLES)
AUTHENTICATED = ALL - {"anonymous"}
NOBODY: frozenset[str] = frozenset()
ADMIN = frozenset({"admin"})
A_WRITERS = frozenset({"admin", "manager"})
PROGRAMME = frozenset({"admin", "national", "regional"})
A_READERS = A_TEAM | {"member"}
"""Cluster A's members-level data: its team, and the representative A granted (a current member)."""


# --- callers -------------------------------------------------------------------------------------

class Caller:
    """One role calling through one channel ('session', 'token', or 'none' for anonymous) in one language."""

    def __init__(self, w: SimpleNamespace, role: str, channel: str = "session", lang: str = "fr"):
        self.role, self.channel, self.lang, self.world = role, channel, lang, w
        self.user = w.users[role]
        self.client = Client(HTTP_ACCEPT_LANGUAGE=lang)
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        self.headers: dict[str, str] = {}
        if self.user is None:
            self.channel = "none"
        elif channel == "session":
            self.client.force_login(self.user)
        elif channel == "token":
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {w.tokens[role]}"}
        else:
            raise ValueError(f"channel: expected session or token, found {channel!r}")

    def __str__(self) -> str:
        return f"{self.role} ({self.channel}, {self.lang})"

    def get(self, url: str) -> HttpResponse:
        return self.client.get(url, **self.headers)

    def send(self, method: str, url: str, data: dict | list | None = None,
             upload: tuple[str, bytes] | None = None) -> HttpResponse:
        """An API write with a JSON body (multipart with the file when `upload` is given)."""
        import json

        if upload is not None:
            name, content = upload
            return self.client.post(url, {**(data or {}), "file": SimpleUploadedFile(name, content)}, **self.headers)
        return getattr(self.client, method.lower())(
            url, data=json.dumps(data or {}), content_type="application/json", **self.headers)

    def post_form(self, url: str, data: dict) -> HttpResponse:
        """A page write with a form body (multipart, so files may go with it)."""
        return self.client.post(url, data, **self.headers)


def api_callers() -> list[tuple[str, str]]:
    """(role, channel) pairs of the API: a session and a token for each logged-in role."""
    return [(role, channel) for role in MATRIX_ROLES
            for channel in (("none",) if role == "anonymous" else ("session", "token"))]


# --- responses -----------------------------------------------------------------------------------

def body_of(response: HttpResponse) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(response: HttpResponse, content: bytes | None = None) -> str:
    """Everything a reader gets from a response as text: HTML unescaped, CSV/JSON as sent, XLSX cells."""
    content = body_of(response) if content is None else content
    kind = response.get("Content-Type", "")
    if kind.startswith(XLSX):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
        )
    text = content.decode("utf-8-sig", "replace")
    return html.unescape(text) if "html" in kind else text


def leaks_to(role: str, text: str) -> dict[str, list[str]]:
    """{sentinel: spellings} of the sentinels in `text` that `role` may not read."""
    return {value: forms for value, forms in leaked(text, ENTITLED).items() if role not in ENTITLED[value]}


# --- what the project serves ---------------------------------------------------------------------

def walk(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str | None]]:
    """(route, name) of every URL the project serves, from the resolver."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), (namespace + p.name) if p.name else None


def page_routes() -> list[tuple[str, str | None]]:
    """(route, name) of every page (the API, the admin and static files left out)."""
    return [(route, name) for route, name in walk()
            if not route.startswith((*SKIPPED_PREFIXES, API_PREFIX))]


def api_routes() -> list[tuple[str, str | None]]:
    return [(route, name) for route, name in walk()
            if route.startswith(API_PREFIX) and route.rstrip("/") not in API_DOCS]


def api_operations() -> list[tuple[str, str, str]]:
    """(method, path, name) of every API operation; the name is the view function's (its URL name)."""
    from poles.api.router import api

    names = sorted({name.removeprefix("api:") for _, name in api_routes() if name}, key=len, reverse=True)
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            op_id = operation["operationId"]
            name = next((n for n in names if op_id.endswith("_" + n)), op_id)
            found.append((method.upper(), path, name))
    return found


# --- reads: the URLs to try and whom each opens to ------------------------------------------------

@dataclass(frozen=True)
class Read:
    """A URL to GET; `opens` get 200, the roles in `answers` get that status, the others a refusal."""

    url: str
    opens: frozenset[str]
    answers: dict[str, int] = field(default_factory=dict)


REFUSED = {302, 401, 403, 404, 405}
"""A refusal: to the login page (anonymous on pages), 401 (anonymous on the API), 403, 404, or 405
(a POST-only page)."""


def _page(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None)


def _both(name: str, w, a: frozenset[str], b: frozenset[str], suffix: str = "") -> list[Read]:
    """A workspace page of cluster A (opening to `a`) and of cluster B (opening to `b`)."""
    return [Read(_page(name, slug=w.cluster_a.slug) + suffix, a), Read(_page(name, slug=w.cluster_b.slug) + suffix, b)]


def _public(name: str) -> Callable:
    return lambda w: [Read(_page(name), ALL)]


PAGE_READS: dict[str, Callable[[SimpleNamespace], list[Read]]] = {
    "home": _public("home"),
    "directory": _public("directory"),
    "map": _public("map"),
    "projects": _public("projects"),
    "calls": _public("calls"),
    "accessibility": _public("accessibility"),
    "cluster_profile": lambda w: _both("cluster_profile", w, ALL, ALL),
    "project_detail": lambda w: [
        Read(_page("project_detail", pk=w.public_project.pk), ALL),
        Read(_page("project_detail", pk=w.public_project_b.pk), ALL),
        Read(_page("project_detail", pk=w.hidden_project.pk), A_TEAM),
        Read(_page("project_detail", pk=w.hidden_project_b.pk), OFFICERS),
    ],
    # search: open to everyone, each hit through the permission layer (the hidden projects' acronyms
    # are sentinels of their clusters' teams; organisations show public fields only)
    "search": lambda w: [
        Read(_page("search") + f"?q={q}", ALL)
        for q in ("project", "member", "project&kind=project", "member&kind=organisation", "alpha", "")
    ],
    "organisation_detail": lambda w: [
        Read(_page("organisation_detail", pk=o.pk), ALL)
        for o in (w.org_a, w.org_b, w.org_member, w.org_shared, w.org_open)
    ],
    # language switch and accounts: the same for everyone; a GET of set_language only redirects
    "set_language": lambda w: [Read(_page("set_language"), NOBODY, {r: 302 for r in ALL})],
    "login": lambda w: [Read(_page("login"), frozenset({"anonymous"}), {r: 302 for r in AUTHENTICATED})],
    "logout": lambda w: [Read(_page("logout"), NOBODY)],
    "accounts:password_reset": _public("accounts:password_reset"),
    "accounts:password_reset_done": _public("accounts:password_reset_done"),
    "accounts:password_reset_complete": _public("accounts:password_reset_complete"),
    "accounts:password_reset_confirm": lambda w: [
        Read(_page("accounts:password_reset_confirm", uidb64="MQ", token="bad-token"), ALL)],
    "accounts:invitation-accept": lambda w: [
        Read(_page("accounts:invitation-accept", uidb64="MQ", token="bad-token"), ALL)],
    # the user's own pages
    "my_tokens": lambda w: [Read(_page("my_tokens"), AUTHENTICATED)],
    "consents": lambda w: [Read(_page("consents"), AUTHENTICATED)],
    "consent_decide": lambda w: [Read(_page("consent_decide", pk=w.grant_second_rep.pk), NOBODY)],
    "revoke_token": lambda w: [Read(_page("revoke_token", pk=w.foreign_token.pk), NOBODY)],
    # the workspace: cluster A's team (its manager, the regional officer of its region), the
    # officers; writing pages to A's manager and admins; B's pages to the officers only
    "workspace_index": lambda w: [Read(_page("workspace_index"), AUTHENTICATED - {"manager"}, {"manager": 302})],
    "workspace": lambda w: _both("workspace", w, A_TEAM, OFFICERS),
    "workspace_members": lambda w: _both("workspace_members", w, A_TEAM, OFFICERS),
    "workspace_members_export": lambda w: [
        *_both("workspace_members_export", w, A_TEAM, OFFICERS, "?format=csv"),
        *_both("workspace_members_export", w, A_TEAM, OFFICERS, "?format=xlsx"),
    ],
    "workspace_organisation_new": lambda w: _both("workspace_organisation_new", w, A_WRITERS, ADMIN),
    "workspace_organisation_category": lambda w: _both(
        "workspace_organisation_category", w, A_TEAM, OFFICERS, "?kind=company&staff=12&turnover=1000"),
    "workspace_organisation_edit": lambda w: [
        Read(_page("workspace_organisation_edit", slug=w.cluster_a.slug, pk=w.org_a.pk), A_WRITERS),
        Read(_page("workspace_organisation_edit", slug=w.cluster_a.slug, pk=w.org_member.pk), A_WRITERS),
        # members of A that A did not supply: another cluster's, and one from open data
        Read(_page("workspace_organisation_edit", slug=w.cluster_a.slug, pk=w.org_shared.pk), ADMIN),
        Read(_page("workspace_organisation_edit", slug=w.cluster_a.slug, pk=w.org_open.pk), ADMIN),
        Read(_page("workspace_organisation_edit", slug=w.cluster_b.slug, pk=w.org_b.pk), ADMIN),
        Read(_page("workspace_organisation_edit", slug=w.cluster_b.slug, pk=w.org_shared.pk), ADMIN),
        Read(_page("workspace_organisation_edit", slug=w.cluster_a.slug, pk=w.org_b.pk), NOBODY),
    ],
    "workspace_import": lambda w: _both("workspace_import", w, A_WRITERS, ADMIN),
    "workspace_import_job": lambda w: [
        Read(_page("workspace_import_job", slug=w.cluster_a.slug, pk=w.import_a.pk), A_WRITERS),
        Read(_page("workspace_import_job", slug=w.cluster_b.slug, pk=w.import_b.pk), ADMIN),
        Read(_page("workspace_import_job", slug=w.cluster_a.slug, pk=w.import_b.pk), NOBODY),
    ],
    "workspace_import_template": lambda w: [
        *[Read(_page("workspace_import_template", slug=w.cluster_a.slug, fmt=fmt), A_WRITERS) for fmt in ("csv", "xlsx")],
        Read(_page("workspace_import_template", slug=w.cluster_b.slug, fmt="xlsx"), ADMIN),
    ],
    # POST only: every GET is refused (405 for those who may import, 403/404 for the others)
    "workspace_import_confirm": lambda w: [
        Read(_page("workspace_import_confirm", slug=w.cluster_a.slug, pk=w.preview_a.pk), NOBODY)],
    "workspace_import_cancel": lambda w: [
        Read(_page("workspace_import_cancel", slug=w.cluster_a.slug, pk=w.preview_a.pk), NOBODY)],
    "workspace_memberships": lambda w: _both("workspace_memberships", w, A_TEAM, OFFICERS),
    "workspace_renew": lambda w: _both("workspace_renew", w, NOBODY, NOBODY),
    "workspace_projects": lambda w: _both("workspace_projects", w, A_TEAM, OFFICERS),
    # opens to the workspace's readers, but lists only what `visible(AuditEntry)` gives them (the
    # managers' clusters, everything for admins): officers get an empty page (docs/web.md says
    # "managers, admins"); the entries' contents are searched like any page
    "workspace_audit": lambda w: _both("workspace_audit", w, A_TEAM, OFFICERS),
    # invitations: the cluster's managers, and the programme officers who give every role
    "workspace_invite": lambda w: _both("workspace_invite", w, A_WRITERS | OFFICERS, OFFICERS),
    # every entry for admins, their clusters' for managers; a 403 for every other role
    "audit": lambda w: [Read(_page("audit"), A_WRITERS)],
    # the programme view: national officers (every cluster), regional officers (theirs)
    "programme": lambda w: [Read(_page("programme"), PROGRAMME)],
    "programme_export": lambda w: [Read(_page("programme_export") + "?format=csv", PROGRAMME),
                                   Read(_page("programme_export") + "?format=xlsx", PROGRAMME)],
    "programme_compare": lambda w: [
        Read(_page("programme_compare") + f"?c={w.cluster_a.slug}&c={w.cluster_b.slug}", OFFICERS)],
    # excellence labels: the workspace tab (its readers), the edit page (who may change the label:
    # its cluster's managers and the programme officers), deletion by POST only; the programme's
    # follow-up page and its exports (the officers, regional ones for their clusters)
    "workspace_labels": lambda w: _both("workspace_labels", w, A_TEAM, OFFICERS),
    "workspace_label_edit": lambda w: [
        Read(_page("workspace_label_edit", slug=w.cluster_a.slug, pk=w.label_a.pk), A_WRITERS | OFFICERS),
        Read(_page("workspace_label_edit", slug=w.cluster_b.slug, pk=w.label_b.pk), OFFICERS),
        Read(_page("workspace_label_edit", slug=w.cluster_a.slug, pk=w.label_b.pk), NOBODY),
    ],
    "workspace_label_delete": lambda w: [
        Read(_page("workspace_label_delete", slug=w.cluster_a.slug, pk=w.label_a.pk), NOBODY)],
    "programme_labels": lambda w: [Read(_page("programme_labels"), PROGRAMME)],
    "programme_labels_export": lambda w: [
        Read(_page("programme_labels_export") + f"?list={name}&format={fmt}", PROGRAMME)
        for name in ("expiring", "missing") for fmt in ("csv", "xlsx")],
    # the state of play: the country's for every programme officer, a region's for its regional
    # officers and the national ones
    **{name: (lambda w, name=name: [Read(_page(name, territory="FR"), PROGRAMME),
                                     Read(_page(name, territory="84"), PROGRAMME),
                                     Read(_page(name, territory="53"), OFFICERS)])
       for name in ("policy_territory", "policy_factsheet")},
    "policy_index": lambda w: [Read(_page("policy_index"), PROGRAMME)],
    "policy_export": lambda w: [Read(_page("policy_export") + f"?format={fmt}", PROGRAMME) for fmt in ("csv", "xlsx")],
    # a page's chart as CSV or SVG: opens to whoever reads the page it belongs to
    "chart": lambda w: [
        Read(_page("chart", key=key) + f"?{query}format={fmt}", opens)
        for fmt in ("csv", "svg")
        for key, query, opens in (
            ("home-members", "", ALL), ("home-funding", "", ALL),
            ("cluster-members", f"cluster={w.cluster_a.slug}&", ALL),
            ("cluster-projects", f"cluster={w.cluster_a.slug}&", ALL),
            ("cluster-projects", f"cluster={w.cluster_b.slug}&", ALL),
            ("cluster-categories", f"cluster={w.cluster_a.slug}&", A_TEAM),
            ("cluster-categories", f"cluster={w.cluster_b.slug}&", OFFICERS),
            ("programme-scatter", "", PROGRAMME),
            ("compare-members", f"c={w.cluster_a.slug}&c={w.cluster_b.slug}&", OFFICERS),
            ("compare-funding", f"c={w.cluster_a.slug}&c={w.cluster_b.slug}&", OFFICERS),
            ("dashboard-members", "year=2025&", ALL), ("dashboard-categories", "region=84&", ALL),
            ("dashboard-cluster-members", f"cluster={w.cluster_a.slug}&", ALL),
            ("dashboard-cluster-peers", f"cluster={w.cluster_a.slug}&year=2024&", ALL),
            ("dashboard-cluster-peers", f"cluster={w.cluster_b.slug}&year=2024&", ALL),
        )
    ],
    # dashboards: public figures and aggregates of at least 3 clusters to everyone; a cluster's
    # confidential indicators to its readers only (the same page, fewer rows)
    "dashboard": lambda w: [Read(_page("dashboard"), ALL),
                            Read(_page("dashboard") + "?year=2025&region=84&phase=V", ALL)],
    "dashboard_region": lambda w: [Read(_page("dashboard_region", code="84"), ALL)],
    "dashboard_cluster": lambda w: [Read(_page("dashboard_cluster", slug=w.cluster_a.slug), ALL),
                                    Read(_page("dashboard_cluster", slug=w.cluster_b.slug) + "?year=2024", ALL)],
    # reports: runs and their files for the national officers; a cluster's report for its workspace's readers
    "programme_reports": lambda w: [Read(_page("programme_reports"), OFFICERS)],
    "programme_report_run": lambda w: [Read(_page("programme_report_run", pk=w.report_run.pk), OFFICERS)],
    "programme_report_file": lambda w: [
        Read(reverse("programme_report_file", args=[w.report_run.pk, "2024-national.xlsx"]), OFFICERS)],
    "workspace_annual_report": lambda w: [
        *_both("workspace_annual_report", w, A_TEAM, OFFICERS, "?year=2024&format=xlsx")],
    # each role's home: /me/ redirects every logged-in role; the region overview opens to the
    # region's officers and the programme officers; the organisation page to its representatives
    "landing": lambda w: [Read(_page("landing"), NOBODY, {r: 302 for r in AUTHENTICATED})],
    "region_index": lambda w: [Read(_page("region_index"), OFFICERS, {"regional": 302})],
    "region_overview": lambda w: [Read(_page("region_overview", code="84"), PROGRAMME),
                                  Read(_page("region_overview", code="53"), OFFICERS)],
    "my_organisations": lambda w: [Read(_page("my_organisations"), NOBODY, {"member": 302})],
    "my_organisation": lambda w: [Read(_page("my_organisation", pk=w.org_member.pk), frozenset({"member"})),
                                  Read(_page("my_organisation", pk=w.org_b.pk), NOBODY)],
    "reviewer_inbox": lambda w: [Read(_page("reviewer_inbox"), frozenset({"reviewer"}))],
    # calls, officer pages (tests/calls_review_world.py): programme officers only; the actions that
    # only POST redirect an officer's GET back to the call
    "calls_officer_index": lambda w: [Read(_page("calls_officer_index"), OFFICERS)],
    "calls_workflow": _public("calls_workflow"),
    **{name: (lambda w, name=name: [Read(_page(name, pk=w.calls_setup.pk), OFFICERS)])
       for name in ("calls_officer_setup", "calls_officer_files", "calls_officer_assignments", "calls_officer_panel",
                    "calls_officer_selection")},
    **{name: (lambda w, name=name: [Read(_page(name, pk=w.calls_setup.pk), NOBODY, {r: 302 for r in OFFICERS})])
       for name in ("calls_officer_rounds", "calls_officer_publish")},
    "calls_officer_export": lambda w: [Read(_page("calls_officer_export", pk=w.calls_setup.pk, kind=kind), OFFICERS)
                                       for kind in ("files", "reviews", "decisions")],
    "calls_officer_file": lambda w: [Read(_page("calls_officer_file", pk=a.pk), OFFICERS)
                                     for a in (w.calls_file_assigned, w.calls_file_other)],
    # a file in review has no agreement yet: officers are sent back to the file
    "calls_officer_agreement": lambda w: [
        Read(_page("calls_officer_agreement", pk=w.calls_file_assigned.pk), NOBODY, {r: 302 for r in OFFICERS})],
    # reviewers: their profile, and only the files assigned to them (another's assignment is a 404)
    "calls_reviewer_profile": lambda w: [Read(_page("calls_reviewer_profile"), frozenset({"reviewer"}))],
    "calls_reviewer_review": lambda w: [
        Read(_page("calls_reviewer_review", pk=w.calls_assignment.pk), frozenset({"reviewer"})),
        Read(_page("calls_reviewer_review", pk=w.calls_other_assignment.pk), NOBODY),
    ],
    # the annual survey: the programme's pages to the officers (a regional officer sees their
    # region's reports only); a report to its cluster's workspace readers; the actions are POST only
    "survey_index": lambda w: [Read(_page("survey_index"), PROGRAMME)],
    "survey_open": lambda w: [Read(_page("survey_open"), NOBODY)],
    "survey_status": lambda w: [Read(_page("survey_status", year=2024), PROGRAMME),
                                Read(_page("survey_status", year=2023), PROGRAMME)],
    "survey_remind": lambda w: [Read(_page("survey_remind", year=2024), NOBODY)],
    # the survey's exports (status, figures): the officers, each their scope's reports
    "survey_export": lambda w: [Read(_page("survey_export", year=2024, kind=kind) + f"?format={fmt}", PROGRAMME)
                                for kind in ("status", "figures") for fmt in ("csv", "xlsx")],
    "workspace_survey": lambda w: _both("workspace_survey", w, A_TEAM, OFFICERS),
    "workspace_report": lambda w: [
        Read(_page("workspace_report", slug=c.slug, year=year), opens)
        for year in (2024, 2023) for c, opens in ((w.cluster_a, A_TEAM), (w.cluster_b, OFFICERS))],
    **{name: (lambda w, name=name: [Read(_page(name, slug=w.cluster_a.slug, year=2024), NOBODY)])
       for name in ("workspace_report_action", "workspace_report_evidence")},
    "workspace_report_evidence_file": lambda w: [
        Read(_page("workspace_report_evidence_file", slug=w.cluster_a.slug, year=2024, pk=w.evidence_a.pk), A_TEAM),
        Read(_page("workspace_report_evidence_file", slug=w.cluster_b.slug, year=2024, pk=w.evidence_b.pk), OFFICERS),
        Read(_page("workspace_report_evidence_file", slug=w.cluster_a.slug, year=2024, pk=w.evidence_b.pk), NOBODY),
    ],
    "workspace_report_evidence_remove": lambda w: [Read(_page(
        "workspace_report_evidence_remove", slug=w.cluster_a.slug, year=2024, pk=w.evidence_a.pk), NOBODY)],
    # account management: administrators, national officers, regional officers (their region's
    # regional officers only); the actions are POST only
    "accounts_manage": lambda w: [Read(_page("accounts_manage"), PROGRAMME),
                                  Read(_page("accounts_manage") + "?status=pending&role=regional", PROGRAMME)],
    "account_invite": lambda w: [Read(_page("account_invite"), PROGRAMME)],
    "account_detail": lambda w: [Read(_page("account_detail", pk=w.pending.pk), PROGRAMME),
                                 Read(_page("account_detail", pk=w.users["manager"].pk), OFFICERS),
                                 Read(_page("account_detail", pk=w.users["admin"].pk), OFFICERS)],
    **{name: (lambda w, name=name: [Read(_page(name, pk=w.pending.pk), NOBODY)])
       for name in ("account_resend", "account_cancel", "account_deactivate", "account_reactivate")},
    "grant_revoke": lambda w: [Read(_page("grant_revoke", pk=w.grant_pending.pk), NOBODY)],
    # the organisation picker: programme officers search every organisation; through a cluster,
    # whoever may invite to it (its managers) searches its members
    # certification campaigns: officers run them; A's application opens to its manager and to the
    # regional officer assigned to evaluate it; each evaluation only to its evaluator
    "certification_home": lambda w: [Read(_page("certification_home"), AUTHENTICATED)],
    "certification_campaign": lambda w: [Read(_page("certification_campaign", pk=w.campaign.pk), OFFICERS)],
    "certification_consolidation": lambda w: [Read(_page("certification_consolidation", pk=w.campaign.pk), OFFICERS)],
    "certification_candidacy": lambda w: [
        Read(_page("certification_candidacy", pk=w.candidacy_a.pk), OFFICERS | {"manager", "regional"}),
        Read(_page("certification_candidacy", pk=w.candidacy_b.pk), OFFICERS)],
    "certification_decide": lambda w: [Read(_page("certification_decide", pk=w.candidacy_a.pk), OFFICERS)],
    "certification_evaluate": lambda w: [
        Read(_page("certification_evaluate", pk=w.evaluation_a.pk), frozenset({"regional"})),
        Read(_page("certification_evaluate", pk=w.evaluation_b.pk), frozenset({"national"}))],
    **{name: (lambda w, name=name: [Read(_page(name, pk=w.candidacy_a.pk), NOBODY)])
       for name in ("certification_candidacy_submit", "certification_assign")},
    "certification_campaign_action": lambda w: [
        Read(_page("certification_campaign_action", pk=w.campaign.pk), NOBODY)],
    # exports of a campaign (scores, decisions): the programme officers
    "certification_export": lambda w: [
        Read(_page("certification_export", pk=w.campaign.pk, kind=kind) + f"?format={fmt}", OFFICERS)
        for kind in ("scores", "decisions") for fmt in ("csv", "xlsx")],
    # evidence files: the applying cluster's managers, the officers and the evaluator assigned (the
    # regional officer on A's draft); a file asked through another application is found by nobody
    "certification_file": lambda w: [
        Read(_page("certification_file", pk=w.draft_a.pk, file_pk=w.cert_file_a.pk), OFFICERS | {"manager", "regional"}),
        Read(_page("certification_file", pk=w.draft_b.pk, file_pk=w.cert_file_b.pk), OFFICERS),
        Read(_page("certification_file", pk=w.draft_a.pk, file_pk=w.cert_file_b.pk), NOBODY)],
    "certification_file_add": lambda w: [Read(_page("certification_file_add", pk=w.draft_a.pk), NOBODY)],
    "certification_file_remove": lambda w: [
        Read(_page("certification_file_remove", pk=w.draft_a.pk, file_pk=w.cert_file_a.pk), NOBODY)],
    "organisation_search": lambda w: [
        Read(_page("organisation_search") + "?q=member", OFFICERS),
        Read(_page("organisation_search") + f"?q=member&cluster={w.cluster_a.pk}", A_WRITERS | OFFICERS),
        Read(_page("organisation_search") + f"?q=member&cluster={w.cluster_b.pk}", OFFICERS),
    ],
    # calls: the public call pages, the applicant's workspace, the clusters' labelling queues
    **calls_page_reads(Read, ALL, AUTHENTICATED, NOBODY),
}


def _api(path: str) -> str:
    return "/" + API_PREFIX + path.lstrip("/")


def _listing(path: str, opens: frozenset[str] = ALL) -> Callable:
    """A list: its first page and its whole CSV (`?format=csv`)."""
    return lambda w: [Read(_api(path), opens), Read(_api(path) + "?format=csv", opens)]


def _export(path: str, opens: frozenset[str] = ALL) -> Callable:
    return lambda w: [Read(_api(path), opens)]


def _details(path: str, objects: Callable[[SimpleNamespace], list[tuple[object, frozenset[str]]]]) -> Callable:
    return lambda w: [Read(_api(path.format(pk=obj.pk)), opens) for obj, opens in objects(w)]


API_READS: dict[str, Callable[[SimpleNamespace], list[Read]]] = {
    "api-root": lambda w: [Read(_api(""), NOBODY, {r: 404 for r in ALL})],
    "list_clusters": _listing("clusters"),
    "export_clusters": _export("clusters/export.csv"),
    "get_cluster": _details("clusters/{pk}", lambda w: [(w.cluster_a, ALL), (w.cluster_b, ALL)]),
    "list_organisations": lambda w: [
        *_listing("organisations")(w),
        # a cluster's member list through the organisation filter (finding 5)
        Read(_api(f"organisations?cluster={w.cluster_a.slug}&year=2025"), ALL),
        Read(_api(f"organisations?cluster={w.cluster_b.slug}&year=2025&format=csv"), ALL),
    ],
    "export_organisations": _export("organisations/export.csv"),
    # search: public fields of the visible rows (unpublished projects for their teams only)
    "search": lambda w: [Read(_api(f"search?q={q}"), ALL)
                         for q in ("project", "member", "alpha", "member&kind=organisation&page_size=1&page=2")],
    "get_organisation": _details("organisations/{pk}", lambda w: [
        (o, ALL) for o in (w.org_a, w.org_b, w.org_member, w.org_shared, w.org_open)]),
    "list_memberships": lambda w: [
        *_listing("memberships")(w),
        Read(_api(f"memberships?cluster={w.cluster_b.slug}&ordering=-fee_paid"), ALL),
    ],
    "export_memberships": _export("memberships/export.csv"),
    "get_membership": _details("memberships/{pk}", lambda w: [
        (w.membership_a, A_READERS), (w.membership_member, A_READERS), (w.membership_shared, A_READERS),
        (w.membership_open, A_READERS), (w.membership_b, OFFICERS), (w.membership_shared_b, OFFICERS)]),
    "list_projects": _listing("projects"),
    "export_projects": _export("projects/export.csv"),
    "get_project": _details("projects/{pk}", lambda w: [
        (w.public_project, ALL), (w.public_project_b, ALL), (w.hidden_project, A_TEAM),
        (w.hidden_project_b, OFFICERS)]),
    "list_participations": _listing("participations"),
    "export_participations": _export("participations/export.csv"),
    "get_participation": _details("participations/{pk}", lambda w: [
        (w.participation_a, ALL), (w.participation_b, ALL), (w.participation_hidden, A_TEAM)]),
    "list_fundings": _listing("fundings"),
    "export_fundings": _export("fundings/export.csv"),
    "get_funding": _details("fundings/{pk}", lambda w: [(w.funding_a, ALL), (w.funding_b, ALL)]),
    "list_calls": _listing("calls"),
    "export_calls": _export("calls/export.csv"),
    "get_call": _details("calls/{pk}", lambda w: [(w.call, ALL)]),
    "list_regions": _listing("regions"),
    "export_regions": _export("regions/export.csv"),
    "get_region": lambda w: [Read(_api("regions/84"), ALL), Read(_api("regions/53"), ALL)],
    "list_nace": _listing("nomenclatures/nace"),
    "export_nace": _export("nomenclatures/nace/export.csv"),
    "list_naf": _listing("nomenclatures/naf"),
    "export_naf": _export("nomenclatures/naf/export.csv"),
    "list_ecosystems": _listing("nomenclatures/ecosystems"),
    "export_ecosystems": _export("nomenclatures/ecosystems/export.csv"),
    # the caller's own: tokens, the audit trail (filtered), the consents asked of them
    "list_tokens": lambda w: [Read(_api("tokens"), AUTHENTICATED)],
    "list_audit": _listing("audit", AUTHENTICATED),
    "export_audit": _export("audit/export.csv", AUTHENTICATED),
    "list_consents": lambda w: [Read(_api("consents"), AUTHENTICATED)],
    # indicators: open to all, confidential values withheld by the secrecy rule (cluster A's 2024
    # budget holds SENTINEL_STATE_BUDGET; its fees and aid sum the sentinels with others)
    "list_indicators": lambda w: [
        Read(_api(f"indicators?scope=cluster:{w.cluster_a.slug}&year=2024"), ALL),
        Read(_api(f"indicators?scope=cluster:{w.cluster_a.slug}&year=2025&ranks=true"), ALL),
        Read(_api(f"indicators?scope=cluster:{w.cluster_b.slug}&year=2025&format=csv"), ALL),
        Read(_api("indicators?scope=region:84&year=2024&codes=budget_state,budget_total,fees_invoiced"), ALL),
        Read(_api("indicators?year=2025&lang=en"), ALL),
    ],
    "indicator_series": lambda w: [
        Read(_api(f"indicators/series?scope=cluster:{w.cluster_a.slug}&first=2023&last=2025"), ALL),
        Read(_api(f"indicators/series?scope=cluster:{w.cluster_b.slug}&first=2024&last=2025&format=csv"), ALL),
    ],
    "indicator_definitions": lambda w: [Read(_api("indicators/definitions"), ALL)],
    # calls for projects: published calls for everyone, drafts for the programme officers; a file
    # for its consortium, the clusters it asked, its assigned reviewers and the officers; another
    # consortium's file and an unassigned reviewer's never; reviews to their reviewer and the officers
    "list_published_calls": lambda w: [Read(_api("calls/published"), ALL)],
    "get_call_setup": lambda w: [Read(_api(f"calls/{w.call_setup.pk}/setup"), ALL),
                                 Read(_api(f"calls/{w.draft_setup.pk}/setup"), OFFICERS)],
    "list_applications": lambda w: [Read(_api("applications"), AUTHENTICATED),
                                    Read(_api(f"applications?call={w.call_setup.pk}"), AUTHENTICATED)],
    "get_application": _details("applications/{pk}", lambda w: [
        (w.app_own, OFFICERS | {"member", "manager", "reviewer"}), (w.app_rival, OFFICERS),
        (w.app_draft, OFFICERS | {"member"}), (w.app_submitted, OFFICERS | {"member"})]),
    "list_assignments": lambda w: [Read(_api("reviews/assignments"), AUTHENTICATED)],
    "list_reviews": lambda w: [Read(_api("reviews"), AUTHENTICATED),
                               Read(_api(f"reviews?application={w.app_own.pk}"), AUTHENTICATED)],
    "get_selection": _details("selections/{pk}", lambda w: [(w.selection, OFFICERS)]),
    # the steps the pages had alone (tests/api/test_calls_steps_api.py): labelling requests to the
    # officers, the cluster asked and the consortium; documents to whoever opens the file (the
    # assigned reviewer too, never another consortium or an unassigned reviewer); assignment,
    # what-if and agreements to the programme officers
    "list_labelling_requests": lambda w: [Read(_api("labelling-requests"), AUTHENTICATED),
                                          Read(_api(f"labelling-requests?cluster={w.cluster_b.pk}"), AUTHENTICATED)],
    "get_labelling_request": _details("labelling-requests/{pk}", lambda w: [
        (w.labelling_a, OFFICERS | {"manager", "member"}), (w.labelling_b, OFFICERS)]),
    "list_documents": lambda w: [
        Read(_api(f"applications/{w.app_own.pk}/documents"), OFFICERS | {"member", "manager", "reviewer"}),
        Read(_api(f"applications/{w.app_rival.pk}/documents"), OFFICERS)],
    "download_document": lambda w: [
        Read(_api(f"applications/{w.app_own.pk}/documents/{w.doc_own.pk}"), OFFICERS | {"member", "manager", "reviewer"}),
        Read(_api(f"applications/{w.app_rival.pk}/documents/{w.doc_rival.pk}"), OFFICERS),
        Read(_api(f"applications/{w.app_own.pk}/documents/{w.doc_rival.pk}"), NOBODY)],
    "list_call_assignments": lambda w: [Read(_api(f"assignments?call={w.call_setup.pk}"), OFFICERS)],
    "list_exclusions": lambda w: [Read(_api(f"assignments/exclusions?call={w.call_setup.pk}"), OFFICERS)],
    "what_if": lambda w: [Read(_api(f"selections/what-if?call={w.call_setup.pk}&envelope=100000"), OFFICERS)],
    "get_agreement": lambda w: [Read(_api(f"agreements/{w.app_agreed.pk}"), OFFICERS),
                                Read(_api(f"agreements/{w.app_selected.pk}"), OFFICERS),
                                Read(_api(f"agreements/{w.app_own.pk}"), NOBODY)],
    # excellence labels are public (as on the profiles); their follow-up is the programme's
    "list_labels": lambda w: [*_listing("labels")(w), Read(_api(f"labels?cluster={w.cluster_a.slug}&level=silver"), ALL)],
    "export_labels": _export("labels/export.csv"),
    "label_follow_up": lambda w: [Read(_api("labels/follow-up"), PROGRAMME),
                                  Read(_api("labels/follow-up?format=csv&list=missing"), PROGRAMME)],
    # the state of play: the framework is public, the assessments the programme officers'
    "state_of_play_framework": lambda w: [Read(_api("state-of-play/framework"), ALL)],
    "list_state_of_play": lambda w: [Read(_api("state-of-play"), PROGRAMME), Read(_api("state-of-play?format=csv"), PROGRAMME)],
    "get_state_of_play": lambda w: [Read(_api("state-of-play/FR"), PROGRAMME), Read(_api("state-of-play/84"), PROGRAMME),
                                    Read(_api("state-of-play/53"), OFFICERS)],
    # the annual survey: the status to the officers (a regional officer's scope: A); a report to its
    # cluster's managers and the officers in scope; no snapshot before validation
    "list_surveys": lambda w: [Read(_api("surveys"), PROGRAMME)],
    "get_survey": lambda w: [Read(_api("surveys/2024"), PROGRAMME), Read(_api("surveys/2024?format=csv"), PROGRAMME),
                             Read(_api("surveys/2023"), PROGRAMME)],
    "get_survey_report": lambda w: [
        Read(_api(f"surveys/2024/reports/{w.cluster_a.slug}"), A_TEAM),
        Read(_api(f"surveys/2023/reports/{w.cluster_a.pk}"), A_TEAM),
        Read(_api(f"surveys/2024/reports/{w.cluster_b.slug}"), OFFICERS)],
    "get_survey_snapshot": lambda w: [Read(_api(f"surveys/2023/reports/{w.cluster_a.slug}/snapshot"), NOBODY)],
    # certification: campaigns to the officers and to whom applies or evaluates; an application to its
    # cluster's managers, its evaluators and the officers; scores to their evaluator and the officers;
    # the consolidation to the officers; decisions to everyone once published (none is here)
    "certification_list_campaigns": lambda w: [Read(_api("certification/campaigns"), ALL)],
    "certification_get_campaign": lambda w: [
        Read(_api(f"certification/campaigns/{w.campaign.pk}"), OFFICERS | {"manager", "regional"}),
        Read(_api(f"certification/campaigns/{w.open_campaign.pk}"), OFFICERS | {"manager", "regional"})],
    "certification_get_application": _details("certification/applications/{pk}", lambda w: [
        (w.candidacy_a, OFFICERS | {"manager", "regional"}), (w.candidacy_b, OFFICERS),
        (w.draft_a, OFFICERS | {"manager", "regional"}), (w.draft_b, OFFICERS)]),
    "certification_get_application_file": lambda w: [
        Read(_api(f"certification/applications/{w.draft_a.pk}/files/{w.cert_file_a.pk}"), OFFICERS | {"manager", "regional"}),
        Read(_api(f"certification/applications/{w.draft_b.pk}/files/{w.cert_file_b.pk}"), OFFICERS),
        Read(_api(f"certification/applications/{w.draft_a.pk}/files/{w.cert_file_b.pk}"), NOBODY)],
    "certification_get_evaluation": _details("certification/evaluations/{pk}", lambda w: [
        (w.evaluation_a, OFFICERS | {"regional"}), (w.evaluation_b, OFFICERS)]),
    "certification_campaign_consolidation": lambda w: [
        Read(_api(f"certification/campaigns/{w.campaign.pk}/consolidation"), OFFICERS)],
    "certification_campaign_decisions": lambda w: [
        Read(_api(f"certification/campaigns/{w.campaign.pk}/decisions"), NOBODY)],
}


@cache
def served_names() -> frozenset[str]:
    """The names of the pages and API operations the project serves now."""
    return frozenset({name for _, name in page_routes() if name} | {name for _, _, name in api_operations()}
                     | {"api-root"})


def served(table: dict[str, Callable], w: SimpleNamespace) -> list:
    """Every entry of a table for what is served (an entry for something no longer served is
    reported by `test_every_endpoint_has_an_expectation`, not walked)."""
    names = served_names()
    return [entry for name, build in table.items() if name in names for entry in build(w)]


def status_failure(read: Read, caller: Caller, response: HttpResponse) -> str | None:
    """Why the answer's status is not the expected one for this caller (None when it is)."""
    status = response.status_code
    if caller.role in read.answers:
        expected = read.answers[caller.role]
        return None if status == expected else f"expected {expected}, got {status}"
    if caller.role in read.opens:
        return None if status == 200 else f"expected 200 (entitled), got {status}"
    if status not in REFUSED:
        return f"expected a refusal ({', '.join(map(str, sorted(REFUSED)))}), got {status}"
    if status == 302 and not response["Location"].startswith(resolve_url(settings.LOGIN_URL)):
        return f"refused by a redirect elsewhere than the login page: {response['Location']}"
    return None


# --- writes: targets, valid bodies, who may write them -------------------------------------------

CHANGED = "changed by the permission matrix"


@dataclass(frozen=True)
class Write:
    """An API write: method, URL, a valid JSON body, and the roles that may make it."""

    method: str
    url: str
    body: dict
    allowed: frozenset[str]
    refusals: frozenset[int] = frozenset({401, 403, 404})
    """The statuses that refuse it (an invitation no one may make is also refused as invalid: 422)."""
    upload: tuple[str, bytes] | None = None
    """A file sent as multipart/form-data field `file` (the body's values as its fields), not JSON."""

    def __str__(self) -> str:
        return f"{self.method} {self.url} {self.body}"


def _new_siren(n: int) -> str:
    return siren(90_000_000 + n)


LABEL_BODY = {"level": "gold", "issuer": "ESCA", "awarded": "2025-06-01", "expires": "2027-06-01"}
SOP_SCORES = {"policy_scope": 3, "continuity": 3, "evidence": 2, "instruments": 3}

API_WRITES: dict[str, Callable[[SimpleNamespace], list[Write]]] = {
    "create_organisation": lambda w: [
        Write("POST", _api("organisations"), {"name": "Matrix Org A", "siren": _new_siren(1),
              "cluster": w.cluster_a.pk, "year": current_year()}, A_WRITERS),
        Write("POST", _api("organisations"), {"name": "Matrix Org B", "siren": _new_siren(2),
              "cluster": w.cluster_b.pk, "year": current_year()}, ADMIN),
        Write("POST", _api("organisations"), {"name": "Matrix Org", "siren": _new_siren(3)}, ADMIN),
    ],
    "update_organisation": lambda w: [
        Write("PATCH", _api(f"organisations/{w.org_a.pk}"), {"description": CHANGED}, A_WRITERS),
        Write("PATCH", _api(f"organisations/{w.org_member.pk}"), {"description": CHANGED}, A_WRITERS | {"member"}),
        Write("PATCH", _api(f"organisations/{w.org_member.pk}"),
              {"figures": {"year": 2024, "turnover": "30000.00"}}, A_WRITERS | {"member"}),
        # a member of A that A did not supply: another cluster's, and one from open data
        Write("PATCH", _api(f"organisations/{w.org_shared.pk}"), {"name": "Taken over"}, ADMIN),
        Write("PATCH", _api(f"organisations/{w.org_shared.pk}"),
              {"figures": {"year": 2024, "turnover": "1.00"}}, ADMIN),
        Write("PATCH", _api(f"organisations/{w.org_open.pk}"), {"address": CHANGED}, ADMIN),
        Write("PATCH", _api(f"organisations/{w.org_b.pk}"), {"description": CHANGED}, ADMIN),
    ],
    "create_membership": lambda w: [
        Write("POST", _api("memberships"), {"organisation": w.org_b.pk, "cluster": w.cluster_a.pk,
              "year": current_year(), "status": "pending"}, A_WRITERS),
        Write("POST", _api("memberships"), {"organisation": w.org_a.pk, "cluster": w.cluster_b.pk,
              "year": current_year()}, ADMIN),
    ],
    "update_membership": lambda w: [
        Write("PATCH", _api(f"memberships/{m.pk}"), {"fee_invoiced": "200.00", "fee_paid": "10.00"}, allowed) for m, allowed in (
            (w.membership_a, A_WRITERS), (w.membership_member, A_WRITERS), (w.membership_shared, A_WRITERS),
            (w.membership_b, ADMIN), (w.membership_shared_b, ADMIN))
    ],
    "renew": lambda w: [
        Write("POST", _api("memberships/renewals"), {"cluster": w.cluster_a.pk, "from_year": 2025}, A_WRITERS),
        Write("POST", _api("memberships/renewals"), {"cluster": w.cluster_b.pk, "from_year": 2025}, ADMIN),
    ],
    "update_project": lambda w: [
        Write("PATCH", _api(f"projects/{p.pk}"), {"summary": CHANGED}, allowed) for p, allowed in (
            (w.public_project, A_WRITERS), (w.hidden_project, A_WRITERS),
            (w.public_project_b, ADMIN), (w.hidden_project_b, ADMIN))
    ],
    "invite_to_cluster": lambda w: [
        # A's managers, and the programme officers who give every role (docs/permissions.md)
        Write("POST", _api(f"clusters/{w.cluster_a.pk}/invitations"),
              {"email": "new-manager@example.org", "role": "manager"}, A_WRITERS | OFFICERS),
        Write("POST", _api(f"clusters/{w.cluster_a.pk}/invitations"),
              {"email": "rep-of-a@example.org", "role": "member", "organisation": w.org_a.pk}, A_WRITERS | OFFICERS),
        # a representative of a member another cluster supplied: made, but waits for consent (from
        # a manager; a programme officer's invitation is the consent)
        Write("POST", _api(f"clusters/{w.cluster_a.pk}/invitations"),
              {"email": "rep-of-shared@example.org", "role": "member", "organisation": w.org_shared.pk},
              A_WRITERS | OFFICERS),
        Write("POST", _api(f"clusters/{w.cluster_b.pk}/invitations"),
              {"email": "new-manager@example.org", "role": "manager"}, OFFICERS),
        # roles no invitation gives, and a representative of an organisation that is no member of A
        *[Write("POST", _api(f"clusters/{w.cluster_a.pk}/invitations"), {"email": "x@example.org", "role": role},
                NOBODY, frozenset({401, 403, 404, 422})) for role in ("national", "admin", "regional")],
        Write("POST", _api(f"clusters/{w.cluster_a.pk}/invitations"),
              {"email": "rep-of-b@example.org", "role": "member", "organisation": w.org_b.pk},
              NOBODY, frozenset({401, 403, 404, 422})),
    ],
    # a cluster's excellence label: its managers and the programme officers
    "create_label": lambda w: [
        Write("POST", _api(f"labels/clusters/{w.cluster_a.pk}"), LABEL_BODY, A_WRITERS | OFFICERS),
        Write("POST", _api(f"labels/clusters/{w.cluster_b.pk}"), LABEL_BODY, OFFICERS),
    ],
    "update_label": lambda w: [
        Write("PATCH", _api(f"labels/{w.label_a.pk}"), {"level": "gold"}, A_WRITERS | OFFICERS),
        Write("PATCH", _api(f"labels/{w.label_b.pk}"), {"level": "gold"}, OFFICERS),
    ],
    "delete_label": lambda w: [
        Write("DELETE", _api(f"labels/{w.label_a.pk}"), {}, A_WRITERS | OFFICERS),
        Write("DELETE", _api(f"labels/{w.label_b.pk}"), {}, OFFICERS),
    ],
    # the state of play: the national officers every territory, a regional officer their region
    "save_state_of_play": lambda w: [
        Write("POST", _api(f"state-of-play/{code}"), {"year": 2024, "scores": SOP_SCORES}, allowed)
        for code, allowed in (("FR", OFFICERS), ("84", PROGRAMME), ("53", OFFICERS))
    ],
    "create_token": lambda w: [Write("POST", _api("tokens"), {"name": "matrix"}, AUTHENTICATED)],
    "revoke_token": lambda w: [
        *[Write("DELETE", _api(f"tokens/{token.pk}"), {}, frozenset({role})) for role, token in w.own_tokens.items()],
        Write("DELETE", _api(f"tokens/{w.foreign_token.pk}"), {}, NOBODY),
    ],
    # calls for projects: a representative starts a file for their organisation (admins for any);
    # the coordinator side edits, submits and withdraws; the officers decide; the assigned reviewer reviews
    "create_application": lambda w: [
        Write("POST", _api("applications"), {"call": w.call_setup.pk, "coordinator": w.org_member.pk,
              "acronym": "NEWFILE", "title": "A new file"}, frozenset({"member", "admin"}))],
    "save_partner": lambda w: [
        Write("PUT", _api(f"applications/{w.app_draft.pk}/partners/{w.org_member.pk}"),
              {"costs": {"staff": "120000"}, "staff_months": "10", "requested_aid": "30000"}, frozenset({"member"})),
        Write("PUT", _api(f"applications/{w.app_rival.pk}/partners/{w.org_b.pk}"),
              {"costs": {"staff": "1"}}, NOBODY, frozenset({401, 403, 404, 422}))],
    "submit_application": lambda w: [
        Write("POST", _api(f"applications/{w.app_draft.pk}/submit"), {}, frozenset({"member"})),
        Write("POST", _api(f"applications/{w.app_rival.pk}/submit"), {}, NOBODY, frozenset({401, 403, 404, 409}))],
    "transition_application": lambda w: [
        Write("POST", _api(f"applications/{w.app_submitted.pk}/transitions"), {"action": "declare_eligible"},
              OFFICERS),
        Write("POST", _api(f"applications/{w.app_draft.pk}/transitions"), {"action": "withdraw"},
              frozenset({"member"})),
        Write("POST", _api(f"applications/{w.app_rival.pk}/transitions"), {"action": "withdraw"}, NOBODY),
    ],
    "save_review": lambda w: [
        Write("PUT", _api(f"reviews/assignments/{w.assignment_own.pk}/review"), {"scores": {"q": 4}},
              frozenset({"reviewer"})),
        Write("PUT", _api(f"reviews/assignments/{w.assignment_rival.pk}/review"), {"scores": {"q": 4}}, NOBODY)],
    "run_selection": lambda w: [Write("POST", _api("selections"), {"call": w.call_setup.pk}, OFFICERS)],
    "confirm_selection": lambda w: [Write("POST", _api(f"selections/{w.selection.pk}/confirm"), {}, OFFICERS)],
    # labels of files: the coordinator side asks; the managers of the cluster asked (and admins) decide
    "ask_label": lambda w: [
        Write("POST", _api("labelling-requests"), {"application": w.app_draft.pk, "cluster": w.cluster_b.pk},
              frozenset({"member"})),
        Write("POST", _api("labelling-requests"), {"application": w.app_rival.pk, "cluster": w.cluster_a.pk},
              NOBODY)],
    "decide_label": lambda w: [
        Write("POST", _api(f"labelling-requests/{w.labelling_a.pk}/decision"), {"status": "labelled"},
              frozenset({"admin", "manager"})),
        Write("POST", _api(f"labelling-requests/{w.labelling_b.pk}/decision"),
              {"status": "declined", "text": "Not ours."}, ADMIN)],
    "upload_document": lambda w: [
        Write("POST", _api(f"applications/{w.app_draft.pk}/documents"), {"question": "annex"},
              frozenset({"member"}), upload=("annex.pdf", b"%PDF-1.4 matrix")),
        Write("POST", _api(f"applications/{w.app_rival.pk}/documents"), {"question": "annex"}, NOBODY,
              upload=("annex.pdf", b"%PDF-1.4 matrix"))],
    "record_consensus": lambda w: [
        Write("PUT", _api(f"applications/{a.pk}/consensus"), {"score": "71"}, OFFICERS) for a in (w.app_own, w.app_rival)],
    "assign_manually": lambda w: [
        Write("POST", _api("assignments"), {"application": w.app_eligible.pk, "reviewer": w.reviewer_b.pk}, OFFICERS)],
    "assign_automatically": lambda w: [Write("POST", _api("assignments/automatic"), {"call": w.call_setup.pk}, OFFICERS)],
    "sign_agreement": lambda w: [Write("POST", _api(f"agreements/{w.app_selected.pk}/signature"), {}, OFFICERS)],
    "schedule_instalments": lambda w: [Write("PUT", _api(f"agreements/{w.app_agreed.pk}/instalments"),
                                             [{"kind": "balance", "amount": "1000", "due_on": "2030-01-01"}], OFFICERS)],
    "record_payment": lambda w: [Write("POST", _api(f"agreements/instalments/{w.instalment.pk}/payment"),
                                       {"paid_on": w.today}, OFFICERS)],
    "add_report": lambda w: [Write("POST", _api(f"agreements/{w.app_agreed.pk}/reports"),
                                   {"kind": "technical", "due_on": "2030-01-01"}, OFFICERS)],
    "receive_report": lambda w: [Write("POST", _api(f"agreements/reports/{w.report_due.pk}/receipt"),
                                       {"received_on": w.today}, OFFICERS)],
    "accept_final_report": lambda w: [Write("POST", _api(f"agreements/reports/{w.report_final.pk}/acceptance"),
                                            {"products": 1, "patents": 0, "jobs": 2}, OFFICERS)],
    # the annual survey: A's managers (and administrators) declare and submit; the officers in scope
    # validate or send back (the regional officer: A's only)
    "update_survey_report": lambda w: [
        Write("PATCH", _api(f"surveys/2024/reports/{w.cluster_a.slug}"), {"figures": {"patents": "3"}}, A_WRITERS),
        Write("PATCH", _api(f"surveys/2024/reports/{w.cluster_b.pk}"), {"note": CHANGED}, ADMIN)],
    "transition_survey_report": lambda w: [
        Write("POST", _api(f"surveys/2024/reports/{w.cluster_a.slug}/transitions"), {"action": "submit"}, A_WRITERS),
        Write("POST", _api(f"surveys/2023/reports/{w.cluster_a.slug}/transitions"), {"action": "validate"}, PROGRAMME),
        Write("POST", _api(f"surveys/2023/reports/{w.cluster_b.slug}/transitions"),
              {"action": "send_back", "comment": "Les brevets ?"}, OFFICERS)],
    # certification: the officers run the campaign, assign and decide; the managers write, attach and
    # submit their cluster's draft; the evaluator scores
    "certification_transition_campaign": lambda w: [
        Write("POST", _api(f"certification/campaigns/{w.campaign.pk}/transitions"), {"action": "reopen"}, OFFICERS)],
    "certification_update_application": lambda w: [
        Write("PATCH", _api(f"certification/applications/{w.draft_a.pk}"), {"evidence": CHANGED}, A_WRITERS),
        Write("PATCH", _api(f"certification/applications/{w.draft_b.pk}"), {"evidence": CHANGED}, ADMIN),
        Write("PATCH", _api(f"certification/applications/{w.candidacy_a.pk}"), {"evidence": CHANGED}, NOBODY)],
    "certification_submit_application": lambda w: [
        Write("POST", _api(f"certification/applications/{w.draft_a.pk}/submit"), {}, A_WRITERS),
        Write("POST", _api(f"certification/applications/{w.draft_b.pk}/submit"), {}, ADMIN)],
    "certification_add_application_file": lambda w: [
        Write("POST", _api(f"certification/applications/{w.draft_a.pk}/files"), {}, A_WRITERS,
              upload=("more.pdf", b"%PDF-1.4 more")),
        Write("POST", _api(f"certification/applications/{w.draft_b.pk}/files"), {}, ADMIN,
              upload=("more.pdf", b"%PDF-1.4 more"))],
    "certification_remove_application_file": lambda w: [
        Write("DELETE", _api(f"certification/applications/{w.draft_a.pk}/files/{w.cert_file_a.pk}"), {}, A_WRITERS),
        Write("DELETE", _api(f"certification/applications/{w.draft_b.pk}/files/{w.cert_file_b.pk}"), {}, ADMIN)],
    "certification_assign_evaluator": lambda w: [
        Write("POST", _api(f"certification/applications/{w.draft_b.pk}/evaluators"),
              {"evaluator": w.users["regional"].pk}, OFFICERS)],
    "certification_decide_application": lambda w: [
        # the campaign is in evaluation: refused to every role (409 to the officers, who may decide in deliberation)
        Write("POST", _api(f"certification/applications/{w.candidacy_a.pk}/decision"),
              {"outcome": "certified", "duration": 4}, NOBODY, frozenset({401, 403, 404, 409}))],
    "certification_save_evaluation": lambda w: [
        Write("PUT", _api(f"certification/evaluations/{w.evaluation_a.pk}"), {"scores": {}}, frozenset({"regional"})),
        Write("PUT", _api(f"certification/evaluations/{w.evaluation_b.pk}"), {"scores": {}}, frozenset({"national"}))],
    "decide_consent": lambda w: [
        # a second representative of the member's organisation: its representative or an officer
        Write("POST", _api(f"consents/{w.grant_second_rep.pk}"), {"decision": "approve"}, OFFICERS | {"member"}),
        # A asks to represent a member B supplied: programme officers only
        Write("POST", _api(f"consents/{w.grant_awaiting.pk}"), {"decision": "approve"}, OFFICERS),
    ],
}


@dataclass(frozen=True)
class PageWrite:
    """A page POST: the body is the page's own form as `form_page` shows it to an admin (so it is
    valid), found by a field it holds, with `values` set; `allowed` may write it."""

    url: str
    allowed: frozenset[str]
    values: dict = field(default_factory=dict)
    form_page: str | None = None
    form_field: str | None = None
    upload: tuple[str, bytes] | None = None

    def __str__(self) -> str:
        return f"POST {self.url} {self.values}"


def _members_csv(name: str, n: int) -> tuple[str, bytes]:
    return "members.csv", f"nom;siren;ville\n{name};{_new_siren(n)};Lyon\n".encode()


def _new_organisation(w, slug: str, n: int, allowed: frozenset[str]) -> PageWrite:
    url = _page("workspace_organisation_new", slug=slug)
    return PageWrite(url, allowed, {"name": f"Matrix Page Org {n}", "siren": _new_siren(n), "year": str(current_year()),
                                    "status": "member", "fee_invoiced": "100"}, url, "name")


def _edit(w, cluster, org, allowed: frozenset[str]) -> PageWrite:
    url = _page("workspace_organisation_edit", slug=cluster.slug, pk=org.pk)
    return PageWrite(url, allowed, {"description": CHANGED}, url, "name")


def _invite(cluster, allowed: frozenset[str], **values) -> PageWrite:
    url = _page("workspace_invite", slug=cluster.slug)
    return PageWrite(url, allowed, values, url, "email")


def _account_invite(allowed: frozenset[str], **values) -> PageWrite:
    url = _page("account_invite")
    return PageWrite(url, allowed, {"organisation_q": "", **values}, url, "email")


def _renew(cluster, allowed: frozenset[str]) -> PageWrite:
    return PageWrite(_page("workspace_renew", slug=cluster.slug), allowed, {"year": "2025"},
                     _page("workspace_memberships", slug=cluster.slug), "year")


PAGE_WRITES: dict[str, Callable[[SimpleNamespace], list[PageWrite]]] = {
    "workspace_organisation_new": lambda w: [
        _new_organisation(w, w.cluster_a.slug, 11, A_WRITERS), _new_organisation(w, w.cluster_b.slug, 12, ADMIN)],
    "workspace_organisation_edit": lambda w: [
        _edit(w, w.cluster_a, w.org_a, A_WRITERS), _edit(w, w.cluster_a, w.org_member, A_WRITERS),
        _edit(w, w.cluster_a, w.org_shared, ADMIN), _edit(w, w.cluster_a, w.org_open, ADMIN),
        _edit(w, w.cluster_b, w.org_b, ADMIN), _edit(w, w.cluster_b, w.org_shared, ADMIN),
    ],
    "workspace_import": lambda w: [
        PageWrite(_page("workspace_import", slug=c.slug), allowed, {"year": "2025"},
                  _page("workspace_import", slug=c.slug), "year", _members_csv(f"Imported {n}", n))
        for c, allowed, n in ((w.cluster_a, A_WRITERS, 21), (w.cluster_b, ADMIN, 22))
    ],
    # confirming a preview runs the import (audited); cancelling drops the upload, which is no register data
    "workspace_import_confirm": lambda w: [
        PageWrite(_page("workspace_import_confirm", slug=w.cluster_a.slug, pk=w.preview_a.pk), A_WRITERS),
        PageWrite(_page("workspace_import_confirm", slug=w.cluster_b.slug, pk=w.preview_b.pk), ADMIN),
        PageWrite(_page("workspace_import_confirm", slug=w.cluster_a.slug, pk=w.preview_b.pk), NOBODY),
    ],
    "workspace_import_cancel": lambda w: [
        PageWrite(_page("workspace_import_cancel", slug=w.cluster_a.slug, pk=w.preview_a.pk), A_WRITERS),
        PageWrite(_page("workspace_import_cancel", slug=w.cluster_a.slug, pk=w.preview_b.pk), NOBODY),
    ],
    "workspace_renew": lambda w: [_renew(w.cluster_a, A_WRITERS), _renew(w.cluster_b, ADMIN)],
    "workspace_invite": lambda w: [
        _invite(w.cluster_a, A_WRITERS | OFFICERS, email="page-manager@example.org", role="manager", organisation=""),
        _invite(w.cluster_a, A_WRITERS | OFFICERS, email="page-rep@example.org", role="member",
                organisation=str(w.org_a.pk)),
        _invite(w.cluster_b, OFFICERS, email="page-manager@example.org", role="manager", organisation=""),
    ],
    # account management: programme officers give every role but administrator; a regional officer
    # only the regional role of their region; nobody acts on their own account
    "account_invite": lambda w: [
        _account_invite(OFFICERS, email="matrix-reviewer@example.org", role="reviewer"),
        _account_invite(OFFICERS, email="matrix-national@example.org", role="national"),
        _account_invite(ADMIN, email="matrix-admin@example.org", role="admin"),
        _account_invite(PROGRAMME, email="matrix-regional@example.org", role="regional", region="84"),
        _account_invite(OFFICERS, email="matrix-regional@example.org", role="regional", region="53"),
        _account_invite(OFFICERS, email="matrix-manager@example.org", role="manager", cluster=str(w.cluster_b.pk)),
        _account_invite(OFFICERS, email="matrix-rep@example.org", role="member", organisation=str(w.org_b.pk)),
    ],
    "account_resend": lambda w: [PageWrite(_page("account_resend", pk=w.pending.pk), PROGRAMME)],
    "account_cancel": lambda w: [PageWrite(_page("account_cancel", pk=w.pending.pk), PROGRAMME)],
    "account_deactivate": lambda w: [
        PageWrite(_page("account_deactivate", pk=w.users["manager"].pk), OFFICERS),
        PageWrite(_page("account_deactivate", pk=w.users["national"].pk), ADMIN),
        PageWrite(_page("account_deactivate", pk=w.users["admin"].pk), NOBODY),
    ],
    "account_reactivate": lambda w: [PageWrite(_page("account_reactivate", pk=w.disabled.pk), PROGRAMME)],
    "grant_revoke": lambda w: [
        PageWrite(_page("grant_revoke", pk=w.grant_pending.pk), PROGRAMME),
        PageWrite(_page("grant_revoke", pk=w.grant_manager.pk), OFFICERS),
    ],
    # the annual survey: the programme opens a year; officers remind their scope's clusters; the
    # cluster's managers (and admins) fill and submit; the officers in scope send back or validate
    "survey_open": lambda w: [PageWrite(_page("survey_open"), OFFICERS, {"year": "2022", "deadline": ""})],
    "survey_remind": lambda w: [
        PageWrite(_page("survey_remind", year=2024), PROGRAMME, {"report": str(w.report_a.pk)}),
        PageWrite(_page("survey_remind", year=2024), OFFICERS, {"report": str(w.report_b.pk)}),
    ],
    "workspace_report": lambda w: [
        PageWrite(_page("workspace_report", slug=c.slug, year=2024), allowed, {"fig_staff_fte": "9.5"},
                  _page("workspace_report", slug=c.slug, year=2024), "fig_staff_fte")
        for c, allowed in ((w.cluster_a, A_WRITERS), (w.cluster_b, ADMIN))
    ],
    "workspace_report_action": lambda w: [
        PageWrite(_page("workspace_report_action", slug=w.cluster_a.slug, year=2024), A_WRITERS, {"action": "submit"}),
        PageWrite(_page("workspace_report_action", slug=w.cluster_b.slug, year=2024), ADMIN, {"action": "submit"}),
        PageWrite(_page("workspace_report_action", slug=w.cluster_a.slug, year=2023), PROGRAMME, {"action": "validate"}),
        PageWrite(_page("workspace_report_action", slug=w.cluster_b.slug, year=2023), OFFICERS,
                  {"action": "send_back", "comment": "Please check the budget."}),
    ],
    "workspace_report_evidence": lambda w: [
        PageWrite(_page("workspace_report_evidence", slug=c.slug, year=2024), allowed,
                  upload=("evidence.csv", b"line;value\n1;2\n"))
        for c, allowed in ((w.cluster_a, A_WRITERS), (w.cluster_b, ADMIN))
    ],
    "workspace_report_evidence_remove": lambda w: [
        PageWrite(_page("workspace_report_evidence_remove", slug=w.cluster_a.slug, year=2024, pk=w.evidence_a.pk),
                  A_WRITERS),
        PageWrite(_page("workspace_report_evidence_remove", slug=w.cluster_b.slug, year=2024, pk=w.evidence_b.pk),
                  ADMIN),
    ],
    # a report run (queued for the worker): national officers only
    "programme_reports": lambda w: [
        PageWrite(_page("programme_reports"), OFFICERS, {"year": "2024"}, _page("programme_reports"), "year")],
    "workspace_labels": lambda w: [
        PageWrite(_page("workspace_labels", slug=c.slug), allowed, {"level": "gold", "awarded": "2025-06-01"},
                  _page("workspace_labels", slug=c.slug), "level")
        for c, allowed in ((w.cluster_a, A_WRITERS | OFFICERS), (w.cluster_b, OFFICERS))
    ],
    "workspace_label_edit": lambda w: [
        PageWrite(_page("workspace_label_edit", slug=c.slug, pk=lb.pk), allowed, {"level": "gold"},
                  _page("workspace_label_edit", slug=c.slug, pk=lb.pk), "level")
        for c, lb, allowed in ((w.cluster_a, w.label_a, A_WRITERS | OFFICERS), (w.cluster_b, w.label_b, OFFICERS))
    ],
    "workspace_label_delete": lambda w: [
        PageWrite(_page("workspace_label_delete", slug=w.cluster_a.slug, pk=w.label_a.pk), A_WRITERS | OFFICERS),
        PageWrite(_page("workspace_label_delete", slug=w.cluster_b.slug, pk=w.label_b.pk), OFFICERS),
        PageWrite(_page("workspace_label_delete", slug=w.cluster_a.slug, pk=w.label_b.pk), NOBODY),
    ],
    "policy_territory": lambda w: [
        PageWrite(_page("policy_territory", territory=code), allowed,
                  {"year": "2024", **{f"score_{k}": str(v) for k, v in SOP_SCORES.items()}},
                  _page("policy_territory", territory=code), "year")
        for code, allowed in (("FR", OFFICERS), ("84", PROGRAMME), ("53", OFFICERS))
    ],
    "my_tokens": lambda w: [PageWrite(_page("my_tokens"), AUTHENTICATED, {"name": "matrix"}, _page("my_tokens"), "name")],
    "certification_home": lambda w: [PageWrite(_page("certification_home"), OFFICERS,
                                               {"phase": w.campaign.phase_id, "title": "Matrix campaign 2"})],
    "certification_campaign_action": lambda w: [
        PageWrite(_page("certification_campaign_action", pk=w.campaign.pk), OFFICERS, {"action": "reopen"})],
    "certification_assign": lambda w: [
        PageWrite(_page("certification_assign", pk=w.candidacy_a.pk), OFFICERS, {"evaluator": w.users["national"].pk}),
        PageWrite(_page("certification_assign", pk=w.candidacy_b.pk), OFFICERS, {"evaluator": w.users["regional"].pk})],
    # an application's evidence files: its cluster's managers (administrators) while it is a draft
    "certification_file_add": lambda w: [
        PageWrite(_page("certification_file_add", pk=c.pk), allowed, upload=("plan.pdf", b"%PDF-1.4 plan"))
        for c, allowed in ((w.draft_a, A_WRITERS), (w.draft_b, ADMIN), (w.candidacy_a, NOBODY))],
    "certification_file_remove": lambda w: [
        PageWrite(_page("certification_file_remove", pk=w.draft_a.pk, file_pk=w.cert_file_a.pk), A_WRITERS),
        PageWrite(_page("certification_file_remove", pk=w.draft_b.pk, file_pk=w.cert_file_b.pk), ADMIN),
        PageWrite(_page("certification_file_remove", pk=w.draft_a.pk, file_pk=w.cert_file_b.pk), NOBODY)],
    "certification_evaluate": lambda w: [
        PageWrite(_page("certification_evaluate", pk=w.evaluation_a.pk), frozenset({"regional"}),
                  {"score_strategy": "4", "comment_strategy": CHANGED, "submit": "0"}),
        PageWrite(_page("certification_evaluate", pk=w.evaluation_b.pk), frozenset({"national"}),
                  {"score_strategy": "3", "submit": "0"})],
    "revoke_token": lambda w: [
        *[PageWrite(_page("revoke_token", pk=token.pk), frozenset({role})) for role, token in w.own_tokens.items()],
        PageWrite(_page("revoke_token", pk=w.foreign_token.pk), NOBODY),
    ],
    # calls: an officer records a consensus, saves a call's settings; a reviewer saves their profile
    "calls_officer_panel": lambda w: [PageWrite(
        _page("calls_officer_panel", pk=w.calls_setup.pk), OFFICERS,
        {"action": "consensus", "application": str(w.calls_file_assigned.pk), "consensus": "71"},
        _page("calls_officer_panel", pk=w.calls_setup.pk), "consensus")],
    "calls_officer_setup": lambda w: [PageWrite(
        _page("calls_officer_setup", pk=w.calls_setup.pk), OFFICERS, {"envelope": "450000"},
        _page("calls_officer_setup", pk=w.calls_setup.pk), "envelope")],
    "consent_decide": lambda w: [
        PageWrite(_page("consent_decide", pk=w.grant_second_rep.pk), OFFICERS | {"member"}, {"decision": "approve"}),
        PageWrite(_page("consent_decide", pk=w.grant_awaiting.pk), OFFICERS, {"decision": "approve"}),
    ],
    **calls_page_writes(PageWrite),
}
ACCOUNT_POSTS = {
    "login", "logout", "set_language", "accounts:password_reset", "accounts:password_reset_confirm",
    "accounts:invitation-accept",
}
"""Pages whose POST changes the visitor's own session or account, not the register: posted an empty
body by every role, they must change no table."""


class _Forms(HTMLParser):
    """The forms of a page: action, method and the values a browser would send."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"][a["name"]] = a.get("value") or ("on" if kind == "checkbox" else "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["fields"].setdefault(self._select, None)
        elif tag == "option" and self._select:
            fields = self._form["fields"]
            if fields[self._select] is None or "selected" in a:
                fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][self._textarea] = ""

    def handle_data(self, data):
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(client: Client, page: str, field_name: str) -> dict:
    """The values of the POST form of `page` that holds `field_name`, as the browser would send them."""
    response = client.get(page)
    assert response.status_code == 200, f"GET {page} as the form's reader: {response.status_code}"
    parser = _Forms()
    parser.feed(text_of(response))
    for form in parser.forms:
        if form["method"] == "post" and field_name in form["fields"]:
            values = {k: ("" if v is None else v) for k, v in form["fields"].items()}
            values.pop("csrfmiddlewaretoken", None)
            return values
    raise AssertionError(f"no POST form with a field {field_name!r} on {page}")


def page_body(write: PageWrite, reader: Client, forms: dict | None = None) -> dict:
    """The valid body of a page write: the form as `reader` (an admin) sees it, with the write's
    values; `forms` keeps the forms already read."""
    values: dict = {}
    if write.form_page:
        forms = {} if forms is None else forms
        key = (write.form_page, write.form_field)
        if key not in forms:
            forms[key] = form_values(reader, write.form_page, write.form_field)
        values = dict(forms[key])
    values.update(write.values)
    if write.upload:
        name, content = write.upload
        values["file"] = SimpleUploadedFile(name, content, content_type="text/csv")
    return values


# --- the database, before and after --------------------------------------------------------------

REFERENCE_APPS = {"territories", "nomenclatures"}
VOLATILE = {"last_login", "last_used"}


@lru_cache(maxsize=1)
def _snapshot_queries() -> tuple[tuple[str, str], ...]:
    """(model label, SELECT of its rows) for the register, the access tables, the audit trail, the
    web app's rows and the users; reference data and volatile timestamps left out."""
    from django.contrib.auth import get_user_model

    models = [m for m in apps.get_models()
              if m.__module__.startswith("poles.") and m._meta.app_label not in REFERENCE_APPS]
    queries = []
    for model in [*models, get_user_model()]:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in model._meta.concrete_fields if f.attname not in VOLATILE)
        pk = quote(model._meta.pk.column)
        queries.append((model._meta.label, f"SELECT {columns} FROM {quote(model._meta.db_table)} ORDER BY {pk}"))
    return tuple(queries)


def snapshot() -> dict[str, list[tuple]]:
    """Every row of those tables (plain SQL: the matrix takes two snapshots per write)."""
    state = {}
    with connection.cursor() as cursor:
        for label, sql in _snapshot_queries():
            cursor.execute(sql)  # noqa: S608 — table and column names come from the models
            state[label] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                            for row in cursor.fetchall()]
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after[label])


@dataclass
class Outcome:
    status: int
    changed: list[str]
    audited: int
    response: HttpResponse | None = None
    error: str = ""


def attempt(send: Callable[[], HttpResponse]) -> Outcome:
    """Make one write in a savepoint rolled back afterwards: its status, the tables it changed, the
    audit entries it wrote (the next write starts from the same world)."""
    with transaction.atomic():
        before = snapshot()
        audits = AuditEntry.objects.count()
        try:
            response = send()
        except Exception as error:  # noqa: BLE001 — a 500 is reported as a failure of the matrix
            transaction.set_rollback(True)
            return Outcome(500, [], 0, None, f"{type(error).__name__}: {error}")
        after = snapshot()
        outcome = Outcome(response.status_code, changed_tables(before, after),
                          AuditEntry.objects.count() - audits, response)
        transaction.set_rollback(True)
    return outcome


def problem_of(response: HttpResponse | None) -> str:
    if response is None:
        return ""
    return text_of(response)[:300].replace("\n", " ")


def leaks_in_walk(caller: Caller, values, tables=(PAGE_READS, API_READS)) -> list[str]:
    """Every URL of the matrix GET by `caller`: where any of `values` shows, in any spelling."""
    found_at = []
    for read in [read for table in tables for read in served(table, caller.world)]:
        response = caller.get(read.url)
        hits = leaked(text_of(response), values)
        found_at += [f"{value!r} (as {', '.join(map(repr, forms))}) at GET {read.url} → {response.status_code}"
                     for value, forms in hits.items()]
    return found_at
