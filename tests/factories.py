"""Plain functions creating register rows for tests, and the shared world of the role tests.

Confidential values are distinctive sentinels, so that a test can search any response for them.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from types import SimpleNamespace

from django.contrib.auth import get_user_model

from poles.access.models import Grant
from poles.access.roles import Role
from poles.projects.models import Call, Funding, Participation, Project, ProjectCluster
from poles.registry.identifiers import luhn_ok
from poles.registry.models import (
    Cluster,
    ClusterContact,
    ClusterYear,
    Label,
    Membership,
    Organisation,
    OrganisationFigures,
)
from poles.territories.models import Region

SENTINEL_FEE = Decimal("98765.43")
SENTINEL_BUDGET = Decimal("87654.32")
SENTINEL_AID = Decimal("76543.21")
SENTINEL_TURNOVER = Decimal("65432.19")
SENTINEL_STATE_BUDGET = Decimal("54321.98")
SENTINEL_FEE_B = Decimal("91234.56")
SENTINEL_BUDGET_B = Decimal("81234.56")
SENTINEL_AID_B = Decimal("71234.56")
SENTINEL_TURNOVER_B = Decimal("61234.56")
SENTINEL_OWN_FEE = Decimal("13579.24")
# the matrix world (`build_matrix_world`) adds these
SENTINEL_TURNOVER_OWN = Decimal("24680.13")
SENTINEL_TURNOVER_SHARED = Decimal("43210.87")
SENTINEL_FEE_SHARED = Decimal("32109.76")
SENTINEL_TURNOVER_OPEN = Decimal("21098.65")
SECRET_ACRONYM = "SECRETPRJ"
SECRET_ACRONYM_B = "HIDDENBPRJ"
SECRET_EMAIL = "hidden-contact@example.org"
SECRET_ADDRESS_A = "12 Rue Sentinelle Alpha"
SECRET_ADDRESS_B = "34 Quai Sentinelle Beta"
SECRET_ADDRESS_SHARED = "56 Cours Sentinelle Shared"
SECRET_ADDRESS_OPEN = "78 Place Sentinelle Open"
# the calls part of the matrix world (`build_calls_matrix`): another consortium's file, and a
# reviewer's draft comment (the reviewer and the programme officers read it, nobody else)
SECRET_RIVAL_FILE = "RIVALFILE"
SECRET_REVIEW_NOTE = "Sentinel review note"
# documents of file questions (`build_calls_matrix`): the member's reaches the readers of its file
# (the consortium, cluster A it asked, its assigned reviewer, the officers); another consortium's, the officers
SECRET_OWN_DOCUMENT = b"%PDF-1.4 Owndocsentinel"
SECRET_RIVAL_DOCUMENT = b"%PDF-1.4 Rivaldocsentinel"
SENTINELS = {
    "fee": "98765.43", "budget": "87654.32", "aid": "76543.21", "turnover": "65432.19",
    "state_budget": "54321.98", "acronym": SECRET_ACRONYM, "acronym_b": SECRET_ACRONYM_B,
    "email": SECRET_EMAIL,
}
A_TEAM = frozenset({"admin", "national", "regional", "manager"})
OFFICERS = frozenset({"admin", "national"})
# Who may read each confidential or members-only value (docs/permissions.md, "Who reads and changes
# what"): cluster A's data is read by A's team (its manager, the regional officer of its region)
# and the programme officers; B's data by the officers only (no matrix role belongs to B); an
# organisation's own data by the team of the cluster that SUPPLIED it and its representatives,
# never because of a membership; a membership by its cluster's team and the representative the
# cluster granted. The role "awaiting" holds only a grant waiting for consent: it reads nothing.
ENTITLED = {
    **{str(value): A_TEAM for value in (
        SENTINEL_FEE, SENTINEL_BUDGET, SENTINEL_AID, SENTINEL_TURNOVER, SENTINEL_STATE_BUDGET,
        SENTINEL_FEE_SHARED)},
    SECRET_ACRONYM: A_TEAM,
    SECRET_EMAIL: A_TEAM,
    **{str(value): OFFICERS for value in (
        SENTINEL_FEE_B, SENTINEL_BUDGET_B, SENTINEL_AID_B, SENTINEL_TURNOVER_B,
        SENTINEL_TURNOVER_SHARED, SENTINEL_TURNOVER_OPEN)},
    SECRET_ACRONYM_B: OFFICERS,
    SECRET_ADDRESS_B: OFFICERS,
    SECRET_ADDRESS_SHARED: OFFICERS,
    SECRET_ADDRESS_OPEN: OFFICERS,
    # the member representative's own organisation and its membership; the members-only address of
    # another member that cluster A supplied
    str(SENTINEL_OWN_FEE): A_TEAM | {"member"},
    str(SENTINEL_TURNOVER_OWN): A_TEAM | {"member"},
    SECRET_ADDRESS_A: A_TEAM | {"member"},
    # calls (tests/calls_matrix.py): the member's file, read by cluster A's manager it asked and the
    # programme officers (not the regional officer); another consortium's file, by the officers only
    "CALLFILEA": frozenset({"admin", "national", "manager", "member"}),
    "CALLFILEB": OFFICERS,
    # the calls' reviewers (tests/calls_review_world.py): a reviewer's identity reaches the programme
    # officers and themself only, never the applicants; a draft review reaches no other reviewer
    "Expertsentinel": OFFICERS | {"reviewer"},
    "Otherrevsentinel": OFFICERS,
    "Brouillonsentinel": OFFICERS,
    SECRET_RIVAL_FILE: OFFICERS,
    SECRET_REVIEW_NOTE: OFFICERS | {"reviewer"},
    "Owndocsentinel": OFFICERS | {"member", "manager", "reviewer"},
    "Rivaldocsentinel": OFFICERS,
    # certification (tests/certification/certworld.py): an evaluator's scores and comments reach them
    # and the programme officers, never the applying cluster; an application's evidence file its
    # cluster's managers, the officers and the evaluator assigned to it
    "Certnotesentinel": OFFICERS | {"regional"},
    "Certevidencea": OFFICERS | {"manager", "regional"},
    "Certevidenceb": OFFICERS,
}

REGIONS = {
    "84": ("Auvergne-Rhône-Alpes", "auvergne-rhone-alpes"),
    "53": ("Bretagne", "bretagne"),
    "11": ("Île-de-France", "ile-de-france"),
}

_counter = itertools.count(1)


def siren(n: int | None = None) -> str:
    """A valid SIREN (Luhn) derived from `n`, distinct for distinct `n`."""
    base = f"{(n if n is not None else next(_counter)) % 10**8:08d}"
    return next(base + str(d) for d in range(10) if luhn_ok(base + str(d)))


def region(code: str = "84") -> Region:
    name, slug = REGIONS.get(code, (f"Region {code}", f"region-{code}"))
    return Region.objects.get_or_create(code=code, defaults={"name": name, "slug": slug})[0]


def cluster(name: str | None = None, *, regions: tuple[str, ...] = ("84",), **fields) -> Cluster:
    n = next(_counter)
    name = name or f"Cluster {n}"
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    created = Cluster.objects.create(name=name, **fields)
    created.regions.set([region(code) for code in regions])
    return created


def organisation(name: str | None = None, **fields) -> Organisation:
    n = next(_counter)
    name = name or f"Organisation {n}"
    fields.setdefault("siren", siren(n * 7919))
    fields.setdefault("key", f"siren:{fields['siren']}" if fields["siren"] else f"name:{name.lower()}")
    fields.setdefault("kind", Organisation.Kind.COMPANY)
    return Organisation.objects.create(name=name, **fields)


def membership(org: Organisation, of: Cluster, year: int = 2025, **fields) -> Membership:
    return Membership.objects.create(organisation=org, cluster=of, year=year, **fields)


def project(acronym: str | None = None, *, clusters: tuple[Cluster, ...] = (), **fields) -> Project:
    n = next(_counter)
    acronym = acronym or f"PRJ{n}"
    fields.setdefault("key", f"test:{acronym.lower()}")
    fields.setdefault("title", f"Project {acronym}")
    created = Project.objects.create(acronym=acronym, **fields)
    for linked in clusters:
        ProjectCluster.objects.create(project=created, cluster=linked, year=2024)
    return created


def participation(of: Project, org: Organisation, **fields) -> Participation:
    return Participation.objects.create(project=of, organisation=org, **fields)


def funding(of: Project, amount: Decimal, **fields) -> Funding:
    fields.setdefault("funder", "anr")
    return Funding.objects.create(project=of, amount=amount, **fields)


def call(code: str | None = None, **fields) -> Call:
    code = code or f"CALL-{next(_counter)}"
    fields.setdefault("funder", "bpifrance")
    fields.setdefault("title", f"Call {code}")
    return Call.objects.create(code=code, **fields)


def user(username: str, *grants: dict, password: str | None = None, **fields):
    """A user holding the given grants (dicts of Grant fields); unusable password unless given."""
    model = get_user_model()
    fields.setdefault("email", f"{username}@example.org")
    created = model(username=username, **fields)
    if password:
        created.set_password(password)
    else:
        created.set_unusable_password()
    created.save()
    for grant in grants:
        Grant.objects.create(user=created, **grant)
    return created


def build_register() -> SimpleNamespace:
    """Two clusters in two regions, members with fees, public and unpublished projects.

    Each cluster supplied its own members' records (`supplied_by`), as a page or an import would.
    """
    w = SimpleNamespace()
    w.cluster_a = cluster("Cluster Alpha", regions=("84",), mission="Public mission of Alpha")
    w.cluster_b = cluster("Cluster Beta", regions=("53",), mission="Public mission of Beta")
    w.org_member = organisation("Member Rep Org", city="Lyon", supplied_by=w.cluster_a)
    w.org_a = organisation("Alpha Other Member", city="Grenoble", supplied_by=w.cluster_a)
    w.org_b = organisation("Beta Member", city="Rennes", supplied_by=w.cluster_b)
    w.membership_member = membership(w.org_member, w.cluster_a, fee_invoiced=SENTINEL_OWN_FEE)
    w.membership_a = membership(w.org_a, w.cluster_a, fee_invoiced=SENTINEL_FEE, fee_paid=SENTINEL_FEE)
    w.membership_b = membership(w.org_b, w.cluster_b, fee_invoiced=SENTINEL_FEE_B)
    OrganisationFigures.objects.create(organisation=w.org_a, year=2024, staff=40, turnover=SENTINEL_TURNOVER)
    OrganisationFigures.objects.create(organisation=w.org_b, year=2024, staff=40, turnover=SENTINEL_TURNOVER_B)
    w.public_project = project(
        "OPENPRJ", clusters=(w.cluster_a,), total_cost=SENTINEL_BUDGET, is_public=True
    )
    w.hidden_project = project(SECRET_ACRONYM, clusters=(w.cluster_a,), is_public=False)
    w.hidden_project_b = project(SECRET_ACRONYM_B, clusters=(w.cluster_b,), is_public=False)
    w.public_project_b = project("OPENBPRJ", clusters=(w.cluster_b,), total_cost=SENTINEL_BUDGET_B)
    w.participation_a = participation(w.public_project, w.org_a, budget=SENTINEL_BUDGET, aid=SENTINEL_AID)
    w.participation_b = participation(w.public_project_b, w.org_b, aid=SENTINEL_AID_B)
    w.participation_hidden = participation(w.hidden_project, w.org_a)
    w.funding_a = funding(w.public_project, SENTINEL_AID)
    w.funding_b = funding(w.public_project_b, SENTINEL_AID)  # tests/web/test_home.py sums both
    ClusterContact.objects.create(cluster=w.cluster_a, role="Director", name="Published Person",
                                  email="director@example.org", published=True)
    ClusterContact.objects.create(cluster=w.cluster_a, role="Finance", name="Hidden Person",
                                  email=SECRET_EMAIL, published=False)
    ClusterYear.objects.create(cluster=w.cluster_a, year=2024, staff_fte=8,
                               budget_state=SENTINEL_STATE_BUDGET)
    w.call = call("ANR-2025-TEST", title="Open call for tests")
    return w


ROLES = ("admin", "national", "regional", "manager", "member", "reviewer", "outsider", "anonymous")


def build_users(w: SimpleNamespace) -> dict:
    """One user per role of the permission matrix, scoped to `cluster_a`; None is anonymous."""
    return {
        "admin": user("admin", is_superuser=True, is_staff=True),
        "national": user("national", {"role": Role.NATIONAL}),
        "regional": user("regional", {"role": Role.REGIONAL, "region": region("84")}),
        "manager": user("manager", {"role": Role.MANAGER, "cluster": w.cluster_a}),
        "member": user("member", {"role": Role.MEMBER, "organisation": w.org_member,
                                  "cluster": w.cluster_a}),
        "reviewer": user("reviewer", {"role": Role.REVIEWER}),
        "outsider": user("outsider"),
        "anonymous": None,
    }


MATRIX_ROLES = (*ROLES, "awaiting")
"""The permission matrix's roles: those above, and a person whose only grant waits for consent."""


def token_for(owner, name: str = "matrix") -> str:
    """A working API token of `owner`; returns the secret to send as `Authorization: Bearer …`."""
    from poles.access.models import ApiToken
    from poles.api.caller import digest, new_token

    raw = new_token()
    ApiToken.objects.create(owner=owner, name=name, prefix=raw[:12], digest=digest(raw))
    return raw


def build_matrix_world() -> SimpleNamespace:
    """The shared world and its users, plus what the permission matrix needs to tell the rule apart.

    - each organisation carries sentinels in its own data (address, figures), so that a membership
      that opened it would show: `org_shared` was supplied by cluster B and is a member of A and B;
      `org_open` came from open data (supplied by nobody) and is a member of A; they are written
      through the write services by those who keep them, so the audit trail holds them too;
    - `rep_b` represents B's member `org_b` (through B); `second_rep` waits for the consent of
      `member` to represent `org_member` too; the role "awaiting" waits to represent `org_shared`
      (through A, which did not supply it);
    - every matrix role has an API token (`w.tokens[role]`); `foreign_token` is someone else's;
    - each cluster has an import job whose report names one of its confidential values.
    """
    from poles.access import writes
    from poles.access.models import ApiToken
    from poles.web.models import ImportJob

    w = build_register()
    w.users = users = build_users(w)
    admin, manager = users["admin"], users["manager"]
    w.org_shared = organisation("Shared Beta Member", city="Brest", supplied_by=w.cluster_b)
    w.membership_shared_b = membership(w.org_shared, w.cluster_b)
    w.membership_shared = membership(w.org_shared, w.cluster_a)
    w.org_open = organisation("Open Data Org", city="Dijon", supplied_by=None)
    w.membership_open = membership(w.org_open, w.cluster_a)
    # the sentinels of each organisation's own data are written by those who keep it, through the
    # write services, so that the audit trail carries them too (filed under the supplying cluster)
    figures = {"year": 2024, "staff": 12}
    writes.update_organisation(manager, w.org_a, {"address": SECRET_ADDRESS_A})
    writes.update_organisation(users["member"], w.org_member, {}, figures=figures | {"turnover": SENTINEL_TURNOVER_OWN})
    writes.update_organisation(admin, w.org_b, {"address": SECRET_ADDRESS_B})
    writes.update_organisation(admin, w.org_shared, {"address": SECRET_ADDRESS_SHARED},
                               figures=figures | {"turnover": SENTINEL_TURNOVER_SHARED})
    writes.update_organisation(admin, w.org_open, {"address": SECRET_ADDRESS_OPEN},
                               figures=figures | {"turnover": SENTINEL_TURNOVER_OPEN})
    writes.update_membership(manager, w.membership_shared, {"fee_invoiced": SENTINEL_FEE_SHARED})
    for org in (w.org_a, w.org_member, w.org_b, w.org_shared, w.org_open):
        org.refresh_from_db()
    w.rep_b = user("rep-b", {"role": Role.MEMBER, "organisation": w.org_b, "cluster": w.cluster_b})
    w.second_rep = user("second-rep", {
        "role": Role.MEMBER, "organisation": w.org_member, "cluster": w.cluster_a,
        "status": Grant.Status.AWAITING, "created_by": users["manager"]})
    users["awaiting"] = user("awaiting", {
        "role": Role.MEMBER, "organisation": w.org_shared, "cluster": w.cluster_a,
        "status": Grant.Status.AWAITING, "created_by": users["manager"]})
    w.grant_second_rep = Grant.objects.get(user=w.second_rep)
    # accounts the accounts pages act on: an invitation not yet accepted and a deactivated account,
    # both regional officers of A's region (so A's regional officer manages them too)
    w.pending = user("pending-regional", {"role": Role.REGIONAL, "region": region("84"),
                                          "created_by": users["national"]}, is_active=False)
    w.disabled = user("disabled-regional", {"role": Role.REGIONAL, "region": region("84")},
                      password="disabled-not-secret", is_active=False)
    w.grant_pending = Grant.objects.get(user=w.pending)
    w.grant_manager = Grant.objects.get(user=users["manager"])
    w.grant_awaiting = Grant.objects.get(user=users["awaiting"])
    w.tokens = {role: token_for(u) for role, u in users.items() if u is not None}
    owner = user("token-owner")
    token_for(owner, "someone else's")
    w.foreign_token = ApiToken.objects.get(owner=owner)
    w.own_tokens = {role: ApiToken.objects.get(owner=u) for role, u in users.items() if u is not None}
    w.import_a = ImportJob.objects.create(
        cluster=w.cluster_a, user=users["manager"], file_name="alpha.csv", content=b"", year=2025,
        status=ImportJob.Status.FAILED,
        report={"ok": False, "errors": [{"row": 2, "column": "nom", "value": SECRET_ACRONYM, "reason": "test"}]})
    w.import_b = ImportJob.objects.create(
        cluster=w.cluster_b, user=users["admin"], file_name="beta.csv", content=b"", year=2025,
        status=ImportJob.Status.FAILED,
        report={"ok": False, "errors": [{"row": 2, "column": "nom", "value": SECRET_ACRONYM_B, "reason": "test"}]})
    # an excellence label of each cluster (public data, shown on the profiles)
    w.label_a, w.label_b = (
        Label.objects.create(kind=Label.Kind.EXCELLENCE, name="Cluster Management Excellence Label", level=level,
                             issuer="ESCA", awarded=date(2025, 1, 15), expires=date(2027, 1, 15), cluster=cluster)
        for cluster, level in ((w.cluster_a, "silver"), (w.cluster_b, "bronze")))
    w.preview_a, w.preview_b = (
        ImportJob.objects.create(
            cluster=cluster, user=user_, file_name="preview.csv", year=2025, status=ImportJob.Status.PREVIEW,
            content=f"nom;siren;ville\nPreviewed {n};{siren(880000 + n)};Lyon\n".encode(), report={"preview": {}})
        for n, (cluster, user_) in enumerate(((w.cluster_a, users["manager"]), (w.cluster_b, users["admin"]))))
    from certification.certworld import add_to_matrix_world

    add_to_matrix_world(w)
    from calls_matrix import build_calls_world

    build_calls_world(w)
    from calls_review_world import build_calls_review_world

    build_calls_review_world(w)
    build_calls_matrix(w)
    build_survey_world(w)
    return w


def build_calls_matrix(w: SimpleNamespace) -> None:
    """A published call with files at several stages, made through the calls services.

    - `app_own`: the member's file (coordinator `org_member`), labelled by cluster A, in review,
      assigned to the matrix reviewer, whose draft review carries `SECRET_REVIEW_NOTE`;
    - `app_rival`: another consortium's file (`org_b`, by `rep_b`), in review, assigned to
      another reviewer; its acronym is `SECRET_RIVAL_FILE`;
    - `app_draft` and `app_submitted`: the member's draft (with its costs) and a submitted file;
    - `selection`: an unconfirmed selection of the call; `draft_setup`: a call not yet published.
    """
    import datetime as dt

    from django.utils import timezone

    from poles.calls import deciding, documents, followup, notify, reviewing, submissions
    from poles.calls.models import CallSetup
    from poles.calls.transitions import transition

    users = w.users
    with notify.muted():  # e-mails of the world's history would land in the first test's outbox
        admin, member, manager, reviewer = users["admin"], users["member"], users["manager"], users["reviewer"]
        setup = CallSetup.objects.create(
            call=call("MATRIX-CALL-2026", title="Matrix call"), envelope=Decimal(500_000), reviews_per_file=1,
            grid=[{"key": "q", "weight": 1, "low": 0, "high": 5}],
            form=[{"key": "annex", "kind": "file", "label_fr": "Annexe", "label_en": "Annex", "required": False}])
        now = timezone.now()
        deciding.add_round(admin, setup, now - dt.timedelta(days=10), now + dt.timedelta(days=30))
        w.call_setup = deciding.publish(admin, setup)
        w.draft_setup = CallSetup.objects.create(call=call("MATRIX-DRAFT-2026", title="Matrix draft call"),
                                                 envelope=Decimal(100_000))

        def draft(creator, coordinator, acronym):
            app = submissions.start_application(creator, setup, coordinator, acronym=acronym,
                                                title=f"Matrix file {acronym}", duration_months=24)
            submissions.save_partner(creator, app, coordinator, costs={"staff": "100000"}, staff_months=12,
                                     requested_aid=20_000)
            return app

        def in_review(app, creator):
            transition(app, "submit", creator)
            transition(app, "declare_eligible", admin)
            transition(app, "start_review", admin)
            return app

        w.app_own = draft(member, w.org_member, "OWNFILE")
        w.doc_own = documents.add_document(member, w.app_own, "annex", "own-annex.pdf", SECRET_OWN_DOCUMENT)
        transition(w.app_own, "submit", member)
        transition(w.app_own, "declare_eligible", admin)
        reviewing.decide_label(manager, reviewing.ask_label(member, w.app_own, w.cluster_a), "labelled")
        transition(w.app_own, "start_review", admin)
        w.assignment_own = reviewing.assign_manually(admin, w.app_own, reviewer)
        reviewing.save_review(reviewer, w.assignment_own, {"q": 3}, {"q": SECRET_REVIEW_NOTE})
        w.reviewer_b = user("reviewer-b", {"role": Role.REVIEWER})
        rival = draft(w.rep_b, w.org_b, SECRET_RIVAL_FILE)
        w.doc_rival = documents.add_document(w.rep_b, rival, "annex", "rival-annex.pdf", SECRET_RIVAL_DOCUMENT)
        w.app_rival = in_review(rival, w.rep_b)
        w.assignment_rival = reviewing.assign_manually(admin, w.app_rival, w.reviewer_b)
        w.app_draft = draft(member, w.org_member, "DRAFTFILE")
        w.app_submitted = draft(member, w.org_member, "SENTFILE")
        transition(w.app_submitted, "submit", member)
        # an eligible file no reviewer holds yet (automatic assignment has work), and two files
        # selected by a confirmed selection: one to sign, one signed and running with its follow-up
        w.app_eligible = draft(member, w.org_member, "ELIGIBLEFILE")
        transition(w.app_eligible, "submit", member)
        transition(w.app_eligible, "declare_eligible", admin)
        w.app_selected, w.app_agreed = in_review(draft(member, w.org_member, "SELECTEDFILE"), member), \
            in_review(draft(member, w.org_member, "AGREEDFILE"), member)
        for app in (w.app_selected, w.app_agreed):
            reviewing.save_review(w.reviewer_b, reviewing.assign_manually(admin, app, w.reviewer_b), {"q": 4},
                                  submit=True)
        deciding.confirm(admin, deciding.propose(admin, setup))
        deciding.sign_agreement(admin, w.app_agreed)
        aid = followup.decided_aid(w.app_agreed)
        today = timezone.localdate()
        w.today = today.isoformat()
        advance, w.instalment = followup.schedule(admin, w.app_agreed, [
            {"kind": "advance", "amount": aid / 2, "due_on": today},
            {"kind": "intermediate", "amount": aid / 4, "due_on": today + dt.timedelta(days=365)}])
        followup.record_payment(admin, advance, today)
        w.report_due = followup.add_report(admin, w.app_agreed, "technical", today + dt.timedelta(days=30))
        w.report_final = followup.add_report(admin, w.app_agreed, "financial", today, final=True)
        followup.receive_report(admin, w.report_final, today)
        w.selection = deciding.propose(admin, setup)


def build_survey_world(w: SimpleNamespace) -> None:
    """Two annual surveys opened by the national officer: 2024 with every report a draft and a file
    attached to A's and B's, 2023 with A's and B's reports submitted (to send back or validate)."""
    from poles.survey import services

    users = w.users
    w.survey = services.open_survey(users["national"], 2024)
    w.report_a = w.survey.reports.get(cluster=w.cluster_a)
    w.report_b = w.survey.reports.get(cluster=w.cluster_b)
    w.evidence_a = services.add_evidence(users["manager"], w.report_a, "accounts-a.pdf", b"%PDF-1.4 alpha")
    w.evidence_b = services.add_evidence(users["admin"], w.report_b, "accounts-b.pdf", b"%PDF-1.4 beta")
    w.survey_past = services.open_survey(users["national"], 2023)
    w.submitted_a = w.survey_past.reports.get(cluster=w.cluster_a)
    w.submitted_b = w.survey_past.reports.get(cluster=w.cluster_b)
    services.transition(w.submitted_a, "submit", users["manager"])
    services.transition(w.submitted_b, "submit", users["admin"])
    from django.core import mail

    if hasattr(mail, "outbox"):
        mail.outbox.clear()  # the submissions' e-mails are the world's, not the tests' that read the outbox
    w.report_run = _report_run()
    return w


def _report_run():
    """A finished report run with one real file (the national synthesis as XLSX), in a directory of its own.

    The reports directory setting points at a temporary directory for the rest of the session.
    """
    import datetime as dt
    import tempfile
    from pathlib import Path

    from django.conf import settings

    from poles.reports import documents
    from poles.reports.models import ReportRun

    settings.POLES_REPORTS_DIR = tempfile.mkdtemp(prefix="poles-reports-")
    run = ReportRun.objects.create(year=2024, read_on=dt.date(2024, 12, 31), status=ReportRun.Status.DONE,
                                   files=["2024-national.xlsx"])
    folder = Path(settings.POLES_REPORTS_DIR) / str(run.pk)
    folder.mkdir(parents=True)
    doc = documents.national_report(documents.Dataset.load(2024))
    (folder / "2024-national.xlsx").write_bytes(documents.to_xlsx(doc))
    return run


GROUPINGS = ("", ",", " ", "\u00a0", "\u202f", "\u2009")
"""Thousands separators a page, an export or a locale may use (none, English, the French spaces)."""


def spellings(value: Decimal | str) -> set[str]:
    """Every way a page, an export or the API may write an amount: raw, French, English, rounded.

    Raw (87654.32), French (87 654,32 with a space, a no-break or a narrow no-break space),
    English (87,654.32), to one decimal and to the unit rounded half up or down (87 654 €, €87,654,
    54 322 for 54321.98); `found` searches them as whole numbers. 87.7 k€ is not exact and is left
    out, so sentinel amounts are chosen at 10,000 or more, where no other figure of the world lies.
    """
    amount = Decimal(str(value))
    if amount < 10_000:
        raise ValueError(f"sentinel amounts must be 10,000 or more to be searchable, found {amount}")
    forms: set[str] = set()
    for places in (2, 1, 0):
        for rounding in (ROUND_HALF_UP, ROUND_DOWN):
            quantized = amount.quantize(Decimal(1).scaleb(-places), rounding=rounding)
            whole, _, fraction = f"{quantized:f}".partition(".")
            for grouping in GROUPINGS:
                grouped = f"{int(whole):,}".replace(",", grouping)
                if not fraction:
                    forms.add(grouped)
                forms |= {f"{grouped}{point}{fraction}" for point in (".", ",") if fraction and point != grouping}
    return forms


@cache
def _pattern(value: str) -> re.Pattern[str]:
    try:
        forms = spellings(Decimal(value))
    except (InvalidOperation, ValueError):
        return re.compile(re.escape(value), re.IGNORECASE)
    alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
    return re.compile(rf"(?<!\d)(?:{alternatives})(?!\d)")


def found(value: Decimal | str, text: str) -> list[str]:
    """The spellings of a sentinel present in `text`: amounts as whole numbers (no digit glued on
    either side, so 87654 is not found in 187654), strings case-insensitively."""
    return sorted({m.group(0) for m in _pattern(str(value)).finditer(text)})


def leaked(text: str, values) -> dict[str, list[str]]:
    """{sentinel: spellings found} for the sentinels among `values` that `text` contains."""
    hits = {str(v): found(v, text) for v in values}
    return {v: forms for v, forms in hits.items() if forms}
