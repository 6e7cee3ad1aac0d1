"""Invitation of a person to a cluster by its manager."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import translation

from poles.access.invitations import InvitationError, awaiting_for, decide, invite
from poles.access.models import Grant
from poles.access.roles import Role, scope_of
from poles.core.models import AuditEntry
from poles.registry.models import Membership


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def fast_hashes(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_manager_invites_member_representative(users, register, client, fast_hashes):
    result = invite(users["manager"], register.cluster_a, "New.Person@Example.org", Role.MEMBER,
                    organisation=register.org_a)
    assert result.grant.status == Grant.Status.ACTIVE
    assert result.created_user and not result.user.is_active
    assert Grant.objects.filter(user=result.user, role="member", organisation=register.org_a).exists()
    assert len(mail.outbox) == 1 and "new.person@example.org" in mail.outbox[0].to
    entry = AuditEntry.objects.get(model="access.Grant")
    assert entry.cluster_id == register.cluster_a.pk and entry.user == users["manager"]

    link = re.search(re.escape(settings.SITE_URL) + r"(\S+)", mail.outbox[0].body).group(1)
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


@pytest.mark.parametrize("role", ["member", "regional", "reviewer", "outsider"])
def test_non_managers_cannot_invite(users, register, role):
    with pytest.raises(PermissionDenied):
        invite(users[role], register.cluster_a, "y@example.org", Role.MANAGER)


def test_invitation_rejects_bad_email_role_and_organisation(users, register):
    with pytest.raises(InvitationError, match="not an e-mail"):
        invite(users["manager"], register.cluster_a, "not-an-email", Role.MANAGER)
    with pytest.raises(InvitationError, match="Unknown role"):
        invite(users["admin"], register.cluster_a, "z@example.org", "emperor")
    with pytest.raises(PermissionDenied):  # a manager gives no programme role
        invite(users["manager"], register.cluster_a, "z@example.org", Role.NATIONAL)
    with pytest.raises(InvitationError, match="not a member"):
        invite(users["manager"], register.cluster_a, "z@example.org", Role.MEMBER,
               organisation=register.org_b)


def test_existing_user_gets_grant_without_new_account(users, register):
    result = invite(users["manager"], register.cluster_a, "outsider@example.org", Role.MANAGER)
    assert not result.created_user and result.user == users["outsider"]
    with pytest.raises(InvitationError, match="already"):
        invite(users["manager"], register.cluster_a, "outsider@example.org", Role.MANAGER)


def test_password_reset_sends_link_under_accounts(users, client, fast_hashes, run_worker):
    users["manager"].set_password("Old-password-123")
    users["manager"].save()
    response = client.post("/accounts/password-reset/", {"email": "manager@example.org"})
    assert response.status_code == 302
    assert not mail.outbox
    run_worker()
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_first_representative_named_by_the_supplying_cluster_needs_no_consent(users, register):
    result = invite(users["manager"], register.cluster_a, "rep@example.org", Role.MEMBER, organisation=register.org_a)
    assert result.grant.status == Grant.Status.ACTIVE and not result.awaiting_consent


def test_representative_of_an_organisation_with_one_waits_for_its_consent(
        users, register, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = invite(users["manager"], register.cluster_a, "second@example.org", Role.MEMBER,
                        organisation=register.org_member)
    assert result.awaiting_consent
    assert mail.outbox and users["member"].email in mail.outbox[0].to
    assert "second@example.org" not in [address for m in mail.outbox for address in m.to]
    assert list(awaiting_for(users["member"])) == [result.grant]
    assert not awaiting_for(users["manager"]).exists()
    with pytest.raises(PermissionDenied):
        decide(users["manager"], result.grant, approve=True)
    decide(users["member"], result.grant, approve=True)
    result.grant.refresh_from_db()
    assert result.grant.status == Grant.Status.ACTIVE and result.grant.decided_by == users["member"]
    assert "second@example.org" in mail.outbox[-1].to


def test_representative_of_another_clusters_organisation_waits_for_a_programme_officer(users, register):
    Membership.objects.create(organisation=register.org_b, cluster=register.cluster_a, year=2025)
    result = invite(users["manager"], register.cluster_a, "manager@example.org", Role.MEMBER,
                    organisation=register.org_b)
    assert result.awaiting_consent
    assert scope_of(users["manager"]).organisation_ids == frozenset()
    decide(users["national"], result.grant, approve=False)
    result.grant.refresh_from_db()
    assert result.grant.status == Grant.Status.REFUSED
    assert scope_of(get_user_model().objects.get(pk=users["manager"].pk)).organisation_ids == frozenset()


def test_invitation_does_not_enable_an_account_an_administrator_disabled(users, register, client, fast_hashes):
    first = invite(users["manager"], register.cluster_a, "later.disabled@example.org", Role.MANAGER)
    link = re.search(re.escape(settings.SITE_URL) + r"(\S+)", mail.outbox[0].body).group(1)
    first.user.set_password("A-long-pass-phrase-9")
    first.user.is_active = False
    first.user.save()
    with pytest.raises(InvitationError, match="disabled"):
        invite(users["manager"], register.cluster_a, "later.disabled@example.org", Role.MEMBER,
               organisation=register.org_a)
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    client.post(form_url, {"new_password1": "Another-pass-phrase-7", "new_password2": "Another-pass-phrase-7"})
    first.user.refresh_from_db()
    assert not first.user.is_active


def test_inviting_an_email_that_is_another_accounts_username_reuses_that_account(users, register):
    taken = get_user_model().objects.create(username="shared@example.org", email="other@example.org")
    result = invite(users["manager"], register.cluster_a, "Shared@Example.org", Role.MANAGER)
    assert result.user == taken and not result.created_user
