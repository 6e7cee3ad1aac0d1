"""Adding and editing a member organisation: SIREN checked, size category computed, audit kept."""

from __future__ import annotations

import factories
import pytest
from django.urls import reverse

from poles.core.models import AuditEntry
from poles.registry.models import Membership, Organisation, OrganisationFigures
from poles.web.forms import SIZE_LABELS

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Nouvelle Entreprise", "kind": "company", "siren": "", "siret": "", "address": "",
    "postcode": "69001", "city": "Lyon", "website": "", "description": "",
    "figures_year": "2024", "staff": "30", "turnover": "4000000", "balance_sheet": "",
    "year": "2025", "status": "member", "fee_invoiced": "1500",
}


def new_url(cluster):
    return reverse("workspace_organisation_new", args=[cluster.slug])


def test_new_organisation_rejects_a_siren_failing_its_check_digit(client_for, register):
    response = client_for("manager").post(new_url(register.cluster_a), {**NEW, "siren": "123456789"})
    assert response.status_code == 200
    assert "123456789" in str(response.context["form"].errors["siren"])
    assert not Organisation.objects.filter(name="Nouvelle Entreprise").exists()


def test_new_organisation_rejects_a_siren_already_in_the_register(client_for, register):
    response = client_for("manager").post(new_url(register.cluster_a), {**NEW, "siren": register.org_b.siren})
    assert "Beta Member" in str(response.context["form"].errors["siren"])


def test_new_organisation_is_created_with_its_membership_category_and_audit(client_for, register):
    siren = factories.siren(424242)
    response = client_for("manager").post(new_url(register.cluster_a), {**NEW, "siren": siren})
    assert response.status_code == 302
    organisation = Organisation.objects.get(siren=siren)
    assert organisation.key == f"siren:{siren}"
    assert organisation.size_category == "small"
    assert OrganisationFigures.objects.get(organisation=organisation).staff == 30
    membership = Membership.objects.get(organisation=organisation, cluster=register.cluster_a)
    assert (membership.year, membership.fee_invoiced) == (2025, 1500)
    entries = AuditEntry.objects.filter(cluster_id=register.cluster_a.pk, channel="page")
    assert {e.model for e in entries} == {"registry.Organisation", "registry.Membership"}


def test_figures_need_their_year(client_for, register):
    response = client_for("manager").post(new_url(register.cluster_a), {**NEW, "figures_year": ""})
    assert response.context["form"].errors["figures_year"]


@pytest.mark.parametrize("role", ["national", "regional", "member", "outsider"])
def test_only_the_clusters_managers_add_organisations(client_for, register, role):
    response = client_for(role).post(new_url(register.cluster_a), NEW)
    assert response.status_code == 403
    assert not Organisation.objects.filter(name="Nouvelle Entreprise").exists()


def test_edit_updates_the_organisation_and_recomputes_its_category(client_for, register):
    url = reverse("workspace_organisation_edit", args=[register.cluster_a.slug, register.org_a.pk])
    data = {**NEW, "name": "Alpha Renamed", "siren": register.org_a.siren, "staff": "400",
            "turnover": "60000000", "balance_sheet": "50000000"}
    assert client_for("manager").post(url, data).status_code == 302
    register.org_a.refresh_from_db()
    assert register.org_a.name == "Alpha Renamed"
    assert register.org_a.size_category == "eti"
    entry = AuditEntry.objects.filter(model="registry.Organisation", action="update").get()
    assert entry.changes["name"] == ["Alpha Other Member", "Alpha Renamed"]


def test_edit_of_an_organisation_outside_the_cluster_is_404(client_for, register):
    url = reverse("workspace_organisation_edit", args=[register.cluster_a.slug, register.org_b.pk])
    assert client_for("manager").get(url).status_code == 404


def test_category_preview_answers_from_the_figures_typed(client_for, register):
    url = reverse("workspace_organisation_category", args=[register.cluster_a.slug])
    client = client_for("manager")
    assert "micro" in client.get(url, {"kind": "company", "staff": "5", "turnover": "100000"}).content.decode()
    undecided = client.get(url, {"kind": "company", "staff": "5"}).context["category"]
    assert undecided == str(SIZE_LABELS["unknown"])
    assert client.get(url, {"kind": "company", "staff": "abc"}).status_code == 200
