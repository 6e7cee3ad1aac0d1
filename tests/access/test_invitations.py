"""Invitation of a person to a cluster by its manager."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import translation

from poles.access.invitations import InvitationError, invite
from poles.access.models import Grant
from poles.access.roles import Role
from poles.core.models import AuditEntry


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_manager_invites_member_representative(users, register, client, fast_hashes, settings):
    settings.SITE_URL = "http://testserver"
    result = invite(users["manager"], register.cluster_a, "New.Person@Example.org", Role.MEMBER,
                    organisation=register.org_a)
    assert result.created_user and not result.user.is_active
    assert Grant.objects.filter(user=result.user, role="member", organisation=register.org_a).exists()
    assert len(mail.outbox) == 1 and "new.person@example.org" in mail.outbox[0].to
    entry = AuditEntry.objects.get(model="access.Grant")
    assert entry.cluster_id == register.cluster_a.pk and entry.user == users["manager"]

    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    page = client.get(link, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    done = client.post(form_url, {"new_password1": "A-long-pass-phrase-9", "new_password2": "A-long-pass-phrase-9"})
    assert done.status_code == 302
    invited = get_user_model().objects.get(email="new.person@example.org")
    assert invited.is_active and invited.check_password("A-long-pass-phrase-9")


def test_manager_cannot_invite_to_another_cluster(users, register):
    with pytest.raises(PermissionDenied):
        invite(users["manager"], register.cluster_b, "x@example.org", Role.MANAGER)
    assert not Grant.objects.filter(user__email="x@example.org").exists()


@pytest.mark.parametrize("role", ["member", "national", "regional", "outsider"])
def test_non_managers_cannot_invite(users, register, role):
    with pytest.raises(PermissionDenied):
        invite(users[role], register.cluster_a, "y@example.org", Role.MANAGER)


def test_invitation_rejects_bad_email_role_and_organisation(users, register):
    with pytest.raises(InvitationError, match="not an e-mail"):
        invite(users["manager"], register.cluster_a, "not-an-email", Role.MANAGER)
    with pytest.raises(InvitationError, match="cannot be given"):
        invite(users["manager"], register.cluster_a, "z@example.org", Role.NATIONAL)
    with pytest.raises(InvitationError, match="not a member"):
        invite(users["manager"], register.cluster_a, "z@example.org", Role.MEMBER,
               organisation=register.org_b)


def test_existing_user_gets_grant_without_new_account(users, register):
    result = invite(users["manager"], register.cluster_a, "outsider@example.org", Role.MANAGER)
    assert not result.created_user and result.user == users["outsider"]
    with pytest.raises(InvitationError, match="already"):
        invite(users["manager"], register.cluster_a, "outsider@example.org", Role.MANAGER)


def test_password_reset_sends_link_under_accounts(users, client, fast_hashes):
    users["manager"].set_password("Old-password-123")
    users["manager"].save()
    response = client.post("/accounts/password-reset/", {"email": "manager@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
