"""The audit trail as people read it: names not ids, changes in words, filters, permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from poles.access import writes
from poles.core import audit
from poles.core.models import AuditEntry
from poles.web.auditlog import describe, value_text

pytestmark = pytest.mark.django_db


def test_audit_page_lists_the_clusters_entries_only(client_for, register, users):
    audit.record(users["admin"], "update", register.org_a, {"name": ["a", "b"]}, "page", cluster_id=register.cluster_a.pk)
    audit.record(users["admin"], "update", register.org_b, {"name": ["c", "d"]}, "page", cluster_id=register.cluster_b.pk)
    response = client_for("manager").get(reverse("workspace_audit", args=[register.cluster_a.slug]))
    entries = list(response.context["page"].object_list)
    assert [e.object_repr for e in entries] == ["Alpha Other Member"]
    assert "Beta Member" not in response.content.decode()


def _fee_change(register, users):
    membership = register.membership_a
    membership.fee_invoiced, membership.fee_paid = Decimal("1200.00"), Decimal("0.00")
    membership.save()
    writes.update_membership(users["manager"], membership, {"fee_invoiced": Decimal("1350"), "status": "resigned"}, channel="page")
    return membership


def test_a_change_reads_in_words_in_the_readers_language(register, users):
    users["manager"].first_name, users["manager"].last_name = "Camille", "Martin"
    users["manager"].email = "camille@example.org"
    users["manager"].save()
    membership = _fee_change(register, users)
    entry = AuditEntry.objects.filter(model="registry.Membership").latest("pk")
    with translation.override("fr"):
        shown = describe([entry])[0]
    assert shown.who == "Camille Martin (camille@example.org)"
    assert shown.kind == "adhésion"
    assert shown.name == f"{membership.organisation.name} dans {membership.cluster.name}, {membership.year}"
    changes = {c.field: (c.old, c.new) for c in shown.changes}
    assert changes["cotisation facturée"] == ("1\u00a0200\u00a0€", "1\u00a0350\u00a0€")
    assert changes["statut"][1] == str(dict(type(membership).Status.choices)["resigned"])
    with translation.override("en"):
        shown = describe([entry])[0]
    assert shown.kind == "membership" and "fee invoiced" in {c.field for c in shown.changes}


def test_nothing_reads_as_a_dash_and_related_objects_by_name(register):
    from poles.registry.models import Membership

    organisation = Membership._meta.get_field("organisation")
    assert value_text(organisation, None, {}) == "—"
    assert value_text(organisation, register.org_a.pk, {(type(register.org_a), str(register.org_a.pk)): "Alpha"}) == "Alpha"


def test_page_shows_names_and_words_not_codes(client_for, register, users):
    _fee_change(register, users)
    body = client_for("manager").get(reverse("workspace_audit", args=[register.cluster_a.slug]),
                                     HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    table = body.split('id="audit-entries"')[1]
    assert "registry.Membership" not in table and "fee_invoiced" not in table
    assert "cotisation facturée" in body and "→" in body and "Adhésion" in body


def test_filters_by_actor_kind_action_and_dates(client_for, register, users):
    audit.record(users["admin"], "update", register.org_a, {"name": ["a", "b"]}, "page", cluster_id=register.cluster_a.pk)
    audit.record(users["manager"], "create", register.membership_a, {"year": [None, 2024]}, "api")
    old = audit.record(users["manager"], "delete", register.org_a, {}, "page", cluster_id=register.cluster_a.pk)
    AuditEntry.objects.filter(pk=old.pk).update(at=dt.datetime(2020, 5, 1, 12, tzinfo=dt.UTC))
    url = reverse("workspace_audit", args=[register.cluster_a.slug])
    client = client_for("manager")

    def found(**params):
        return sorted(e.action for e in client.get(url, params).context["page"].object_list)

    assert found() == ["create", "delete", "update"]
    assert found(who=users["manager"].pk) == ["create", "delete"]
    assert found(kind="registry.Membership") == ["create"]
    assert found(action="update") == ["update"]
    assert found(channel="api") == ["create"]
    assert found(until="2020-12-31") == ["delete"]
    assert found(since="2021-01-01") == ["create", "update"]
    refused = client.get(url, {"since": "2024-02-01", "until": "2024-01-01"})
    assert refused.status_code == 200 and "fr-message--error" in refused.content.decode()
    assert client.get(url, {"since": "not a date", "who": "x"}).status_code == 200


def test_programme_audit_page_goes_through_the_permission_layer(client_for, register, users):
    audit.record(users["admin"], "update", register.org_a, {"name": ["a", "b"]}, "page", cluster_id=register.cluster_a.pk)
    audit.record(users["admin"], "update", register.org_b, {"name": ["c", "d"]}, "page", cluster_id=register.cluster_b.pk)
    url = reverse("audit")
    assert len(client_for("admin").get(url).context["page"].object_list) == 2
    assert len(client_for("admin").get(url, {"cluster": register.cluster_b.pk}).context["page"].object_list) == 1
    assert len(client_for("manager").get(url).context["page"].object_list) == 1
    for role in ("national", "member", "outsider"):
        assert client_for(role).get(url).status_code == 403, role
    assert client_for("anonymous").get(url).status_code == 302


def test_an_import_run_reads_as_counts(register, users):
    entry = AuditEntry.objects.create(user=users["manager"], channel="import", action="update", model="import:import",
                                      object_pk="abc", object_repr="membres.csv",
                                      changes={"created": {"organisations": 2}, "updated": {"memberships": 1}},
                                      cluster_id=register.cluster_a.pk)
    with translation.override("fr"):
        shown = describe([entry])[0]
    assert shown.kind == "import d’une liste de membres" and shown.name == "membres.csv"
    assert shown.lines == ["Organisations : 2 lignes créées", "Adhésions : 1 ligne mise à jour"]
