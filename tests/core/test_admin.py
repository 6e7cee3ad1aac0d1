"""Admin pages of the core app: grants given there are audited; the audit trail is read-only."""

from django.urls import reverse

from poles.access.models import Grant
from poles.core.models import AuditEntry


def test_admin_grant_is_audited(client, users, register):
    client.force_login(users["admin"])
    response = client.post(reverse("admin:access_grant_add"), {
        "user": users["outsider"].pk, "role": "manager", "cluster": register.cluster_b.pk, "status": "active",
    })
    assert response.status_code == 302, response.content[:2000]
    grant = Grant.objects.get(user=users["outsider"])
    entry = AuditEntry.objects.get(model="access.Grant", channel="admin")
    assert entry.object_pk == str(grant.pk) and entry.cluster_id == register.cluster_b.pk


def test_audit_trail_cannot_be_edited_in_admin(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403
