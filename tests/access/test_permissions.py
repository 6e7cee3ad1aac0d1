"""The permission layer: rows, field levels and writes, for each role."""

import pytest
from django.core.exceptions import PermissionDenied
from factories import membership

from poles.access.fieldlevels import FIELDS, fields_at, readable_fields
from poles.access.permissions import Level, can, check, level_for, levels_for, visible
from poles.core.models import AuditEntry
from poles.projects.models import Funding, Participation, Project
from poles.registry.models import ClusterContact, Membership, Organisation, OrganisationFigures


def test_organisation_level_follows_the_supplying_cluster_not_memberships(users, register):
    manager = users["manager"]
    assert level_for(manager, register.org_a) is Level.CONFIDENTIAL
    assert level_for(manager, register.org_b) is Level.PUBLIC
    membership(register.org_b, register.cluster_a, year=2024)
    assert level_for(manager, register.org_b) is Level.PUBLIC
    assert not visible(manager, OrganisationFigures).filter(organisation=register.org_b).exists()


def test_levels_for_a_page_agree_with_level_for_each_object(users, register):
    organisations = list(Organisation.objects.all())
    for role in ("regional", "manager", "member", "outsider", "anonymous"):
        levels = levels_for(users[role], organisations)
        assert levels == {o.pk: level_for(users[role], o) for o in organisations}


def test_memberships_of_an_organisation_elsewhere_stay_closed_to_its_representative(users, register):
    elsewhere = membership(register.org_member, register.cluster_b, year=2024, fee_invoiced=1)
    assert not visible(users["member"], Membership).filter(pk=elsewhere.pk).exists()
    assert level_for(users["member"], elsewhere) is Level.PUBLIC
    assert level_for(users["member"], register.membership_member) is Level.CONFIDENTIAL


def test_every_field_table_names_real_fields():
    for model, fields in FIELDS.items():
        names = {f.name for f in model._meta.get_fields()} | {"id"}
        assert set(fields) <= names, model


def test_fees_are_confidential_and_names_public():
    assert "fee_invoiced" not in fields_at(Membership, Level.MEMBERS)
    assert "fee_invoiced" in fields_at(Membership, Level.CONFIDENTIAL)
    assert "name" in fields_at(Organisation, Level.PUBLIC)


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 2), ("national", 2), ("regional", 2), ("manager", 2), ("member", 1),
     ("reviewer", 0), ("outsider", 0), ("anonymous", 0)],
)
def test_level_on_other_members_membership(users, register, role, expected):
    assert level_for(users[role], register.membership_a) == expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin", 2), ("national", 2), ("regional", 0), ("manager", 0), ("member", 0),
     ("outsider", 0), ("anonymous", 0)],
)
def test_level_on_other_clusters_membership(users, register, role, expected):
    assert level_for(users[role], register.membership_b) == expected


def test_member_reads_own_organisation_confidentially(users, register):
    assert level_for(users["member"], register.org_member) is Level.CONFIDENTIAL
    assert level_for(users["member"], register.org_a) is Level.MEMBERS
    assert level_for(users["member"], register.org_b) is Level.PUBLIC
    assert "figures" in readable_fields(users["member"], register.org_member)
    assert "figures" not in readable_fields(users["member"], register.org_a)


@pytest.mark.parametrize(
    ("role", "sees"),
    [("admin", True), ("national", True), ("regional", True), ("manager", True),
     ("member", False), ("reviewer", False), ("outsider", False), ("anonymous", False)],
)
def test_unpublished_project_reaches_only_entitled_roles(users, register, role, sees):
    acronyms = set(visible(users[role], Project).values_list("acronym", flat=True))
    assert ("SECRETPRJ" in acronyms) is sees
    assert "OPENPRJ" in acronyms
    participations = visible(users[role], Participation).filter(project=register.hidden_project)
    assert participations.exists() is sees


def test_hidden_project_of_other_cluster_stays_hidden_from_manager(users, register):
    assert not visible(users["manager"], Project).filter(pk=register.hidden_project_b.pk).exists()
    assert not visible(users["regional"], Funding).filter(project=register.hidden_project_b).exists()


def test_memberships_are_not_public(users, register):
    assert not visible(None, Membership).exists()
    assert not visible(users["outsider"], Membership).exists()
    assert set(visible(users["member"], Membership)) == {register.membership_member, register.membership_a}
    assert set(visible(users["manager"], Membership)) == {register.membership_member, register.membership_a}


def test_unpublished_contacts_only_for_cluster_team(users, register):
    assert not visible(None, ClusterContact).filter(published=False).exists()
    assert not visible(users["member"], ClusterContact).filter(published=False).exists()
    assert visible(users["manager"], ClusterContact).filter(published=False).exists()


def test_manager_changes_own_cluster_and_members_only(users, register):
    manager = users["manager"]
    assert can(manager, "change", register.cluster_a)[0]
    assert not can(manager, "change", register.cluster_b)[0]
    assert can(manager, "change", register.org_a)[0]
    assert not can(manager, "change", register.org_b)[0]
    assert can(manager, "change", register.membership_a)[0]
    assert not can(manager, "change", register.membership_b)[0]
    assert can(manager, "change", register.hidden_project)[0]
    assert not can(manager, "change", register.hidden_project_b)[0]
    assert can(manager, "create", Organisation, cluster=register.cluster_a)[0]
    assert not can(manager, "create", Organisation, cluster=register.cluster_b)[0]
    assert not can(manager, "create", Organisation)[0]
    assert can(manager, "import", Membership, cluster=register.cluster_a)[0]
    assert not can(manager, "import", Membership, cluster=register.cluster_b)[0]
    assert not can(manager, "delete", register.org_a)[0]


@pytest.mark.parametrize("role", ["national", "regional", "reviewer", "outsider", "anonymous"])
def test_officers_and_others_cannot_change_cluster_data(users, register, role):
    for obj in (register.cluster_a, register.org_a, register.membership_a, register.public_project):
        allowed, reason = can(users[role], "change", obj)
        assert not allowed and reason


def test_member_changes_own_organisation_only(users, register):
    assert can(users["member"], "change", register.org_member)[0]
    assert not can(users["member"], "change", register.org_a)[0]
    assert not can(users["member"], "change", register.membership_member)[0]


def test_check_raises_with_reason(users, register):
    with pytest.raises(PermissionDenied, match="gestionnaires|managers"):
        check(users["outsider"], "change", register.membership_a)
    check(users["admin"], "delete", register.org_a)


def test_audit_entries_are_append_only_and_filed_by_cluster(users, register):
    entry = AuditEntry.objects.create(action="update", model="x", object_pk="1",
                                      cluster_id=register.cluster_a.pk)
    assert not can(users["admin"], "change", entry)[0]
    assert visible(users["manager"], AuditEntry).filter(pk=entry.pk).exists()
    assert not visible(users["national"], AuditEntry).filter(pk=entry.pk).exists()
    assert not visible(users["member"], AuditEntry).exists()


def test_unknown_verb_is_a_programming_error(users, register):
    with pytest.raises(ValueError, match="unknown verb"):
        can(users["admin"], "frobnicate", register.cluster_a)
