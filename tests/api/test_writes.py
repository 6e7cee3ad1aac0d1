"""API writes: organisations with SIREN checks and size category, memberships, renewals,
projects; each write leaves an audit entry."""

from decimal import Decimal

import factories
import pytest
from helpers import body, send

from poles.core.models import AuditEntry
from poles.registry.models import Membership, Organisation


def test_manager_creates_member_with_size_category_from_figures(api_as, register):
    response = send(api_as("manager"), "post", "/api/v1/organisations", {
        "name": "Nouvelle PME", "siren": "732 829 320", "city": "Lyon", "cluster": register.cluster_a.pk,
        "year": 2026, "figures": {"year": 2024, "staff": "30", "turnover": "5000000.00"},
    })
    assert response.status_code == 201, response.content
    created = body(response)
    assert created["siren"] == "732829320" and created["size_category"] == "small"
    assert created["figures"][0]["turnover"] == {"amount": "5000000.00", "currency": "EUR"}
    assert Membership.objects.filter(organisation_id=created["id"], cluster=register.cluster_a, year=2026).exists()
    entries = AuditEntry.objects.filter(channel="api", action="create")
    assert {e.model for e in entries} >= {"registry.Organisation", "registry.Membership"}
    assert all(e.cluster_id == register.cluster_a.pk for e in entries)


def test_invalid_siren_is_refused_with_its_reason(api_as, register):
    response = send(api_as("manager"), "post", "/api/v1/organisations",
                    {"name": "Bad", "siren": "123456789", "cluster": register.cluster_a.pk})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert "siren" in body(response)["detail"] and "Luhn" in body(response)["detail"]
    assert not Organisation.objects.filter(name="Bad").exists()


@pytest.mark.parametrize("field, value", [
    ("siren", "\u0667\u0663\u0662\u0668\u0662\u0669\u0663\u0662\u0660"),  # 732829320, Arabic-Indic
    ("siren", "73282932\u00b2"),  # a superscript two passes str.isdigit() but not int()
    ("siren", "\uff17\uff13\uff12\uff18\uff12\uff19\uff13\uff12\uff10"),  # full-width digits
    ("siret", "\u0667\u0663\u0662\u0668\u0662\u0669\u0663\u0662\u0660\u0660\u0660\u0660\u0667\u0664"),
])
def test_siren_in_other_digits_is_refused_and_stores_nothing(api_as, register, field, value):
    client = api_as("manager", raise_request_exception=False)
    response = send(client, "post", "/api/v1/organisations",
                    {"name": "Homoglyphe", field: value, "cluster": register.cluster_a.pk})
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in body(response)["detail"]
    assert not Organisation.objects.filter(name="Homoglyphe").exists()
    assert not Organisation.objects.exclude(siren__regex=r"^[0-9]{9}$").exclude(siren=None).exists()


def test_duplicate_siren_is_a_conflict(api_as, register):
    response = send(api_as("manager"), "post", "/api/v1/organisations",
                    {"name": "Dup", "siren": register.org_a.siren, "cluster": register.cluster_a.pk})
    assert response.status_code == 409 and str(register.org_a.pk) in body(response)["detail"]


def test_manager_must_name_the_cluster(api_as, register):
    response = send(api_as("manager"), "post", "/api/v1/organisations", {"name": "Orphan"})
    assert response.status_code == 403 and ("pôle" in body(response)["detail"] or "cluster" in body(response)["detail"])


def test_update_organisation_records_the_diff(api_as, register):
    response = send(api_as("manager"), "patch", f"/api/v1/organisations/{register.org_a.pk}",
                    {"city": "Annecy", "figures": {"year": 2025, "staff": "300", "turnover": "60000000"}})
    assert response.status_code == 200, response.content
    assert body(response)["size_category"] == "eti"
    entry = AuditEntry.objects.filter(model="registry.Organisation", action="update").get()
    assert entry.changes["city"] == ["Grenoble", "Annecy"]
    assert entry.user.username == "manager" and entry.channel == "api"


def test_member_updates_own_organisation_but_not_another(api_as, register):
    assert send(api_as("member"), "patch", f"/api/v1/organisations/{register.org_member.pk}",
                {"website": "https://example.org"}).status_code == 200
    refused = send(api_as("member"), "patch", f"/api/v1/organisations/{register.org_a.pk}",
                   {"website": "https://example.org"})
    assert refused.status_code == 403


def test_fee_status_update_and_audit(api_as, register):
    response = send(api_as("manager"), "patch", f"/api/v1/memberships/{register.membership_a.pk}",
                    {"status": "lapsed", "fee_paid": "10.50"})
    assert response.status_code == 200
    register.membership_a.refresh_from_db()
    assert register.membership_a.fee_paid == Decimal("10.50") and register.membership_a.status == "lapsed"
    entry = AuditEntry.objects.get(model="registry.Membership")
    assert entry.changes == {"status": ["member", "lapsed"], "fee_paid": ["98765.43", "10.50"]}


def test_membership_outside_scope_is_not_visible(api_as, register):
    response = send(api_as("manager"), "patch", f"/api/v1/memberships/{register.membership_b.pk}", {"fee_paid": "1"})
    assert response.status_code == 404
    register.membership_b.refresh_from_db()
    assert register.membership_b.fee_paid == 0


def test_create_membership_then_duplicate_conflicts(api_as, register):
    client = api_as("manager")
    payload = {"organisation": register.org_b.pk, "cluster": register.cluster_a.pk, "year": 2025,
               "fee_invoiced": "500"}
    assert send(client, "post", "/api/v1/memberships", payload).status_code == 201
    assert send(client, "post", "/api/v1/memberships", payload).status_code == 409


def test_renewal_carries_members_into_next_year(api_as, register):
    factories.membership(factories.organisation("Lapsed"), register.cluster_a, status="lapsed")
    response = send(api_as("manager"), "post", "/api/v1/memberships/renewals",
                    {"cluster": register.cluster_a.pk, "from_year": 2025})
    assert response.status_code == 201
    assert body(response) == {"cluster": register.cluster_a.pk, "from_year": 2025, "to_year": 2026,
                              "created": 2, "skipped": 0}
    renewed = Membership.objects.filter(cluster=register.cluster_a, year=2026)
    assert {m.status for m in renewed} == {"pending"}
    assert {m.fee_invoiced for m in renewed} == {Decimal("98765.43"), Decimal("13579.24")}
    again = body(send(api_as("manager"), "post", "/api/v1/memberships/renewals",
                      {"cluster": register.cluster_a.pk, "from_year": 2025}))
    assert again["created"] == 0 and again["skipped"] == 2


def test_project_update_by_manager_and_refused_to_officer(api_as, register):
    url = f"/api/v1/projects/{register.hidden_project.pk}"
    assert send(api_as("manager"), "patch", url, {"is_public": True, "total_cost": "1000.00"}).status_code == 200
    register.hidden_project.refresh_from_db()
    assert register.hidden_project.is_public
    assert send(api_as("regional"), "patch", url, {"summary": "x"}).status_code == 403
    assert AuditEntry.objects.filter(model="projects.Project").count() == 1


def test_invitation_endpoint(api_as, register):
    response = send(api_as("manager"), "post", f"/api/v1/clusters/{register.cluster_a.pk}/invitations",
                    {"email": "rep@example.org", "role": "member", "organisation": register.org_a.pk})
    assert response.status_code == 201 and body(response)["created_user"]
    bad = send(api_as("manager"), "post", f"/api/v1/clusters/{register.cluster_a.pk}/invitations",
               {"email": "nope", "role": "member", "organisation": register.org_a.pk},
               HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 422 and "e-mail" in body(bad)["detail"]


def test_figures_written_through_the_api_follow_the_group_rule_of_imports(api_as, register):
    head = factories.organisation("Groupe", kind=Organisation.Kind.COMPANY)
    head.figures.create(year=2024, staff=Decimal(9000), turnover=Decimal(3e9), balance_sheet=Decimal(4e9))
    Organisation.objects.filter(pk=register.org_a.pk).update(group_head=head, kind=Organisation.Kind.COMPANY)
    response = send(api_as("admin"), "patch", f"/api/v1/organisations/{register.org_a.pk}",
                    {"figures": {"year": 2024, "staff": "5", "turnover": "100000", "balance_sheet": "100000"}})
    assert response.status_code == 200, response.content
    assert body(response)["size_category"] == "large"  # a micro firm alone, but controlled by a large group
