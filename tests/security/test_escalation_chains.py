"""Writes never widen reads: the escalation chains found in review (issue 7, findings 1–3), as sequences.

Each scenario is run by cluster A's manager through the API with a web session and with a token.
Cluster B's member (`org_b`) has confidential figures (turnover) and a fee in B; none of it may
reach A's manager, whatever memberships, invitations or imports A writes.
"""

from __future__ import annotations

import json

import pytest
from django.core import mail
from factories import SENTINEL_FEE_B, SENTINEL_TURNOVER_B
from factories import leaked as sentinels_in

from poles.access.models import Grant
from poles.registry.models import Membership, Organisation, OrganisationFigures
from poles.registry.programme import current_year

pytestmark = pytest.mark.django_db


def leaked(document, *values) -> list[str]:
    """The spellings of `values` found anywhere in a response document."""
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    return sorted(form for forms in sentinels_in(text, values).values() for form in forms)


def reads_of_b(manager, register) -> list:
    """Everything A's manager can ask about B's member and B's memberships."""
    org = register.org_b.pk
    return [
        manager.get(f"/api/v1/organisations/{org}")[1],
        manager.get(f"/api/v1/organisations?q={register.org_b.name}")[1],
        manager.get(f"/api/v1/organisations?q={register.org_b.name}&format=csv")[1],
        manager.get(f"/api/v1/memberships?organisation={org}")[1],
        manager.get(f"/api/v1/memberships?cluster={register.cluster_b.slug}")[1],
        manager.get("/api/v1/memberships?format=csv")[1],
    ]


def test_a_membership_written_by_a_cluster_opens_nothing_of_another_clusters_member(caller, register):
    manager = caller("manager")
    status, created = manager.post("/api/v1/memberships", {
        "organisation": register.org_b.pk, "cluster": register.cluster_a.pk,
        "year": current_year(), "status": "pending",
    })
    assert status == 201, created
    for document in reads_of_b(manager, register):
        assert not leaked(document, SENTINEL_TURNOVER_B, SENTINEL_FEE_B)
    status, detail = manager.get(f"/api/v1/organisations/{register.org_b.pk}")
    assert status == 200 and "figures" not in detail and "address" not in detail
    status, problem = manager.patch(f"/api/v1/organisations/{register.org_b.pk}", {"name": "Taken over"})
    assert status == 403, problem
    assert "supplied" in problem["detail"] or "fourni" in problem["detail"]
    status, _ = manager.patch(f"/api/v1/organisations/{register.org_b.pk}",
                              {"figures": {"year": 2024, "turnover": "1.00"}})
    assert status == 403
    register.org_b.refresh_from_db()
    assert register.org_b.name == "Beta Member"
    assert OrganisationFigures.objects.get(organisation=register.org_b, year=2024).turnover == SENTINEL_TURNOVER_B


def test_inviting_oneself_as_representative_of_another_clusters_member_waits_for_consent(
        caller, users, register):
    manager = caller("manager")
    manager.post("/api/v1/memberships", {"organisation": register.org_b.pk, "cluster": register.cluster_a.pk,
                                         "year": current_year(), "status": "pending"})
    status, invitation = manager.post(f"/api/v1/clusters/{register.cluster_a.pk}/invitations", {
        "email": users["manager"].email, "role": "member", "organisation": register.org_b.pk,
    })
    assert status == 201, invitation
    assert invitation["status"] == "awaiting"
    assert not mail.outbox or all(users["manager"].email not in m.to for m in mail.outbox)
    for document in reads_of_b(caller("manager"), register):
        assert not leaked(document, SENTINEL_TURNOVER_B, SENTINEL_FEE_B)
    assert manager.get("/api/v1/consents") == (200, [])
    status, _ = manager.post(f"/api/v1/consents/{invitation_grant(users['manager']).pk}", {"decision": "approve"})
    assert status == 404


def invitation_grant(user) -> Grant:
    return Grant.objects.get(user=user, role="member")


def test_a_consented_representative_reaches_only_the_inviting_clusters_members_data(caller, users, register):
    """Even once a programme officer consents, the grant of cluster A opens nothing of cluster B."""
    manager = caller("manager")
    manager.post("/api/v1/memberships", {"organisation": register.org_b.pk, "cluster": register.cluster_a.pk,
                                         "year": current_year(), "status": "member"})
    manager.post(f"/api/v1/clusters/{register.cluster_a.pk}/invitations", {
        "email": users["manager"].email, "role": "member", "organisation": register.org_b.pk})
    grant = invitation_grant(users["manager"])
    status, decided = caller("national").post(f"/api/v1/consents/{grant.pk}", {"decision": "approve"})
    assert status == 200 and decided["status"] == "active"
    fresh = caller("manager")
    status, page = fresh.get(f"/api/v1/memberships?cluster={register.cluster_b.slug}")
    assert status == 200
    assert [m for m in page["results"] if m["cluster"] == register.cluster_b.pk] == []
    status, detail = fresh.get(f"/api/v1/memberships/{register.membership_b.pk}")
    assert status == 404
    assert not leaked(fresh.get("/api/v1/memberships?format=csv")[1], SENTINEL_FEE_B)


def test_a_member_import_never_overwrites_nor_reveals_another_clusters_organisation(users, register, tmp_path):
    from poles.imports.members import MembersImporter

    siren = register.org_b.siren
    csv = tmp_path / "members.csv"
    csv.write_text(
        "nom;siren;adresse;chiffre d affaires;annee des chiffres;effectif\n"
        f"Renamed by A;{siren};1 rue de A;1000;2024;3\n", encoding="utf-8")
    before = Organisation.objects.filter(pk=register.org_b.pk).values().get()

    report = MembersImporter(csv, cluster=register.cluster_a, year=current_year(), user=users["manager"]).run()

    assert Organisation.objects.filter(pk=register.org_b.pk).values().get() == before
    assert OrganisationFigures.objects.get(organisation=register.org_b, year=2024).turnover == SENTINEL_TURNOVER_B
    assert Membership.objects.filter(organisation=register.org_b, cluster=register.cluster_a).exists()
    assert report.skipped["organisations kept as supplied elsewhere"] == 1
    document = report.as_dict()
    assert not leaked(document, SENTINEL_TURNOVER_B)
    assert "Beta Member" not in json.dumps(document) and "Rennes" not in json.dumps(document)


def test_a_dry_run_is_no_oracle_on_another_clusters_values(users, register, tmp_path):
    from poles.imports.members import MembersImporter

    reports = []
    for turnover, name in ((SENTINEL_TURNOVER_B, "Beta Member"), ("1.00", "Something else")):
        csv = tmp_path / f"guess-{turnover}.csv"
        csv.write_text(f"nom;siren;chiffre d affaires;annee des chiffres\n{name};{register.org_b.siren};{turnover};2024\n",
                       encoding="utf-8")
        report = MembersImporter(csv, cluster=register.cluster_a, year=current_year(), user=users["manager"])
        reports.append(report.run(dry_run=True).as_dict())
    assert reports[0] == reports[1]
