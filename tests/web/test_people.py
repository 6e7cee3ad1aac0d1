"""Account management from the app: invite every role, resend, cancel, revoke, deactivate,
reactivate, the organisation picker — each allowed and refused through the permission layer,
audited, and never producing a grant outside the actor's scope."""

from __future__ import annotations

import re

import factories
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from poles.access.models import Grant
from poles.access.roles import Role, scope_of
from poles.core.models import AuditEntry

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "A-long-pass-phrase-9"


@pytest.fixture(autouse=True)
def fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _invite(client, **data):
    return client.post(reverse("account_invite"), data)


def _link(message) -> str:
    return re.search(re.escape(settings.SITE_URL) + r"(\S+)", message.body).group(1)


@pytest.mark.parametrize(("data", "bound"), [
    ({"role": "national"}, {}),
    ({"role": "reviewer"}, {}),
    ({"role": "regional", "region": "53"}, {"region_id": "53"}),
    ({"role": "manager", "cluster": "B"}, {"cluster": "B"}),
    ({"role": "member", "organisation": "org_b"}, {"organisation": "org_b"}),
])
def test_the_programme_officer_invites_every_role(client_for, register, data, bound):
    targets = {"B": register.cluster_b.pk, "org_b": register.org_b.pk}
    posted = {k: targets.get(v, v) for k, v in data.items()}
    response = _invite(client_for("national"), email="New.Person@Example.org", **posted)
    assert response.status_code == 302, response.content.decode()[:2000]
    grant = Grant.objects.get(user__email="new.person@example.org")
    assert grant.role == data["role"] and grant.status == Grant.Status.ACTIVE
    for field, value in bound.items():
        expected = {"cluster": register.cluster_b, "organisation": register.org_b}.get(field, value)
        assert getattr(grant, field) == expected
    assert AuditEntry.objects.filter(model="access.Grant", action="create").exists()
    body = mail.outbox[-1].body
    assert "Vous avez été invité" in body and "You have been invited" in body, "French, then English"
    assert "new.person@example.org" in body and "identifiant" in body


def test_nobody_but_an_administrator_gives_the_administrator_role(client_for, register):
    assert _invite(client_for("national"), email="x@example.org", role="admin").status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()
    assert _invite(client_for("admin"), email="x@example.org", role="admin").status_code == 302
    assert scope_of(User.objects.get(email="x@example.org")).is_admin is False, "pending: no scope yet"


@pytest.mark.parametrize("data", [
    {"role": "national"},
    {"role": "reviewer"},
    {"role": "regional", "region": "53"},
    {"role": "manager", "cluster": "A"},
])
def test_a_regional_officer_gives_nothing_outside_their_region(client_for, register, data):
    data = {**data, "cluster": register.cluster_a.pk} if data.get("cluster") else data
    response = _invite(client_for("regional"), email="x@example.org", **data)
    assert response.status_code == 403
    assert not Grant.objects.filter(user__email="x@example.org").exists()
    assert not User.objects.filter(email="x@example.org").exists()


def test_a_regional_officer_invites_a_regional_officer_of_their_region(client_for, register):
    response = _invite(client_for("regional"), email="colleague@example.org", role="regional", region="84")
    assert response.status_code == 302
    grant = Grant.objects.get(user__email="colleague@example.org")
    assert (grant.role, grant.region_id) == ("regional", "84")


def test_a_regional_officer_s_invitation_never_reaches_outside_their_region(client_for, users, register):
    """Sequence: invite, then try to widen the same account by every other door."""
    client = client_for("regional")
    _invite(client, email="colleague@example.org", role="regional", region="84")
    colleague = User.objects.get(email="colleague@example.org")
    for data in ({"role": "regional", "region": "53"}, {"role": "national"},
                 {"role": "manager", "cluster": register.cluster_a.pk},
                 {"role": "member", "organisation": register.org_a.pk, "cluster": register.cluster_a.pk}):
        assert _invite(client, email="colleague@example.org", **data).status_code == 403
    grants = set(Grant.objects.filter(user=colleague).values_list("role", "region_id", "cluster_id"))
    assert grants == {("regional", "84", None)}
    # and the account they manage is only that kind: the national officer's is out of their reach
    assert client.get(reverse("account_detail", args=[users["national"].pk])).status_code == 404
    assert client.post(reverse("account_deactivate", args=[users["national"].pk])).status_code == 404
    users["national"].refresh_from_db()
    assert users["national"].is_active


@pytest.mark.parametrize("role", ["manager", "member", "reviewer", "outsider"])
def test_the_accounts_pages_are_refused_to_other_roles(client_for, users, role):
    client = client_for(role)
    assert client.get(reverse("accounts_manage")).status_code == 403
    assert client.get(reverse("account_invite")).status_code == 403
    assert _invite(client, email="x@example.org", role="reviewer").status_code == 403
    assert client.post(reverse("account_deactivate", args=[users["national"].pk])).status_code == 403
    assert not User.objects.filter(email="x@example.org").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, users):
    response = client.get(reverse("accounts_manage"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_accounts_list_shows_roles_states_and_filters(client_for, users, register):
    client = client_for("national")
    _invite(client, email="pending@example.org", role="reviewer")
    page = client.get(reverse("accounts_manage")).content.decode()
    assert "pending@example.org" in page and "manager@example.org" in page
    page = client.get(reverse("accounts_manage"), {"status": "pending"}).content.decode()
    assert "pending@example.org" in page and "manager@example.org" not in page
    page = client.get(reverse("accounts_manage"), {"role": "regional"}).content.decode()
    assert "regional@example.org" in page and "manager@example.org" not in page
    regional_view = client_for("regional").get(reverse("accounts_manage")).content.decode()
    assert "regional@example.org" in regional_view and "manager@example.org" not in regional_view


def test_resend_gives_a_new_link_and_the_old_one_stops_working(client_for, register):
    client = client_for("national")
    _invite(client, email="late@example.org", role="reviewer")
    person = User.objects.get(email="late@example.org")
    old = _link(mail.outbox[-1])
    response = client.post(reverse("account_resend", args=[person.pk]))
    assert response.status_code == 302
    new = _link(mail.outbox[-1])
    assert new != old and "late@example.org" in mail.outbox[-1].to
    assert AuditEntry.objects.filter(model="auth.User", object_pk=str(person.pk)).exists()
    visitor = Client()
    page = visitor.get(old, follow=True)
    assert not page.context["validlink"]
    page = visitor.get(new, follow=True)
    assert page.context["validlink"]


def test_cancel_removes_the_grants_and_kills_the_link(client_for, register):
    client = client_for("national")
    _invite(client, email="oops@example.org", role="national")
    person = User.objects.get(email="oops@example.org")
    link = _link(mail.outbox[-1])
    assert client.post(reverse("account_cancel", args=[person.pk])).status_code == 302
    assert not Grant.objects.filter(user=person).exists()
    assert AuditEntry.objects.filter(model="access.Grant", action="delete").exists()
    page = Client().get(link, follow=True)
    assert not page.context["validlink"]
    # cancelling an activated account is refused with a message, nothing changes
    manager = User.objects.get(username="manager")
    response = client.post(reverse("account_cancel", args=[manager.pk]), follow=True)
    assert "déjà activé" in response.content.decode()
    assert Grant.objects.filter(user=manager).exists()


def test_accepting_an_invitation_logs_in_and_lands_on_the_role_s_home(client_for, register):
    _invite(client_for("national"), email="boss@example.org", role="national")
    visitor = Client()
    page = visitor.get(_link(mail.outbox[-1]), follow=True)
    form_url = page.redirect_chain[-1][0]
    body = page.content.decode()
    assert "boss@example.org" in body and "identifiant" in body
    done = visitor.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.status_code == 302 and done["Location"] == reverse("landing")
    home = visitor.get(done["Location"], follow=True)
    assert home.redirect_chain[-1][0] == reverse("programme") and home.status_code == 200
    visitor.logout()
    assert visitor.post(reverse("login"), {"username": "BOSS@example.org", "password": PASSWORD}).status_code == 302


def test_deactivate_and_reactivate(client_for, users, register):
    client = client_for("national")
    manager = users["manager"]
    manager.set_password(PASSWORD)
    manager.save()
    session = Client()
    session.force_login(manager)
    assert client.post(reverse("account_deactivate", args=[manager.pk])).status_code == 302
    manager.refresh_from_db()
    assert not manager.is_active
    assert session.get(reverse("workspace_index")).status_code == 302, "the open session ends"
    assert Client().post(reverse("login"), {"username": manager.email, "password": PASSWORD}).status_code == 200
    entry = AuditEntry.objects.filter(model="auth.User", object_pk=str(manager.pk)).latest("at")
    assert entry.changes == {"is_active": [True, False]} and entry.user == users["national"]
    assert client.post(reverse("account_reactivate", args=[manager.pk])).status_code == 302
    manager.refresh_from_db()
    assert manager.is_active


def test_nobody_deactivates_themselves_nor_an_administrator_unless_admin(client_for, users):
    assert client_for("national").post(reverse("account_deactivate", args=[users["national"].pk])).status_code == 403
    assert client_for("national").post(reverse("account_deactivate", args=[users["admin"].pk])).status_code == 403
    users["admin"].refresh_from_db()
    assert users["admin"].is_active
    assert client_for("admin").post(reverse("account_deactivate", args=[users["national"].pk])).status_code == 302


def test_revoke_a_grant(client_for, users, register):
    grant = Grant.objects.get(user=users["manager"])
    assert client_for("regional").post(reverse("grant_revoke", args=[grant.pk])).status_code == 404
    assert client_for("manager").post(reverse("grant_revoke", args=[grant.pk])).status_code == 403, "not one's own"
    assert Grant.objects.filter(pk=grant.pk).exists()
    assert client_for("national").post(reverse("grant_revoke", args=[grant.pk])).status_code == 302
    assert not Grant.objects.filter(pk=grant.pk).exists()
    entry = AuditEntry.objects.get(model="access.Grant", action="delete")
    assert entry.cluster_id == register.cluster_a.pk, "filed under the cluster, so its managers find it"


def test_a_cluster_manager_keeps_their_invitations_for_their_cluster_only(client_for, register):
    client = client_for("manager")
    url = reverse("workspace_invite", args=[register.cluster_b.slug])
    assert client.post(url, {"email": "x@example.org", "role": "manager"}).status_code == 403
    url = reverse("workspace_invite", args=[register.cluster_a.slug])
    assert client.post(url, {"email": "x@example.org", "role": "manager"}).status_code == 302
    assert set(Grant.objects.filter(user__email="x@example.org").values_list("cluster_id", flat=True)) == {
        register.cluster_a.pk}


def test_the_organisation_picker_searches_through_the_permission_layer(client_for, register):
    url = reverse("organisation_search")
    for n in range(25):
        factories.organisation(f"Searchable Widget {n:02d}", city="Lyon")
    body = client_for("national").get(url, {"q": "widget"}).content.decode()
    assert body.count('type="radio"') == 20, "at most 20 results"
    body = client_for("national").get(url, {"q": register.org_b.siren[:6]}).content.decode()
    assert "Beta Member" in body
    # a manager searches their cluster's members only
    manager = client_for("manager")
    body = manager.get(url, {"q": "member", "cluster": register.cluster_a.pk}).content.decode()
    assert "Member Rep Org" in body and "Beta Member" not in body
    assert manager.get(url, {"q": "member"}).status_code == 403
    assert manager.get(url, {"q": "member", "cluster": register.cluster_b.pk}).status_code == 403
    assert client_for("regional").get(url, {"q": "member"}).status_code == 403
    assert client_for("outsider").get(url, {"q": "member"}).status_code == 403


@pytest.mark.parametrize("raw", ["²", "٣", "99999999999999999999"])
def test_the_picker_answers_404_to_a_cluster_number_no_column_holds(client_for, raw):
    response = client_for("national").get(reverse("organisation_search"), {"q": "member", "cluster": raw})
    assert response.status_code == 404


def test_an_invitation_naming_a_cluster_in_other_digits_is_refused_not_a_500(client_for):
    response = _invite(client_for("regional"), email="x@example.org", role="manager", cluster="²")
    assert response.status_code in (200, 403)


def test_the_picker_works_without_javascript(client_for, register):
    client = client_for("national")
    response = _invite(client, email="rep@example.org", role="member", organisation_q="Beta")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'value="{register.org_b.pk}"' in body and "Beta Member" in body
    response = _invite(client, email="rep@example.org", role="member", organisation=register.org_b.pk)
    assert response.status_code == 302


def test_the_workspace_invite_form_uses_the_picker_not_a_long_select(client_for, register):
    body = client_for("manager").get(reverse("workspace_invite", args=[register.cluster_a.slug])).content.decode()
    assert 'name="organisation_q"' in body and "<select name=\"organisation\"" not in body
    assert reverse("organisation_search") in body


def test_a_programme_officer_s_representative_counts_at_once(client_for, users, register):
    """An organisation that already has a representative: the officer's invitation is the consent."""
    response = _invite(client_for("national"), email="second@example.org", role="member",
                       organisation=register.org_member.pk, cluster=register.cluster_a.pk)
    assert response.status_code == 302
    grant = Grant.objects.get(user__email="second@example.org")
    assert grant.status == Grant.Status.ACTIVE and grant.decided_by == users["national"]
    assert grant.role == Role.MEMBER and grant.cluster == register.cluster_a
