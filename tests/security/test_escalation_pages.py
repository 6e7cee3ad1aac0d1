"""Writes never widen reads, through the pages: the escalation chains of issue 7 (findings 1–3) walked
by cluster A's manager in the workspace as a browser would — each form read from its page, then
posted — with the whole permission matrix (every page, API answer and export) searched after each step.

Cluster B's member `org_b` has its own data (address, turnover) and a fee in B; cluster B labels
projects. A's manager may bring `org_b` into A's member list, but nothing of B's may reach them;
only a consent (of `org_b`'s representative or a programme officer) makes them its representative,
and even then B's membership data stays closed.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import (
    SECRET_ACRONYM_B,
    SECRET_ADDRESS_B,
    SENTINEL_BUDGET_B,
    SENTINEL_FEE_B,
    SENTINEL_TURNOVER_B,
    build_matrix_world,
    leaked,
)
from matrix import Caller, changed_tables, form_values, leaks_in_walk, snapshot, text_of

from poles.access.models import Grant
from poles.registry.models import Membership, Organisation, OrganisationFigures
from poles.registry.programme import current_year
from poles.web.models import ImportJob

pytestmark = pytest.mark.django_db

B_OWN = (SENTINEL_TURNOVER_B, SECRET_ADDRESS_B)
"""`org_b`'s own data: supplied by B, read by B's team, its representatives and the officers."""
B_CLUSTER = (SENTINEL_FEE_B, SENTINEL_BUDGET_B, SECRET_ACRONYM_B)
"""B's data: `org_b`'s fee in B, B's project cost, B's unpublished project."""
B_MEMBERSHIP = (SENTINEL_FEE_B, SECRET_ACRONYM_B)
"""What no grant of cluster A opens, even a consented one: B's membership data, B's hidden project."""


@pytest.fixture
def w():
    world = build_matrix_world()
    world.users["rep_b"] = world.rep_b
    return world


def _org_b_state(w) -> tuple:
    return (Organisation.objects.filter(pk=w.org_b.pk).values().get(),
            list(OrganisationFigures.objects.filter(organisation=w.org_b).values()))


def import_through_the_page(manager: Caller, w, rows: str, *, dry_run: bool = False) -> tuple[ImportJob, str]:
    """Upload a members file on A's import page (the form as the page shows it); the job and its page."""
    url = reverse("workspace_import", kwargs={"slug": w.cluster_a.slug})
    values = form_values(manager.client, url, "year")
    values.update(year=str(current_year()), file=SimpleUploadedFile("members.csv", rows.encode(), "text/csv"))
    if dry_run:
        values["dry_run"] = "on"
    else:
        values.pop("dry_run", None)
    response = manager.post_form(url, values)
    assert response.status_code == 302, text_of(response)[:800]
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportJob.Status.PREVIEW, (job.status, job.report)
    response = manager.post_form(reverse("workspace_import_confirm", kwargs={"slug": w.cluster_a.slug, "pk": job.pk}), {})
    assert response.status_code == 302, text_of(response)[:800]
    page = manager.get(response["Location"])
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE, (job.status, job.report)
    return job, text_of(page)


def bring_org_b_into_a(manager: Caller, w) -> str:
    """A's manager names `org_b` (by its SIREN) in a members import, with other details and figures."""
    job, page = import_through_the_page(manager, w, (
        "nom;siren;adresse;ville;chiffre d affaires;annee des chiffres;effectif\n"
        f"Renamed by A;{w.org_b.siren};1 rue de A;Lyon;1000;2024;3\n"))
    assert Membership.objects.filter(organisation=w.org_b, cluster=w.cluster_a, year=current_year()).exists()
    return page


def invite_oneself_for_org_b(manager: Caller, w) -> Grant:
    url = reverse("workspace_invite", kwargs={"slug": w.cluster_a.slug})
    values = form_values(manager.client, url, "email")
    values.update(email=w.users["manager"].email, role="member", organisation=str(w.org_b.pk))
    response = manager.post_form(url, values)
    assert response.status_code == 302, text_of(response)[:800]
    return Grant.objects.get(user=w.users["manager"], role="member", organisation=w.org_b)


def test_the_new_organisation_form_with_another_clusters_siren_takes_nothing(w):
    """The workspace's membership form comes with a new organisation: B's member's SIREN is refused by
    the form, no membership is written and the page shows nothing of B's member but its public name."""
    manager = Caller(w, "manager")
    url = reverse("workspace_organisation_new", kwargs={"slug": w.cluster_a.slug})
    values = form_values(manager.client, url, "name")
    values.update(name="Beta Member", siren=w.org_b.siren, year=str(current_year()), status="member",
                  fee_invoiced="100")
    before = snapshot()
    response = manager.post_form(url, values)
    assert response.status_code == 200
    assert changed_tables(before, snapshot()) == []
    assert not leaked(text_of(response), B_OWN + B_CLUSTER)


def test_an_import_page_bringing_another_clusters_member_changes_and_opens_nothing_of_it(w):
    """Finding 1 and 3 through the pages: the membership is written, the organisation is kept as B
    supplied it, and no page, API answer or export shows A's manager anything of B's."""
    manager = Caller(w, "manager")
    before = _org_b_state(w)
    job_page = bring_org_b_into_a(manager, w)
    assert _org_b_state(w) == before
    assert not leaked(job_page, B_OWN + B_CLUSTER)
    assert "Beta Member" not in job_page and "Rennes" not in job_page
    assert leaks_in_walk(manager, B_OWN + B_CLUSTER) == []
    members = text_of(manager.get(reverse("workspace_members", kwargs={"slug": w.cluster_a.slug})))
    assert "Beta Member" in members  # listed: its membership of A is A's data
    edit = reverse("workspace_organisation_edit", kwargs={"slug": w.cluster_a.slug, "pk": w.org_b.pk})
    assert edit not in members  # "kept elsewhere", no Edit link
    assert manager.get(edit).status_code == 403
    values = form_values(Caller(w, "admin").client, edit, "name")
    values.update(name="Taken over", address="1 rue de A", turnover="1.00", figures_year="2024")
    snap = snapshot()
    assert manager.post_form(edit, values).status_code == 403
    assert changed_tables(snap, snapshot()) == []


def test_a_dry_run_on_the_import_page_is_no_oracle_on_another_clusters_values(w):
    """A right and a wrong guess of B's member's name and turnover give the same report, and the
    job page shows neither the stored values nor whether they matched."""
    manager = Caller(w, "manager")
    reports = []
    for name, turnover in (("Beta Member", SENTINEL_TURNOVER_B), ("Something else", "1.00")):
        job, page = import_through_the_page(manager, w, (
            f"nom;siren;ville;chiffre d affaires;annee des chiffres\n{name};{w.org_b.siren};Rennes;{turnover};2024\n"),
            dry_run=True)
        assert not leaked(page, (SECRET_ADDRESS_B,)), page
        reports.append(job.report)
    assert reports[0] == reports[1]


def test_inviting_oneself_on_the_invite_page_waits_for_consent_and_opens_nothing(w, django_capture_on_commit_callbacks, mailoutbox):
    """Finding 2 through the pages: the grant waits; A's manager cannot consent to it (the consents
    page shows them nothing, a posted consent is 404); B's member's representative refuses it."""
    manager = Caller(w, "manager")
    bring_org_b_into_a(manager, w)
    with django_capture_on_commit_callbacks(execute=True):
        grant = invite_oneself_for_org_b(manager, w)
    assert leaks_in_walk(Caller(w, "manager"), B_OWN + B_CLUSTER) == []
    assert grant.status == Grant.Status.AWAITING
    assert [m.to for m in mailoutbox] == [[w.rep_b.email]]  # the consent asked of B's representative
    consents = reverse("consents")
    assert "Beta Member" not in text_of(manager.get(consents))
    decide = reverse("consent_decide", kwargs={"pk": grant.pk})
    for someone in ("manager", "member", "regional", "awaiting"):
        assert Caller(w, someone).post_form(decide, {"decision": "approve"}).status_code == 404, someone
    grant.refresh_from_db()
    assert grant.status == Grant.Status.AWAITING
    rep_b = Caller(w, "rep_b")
    assert "Beta Member" in text_of(rep_b.get(consents))
    assert rep_b.post_form(decide, {"decision": "refuse"}).status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.REFUSED
    assert leaks_in_walk(Caller(w, "manager"), B_OWN + B_CLUSTER) == []


def test_a_consent_given_on_the_page_opens_the_organisation_but_never_cluster_bs_membership_data(w):
    """Once a national officer consents on /me/consents/, A's manager represents `org_b` through A:
    it reads `org_b`'s own data (as the rule says), never B's membership data nor B's workspace."""
    manager = Caller(w, "manager")
    bring_org_b_into_a(manager, w)
    grant = invite_oneself_for_org_b(manager, w)
    assert leaks_in_walk(Caller(w, "manager"), B_OWN + B_CLUSTER) == []  # nothing before the consent
    national = Caller(w, "national")
    assert "Beta Member" in text_of(national.get(reverse("consents")))
    response = national.post_form(reverse("consent_decide", kwargs={"pk": grant.pk}), {"decision": "approve"})
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.status == Grant.Status.ACTIVE
    manager = Caller(w, "manager")
    assert leaks_in_walk(manager, B_MEMBERSHIP) == []
    own = text_of(manager.get(f"/api/v1/organisations/{w.org_b.pk}"))
    assert leaked(own, B_OWN)  # the consented representative reads the organisation's own data
    for name in ("workspace", "workspace_members", "workspace_memberships", "workspace_invite"):
        assert manager.get(reverse(name, kwargs={"slug": w.cluster_b.slug})).status_code == 403, name
    assert manager.get(f"/api/v1/memberships/{w.membership_b.pk}").status_code == 404
