"""The audit trail through the API: admins see all entries, managers their cluster's."""

from django.test import Client
from helpers import body, send


def _write_both_clusters(api_as, register):
    send(api_as("manager"), "patch", f"/api/v1/memberships/{register.membership_a.pk}", {"fee_paid": "1"})
    send(api_as("admin"), "patch", f"/api/v1/memberships/{register.membership_b.pk}", {"fee_paid": "2"})


def test_admin_sees_every_entry(api_as, register):
    _write_both_clusters(api_as, register)
    entries = body(api_as("admin").get("/api/v1/audit"))["results"]
    assert {e["cluster"] for e in entries} == {register.cluster_a.pk, register.cluster_b.pk}
    assert {e["username"] for e in entries} == {"manager", "admin"}


def test_manager_sees_own_cluster_entries_only(api_as, register):
    _write_both_clusters(api_as, register)
    entries = body(api_as("manager").get("/api/v1/audit"))["results"]
    assert [e["cluster"] for e in entries] == [register.cluster_a.pk]
    assert entries[0]["changes"] == {"fee_paid": ["98765.43", "1.00"]}
    assert entries[0]["channel"] == "api"


def test_others_see_nothing(api_as, register):
    _write_both_clusters(api_as, register)
    for role in ("national", "regional", "member", "outsider"):
        assert body(api_as(role).get("/api/v1/audit"))["count"] == 0
    assert Client().get("/api/v1/audit").status_code == 401


def test_audit_filters(api_as, register):
    _write_both_clusters(api_as, register)
    client = api_as("admin")
    assert body(client.get(f"/api/v1/audit?cluster={register.cluster_b.pk}"))["count"] == 1
    assert body(client.get("/api/v1/audit?model=registry.membership"))["count"] == 2
    assert client.get("/api/v1/audit?action=explode").status_code == 422
