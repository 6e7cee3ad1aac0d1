"""Invitations to a cluster by its manager, and consent to representing an existing organisation.

A manager invites a person as manager of their cluster, or as representative of one of its member
organisations: the grant (and an inactive account for a new address) is created, and the person
gets a one-time link. A representative reads the organisation's own data and, through the inviting
cluster, that cluster's members-only data. So a representative grant on an organisation that
already has a representative, that another cluster supplied, that is a member elsewhere, or that
no cluster supplied waits for the consent of a current representative or a programme officer
(national officer or administrator) before it counts: no manager can make themselves, or anyone,
the representative of another cluster's member.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from poles.access.models import Grant
from poles.access.permissions import check
from poles.access.roles import Role, Scope, forget_scope, scope_of
from poles.core import audit
from poles.core.i18n import SEPARATOR, in_every_language
from poles.registry.models import Cluster, Membership, Organisation
from poles.territories.models import Region

INVITABLE_ROLES = tuple(Role.values)
CURRENT = (Membership.Status.MEMBER, Membership.Status.PENDING)


class InvitationError(ValueError):
    """An invitation that cannot be made as asked (the message says why)."""


@dataclass(frozen=True)
class Invitation:
    """The outcome: the account (new or existing), its grant, and the link sent (if any yet)."""

    user: object
    grant: Grant
    created_user: bool
    link: str

    @property
    def awaiting_consent(self) -> bool:
        return self.grant.status == Grant.Status.AWAITING


def accept_link(user) -> str:
    """The one-time link to set a password and activate the account, under SITE_URL.

    Never under the request's Host header: a forged Host would send the token to another site.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:invitation-accept", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def represented(organisation_ids: Iterable[int]) -> set[int]:
    """The organisations among these that have an active representative."""
    return set(Grant.objects.filter(
        organisation_id__in=sorted(set(organisation_ids)), role=Role.MEMBER, status=Grant.Status.ACTIVE,
    ).values_list("organisation_id", flat=True))


def consent_needed(organisation: Organisation, cluster: Cluster) -> str:
    """Why representing `organisation` through `cluster` needs consent ('' when it does not).

    Only a cluster that supplied the organisation, which has no representative yet and no current
    membership elsewhere, names its first representative without anyone's consent.
    """
    if represented([organisation.pk]):
        return gettext_lazy("the organisation already has a representative, who must consent")
    if organisation.supplied_by_id != cluster.pk:
        return gettext_lazy("the organisation was not supplied by this cluster: a programme officer must consent")
    if Membership.objects.filter(organisation=organisation, status__in=CURRENT).exclude(cluster=cluster).exists():
        return gettext_lazy("the organisation is a member of other clusters: a programme officer must consent")
    return ""


def _account(email: str):
    """The existing account for `email` (by e-mail or username), or None; refuses a disabled one."""
    model = get_user_model()
    matches = list(model.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).order_by("pk")[:2])
    if len({m.pk for m in matches}) > 1:
        raise InvitationError(
            _("Two accounts answer to %(email)s (one by e-mail, one by username); ask an administrator.")
            % {"email": email}
        )
    user = matches[0] if matches else None
    if user is not None and not user.is_active and user.has_usable_password():
        raise InvitationError(
            _("The account of %(email)s has been disabled; only an administrator can enable it again.")
            % {"email": email}
        )
    return user


def _bound(role: str, cluster: Cluster | None, organisation: Organisation | None,
           region: Region | None) -> tuple[Cluster | None, Organisation | None, Region | None]:
    """What a grant of `role` is bound to, the rest dropped; refuses a grant missing its target."""
    if role == Role.MANAGER:
        if cluster is None:
            raise InvitationError(_("A cluster manager is invited for a cluster."))
        return cluster, None, None
    if role == Role.MEMBER:
        if organisation is None:
            raise InvitationError(_("A member representative is invited for an organisation."))
        if cluster is not None and not Membership.objects.filter(cluster=cluster, organisation=organisation).exists():
            raise InvitationError(
                _("%(organisation)s is not a member of %(cluster)s.")
                % {"organisation": organisation, "cluster": cluster}
            )
        return cluster, organisation, None
    if role == Role.REGIONAL:
        if region is None:
            raise InvitationError(_("A regional officer is invited for a region."))
        return None, None, region
    return None, None, None


def invite(
    manager,
    cluster: Cluster | None,
    email: str,
    role: str = Role.MEMBER,
    *,
    organisation: Organisation | None = None,
    region: Region | None = None,
    channel: str = "page",
) -> Invitation:
    """Invite `email` with `role`: managers to a cluster, representatives for an organisation (and
    the cluster that gives the grant), regional officers for a region, the other roles alone.

    The inviter must be allowed to give that role there (`permissions.may_grant`): nobody gives
    more than they hold. A representative invited by a programme officer counts at once (they are
    the ones who consent); one invited by a cluster may wait for consent.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvitationError(_("“%(email)s” is not an e-mail address.") % {"email": email}) from error
    if role not in INVITABLE_ROLES:
        raise InvitationError(_("Unknown role “%(role)s”.") % {"role": role})
    check(manager, "create", Grant, cluster=cluster, role=role, region=region.pk if region else None)
    cluster, organisation, region = _bound(role, cluster, organisation, region)
    programme_officer = scope_of(manager).sees_all
    waiting_reason = ""
    if role == Role.MEMBER and not programme_officer:
        if cluster is None:
            raise InvitationError(_("A member representative is invited through one of the organisation's clusters."))
        with override("en"):
            waiting_reason = str(consent_needed(organisation, cluster))
    model = get_user_model()
    status = Grant.Status.AWAITING if waiting_reason else Grant.Status.ACTIVE
    with transaction.atomic():
        user = _account(email)
        created_user = user is None
        if created_user:
            user = model(username=email, email=email, is_active=False)
            user.set_unusable_password()
            user.save()
        grant = Grant.objects.filter(user=user, role=role, cluster=cluster, region=region,
                                     organisation=organisation).first()
        if grant is not None and grant.status == Grant.Status.ACTIVE:
            raise InvitationError(_("%(email)s already holds this role.") % {"email": email})
        if grant is not None and grant.status == Grant.Status.AWAITING:
            raise InvitationError(_("%(email)s is already waiting for consent to this role.") % {"email": email})
        if grant is None:
            grant = Grant(user=user, role=role, cluster=cluster, organisation=organisation, region=region)
        grant.status, grant.created_by = status, manager
        grant.decided_by, grant.decided_at = (
            (manager, timezone.now()) if role == Role.MEMBER and programme_officer else (None, None))
        grant.save()
        audit.record(
            manager, "create", grant,
            {"user": [None, email], "role": [None, role], "cluster": [None, cluster.pk if cluster else None],
             "organisation": [None, organisation.pk if organisation else None],
             "region": [None, region.pk if region else None],
             "status": [None, status]},
            channel, cluster_id=cluster.pk if cluster else None,
        )
    forget_scope(user)
    link = ""
    if status == Grant.Status.ACTIVE:
        link = _notify_invitee(user, grant)
    else:
        transaction.on_commit(lambda: _ask_consent(grant, waiting_reason))
    return Invitation(user=user, grant=grant, created_user=created_user, link=link)


# --- consent ------------------------------------------------------------------------------------

def may_consent(scope: Scope, grant: Grant) -> bool:
    """Programme officers (national, admin) and the organisation's current representatives."""
    if grant.status != Grant.Status.AWAITING:
        return False
    return scope.is_admin or scope.is_national or grant.organisation_id in scope.organisation_ids


def awaiting_for(user) -> QuerySet[Grant]:
    """The grants waiting for a consent that `user` may give."""
    scope = scope_of(user)
    waiting = Grant.objects.filter(status=Grant.Status.AWAITING).select_related(
        "user", "cluster", "organisation", "created_by")
    if scope.is_admin or scope.is_national:
        return waiting
    if not scope.organisation_ids:
        return waiting.none()
    return waiting.filter(organisation_id__in=sorted(scope.organisation_ids))


def decide(user, grant: Grant, *, approve: bool, channel: str = "page") -> Grant:
    """Consent to (or refuse) a grant waiting for consent; the invitee is told either way."""
    if not may_consent(scope_of(user), grant):
        raise PermissionDenied(_("Only the organisation's representatives or a programme officer may decide."))
    with transaction.atomic():
        grant.status = Grant.Status.ACTIVE if approve else Grant.Status.REFUSED
        grant.decided_by, grant.decided_at = user, timezone.now()
        grant.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(user, "update", grant, {"status": [Grant.Status.AWAITING, grant.status]}, channel,
                     cluster_id=grant.cluster_id)
    forget_scope(grant.user)
    if approve:
        _notify_invitee(grant.user, grant)
    return grant


# --- e-mails ------------------------------------------------------------------------------------

def grant_target(grant: Grant) -> str:
    """What a grant is bound to, in words ('' for the roles bound to nothing)."""
    parts = [str(x) for x in (grant.cluster, grant.region, grant.organisation) if x is not None]
    return " · ".join(parts)


def invitation_text(user, grant: Grant, link: str) -> str:
    """The invitation e-mail's body in the active language: the role, where, the login, the link."""
    target = grant_target(grant)
    role = Role(grant.role).label
    if target:
        first = _("You have been invited to poles as %(role)s (%(target)s).") % {"role": role, "target": target}
    else:
        first = _("You have been invited to poles as %(role)s.") % {"role": role}
    lines = [first, _("Your login is your e-mail address: %(email)s") % {"email": user.email}, ""]
    if link:
        lines += [_("Choose your password to activate your account:"), link]
    else:
        lines += [_("Log in with your usual account to find it.")]
    return "\n".join(lines)


def _notify_invitee(user, grant: Grant) -> str:
    """E-mail the invitee their role and, for an account not yet activated, the activation link."""
    link = accept_link(user) if not user.has_usable_password() or not user.is_active else ""
    target = grant.cluster or grant.region or grant.organisation
    if target is not None:
        subject = in_every_language(lambda: _("Invitation to %(cluster)s") % {"cluster": target})
    else:
        subject = in_every_language(lambda: _("Invitation to the cluster register"))
    send_mail(
        subject=subject.replace(SEPARATOR, " / "),
        message=in_every_language(lambda: invitation_text(user, grant, link)), from_email=None,
        recipient_list=[user.email],
    )
    return link


def send_again(user) -> str:
    """E-mail a pending account a new link (the old ones stop working) naming each of its roles."""
    user.set_unusable_password()  # a new unusable hash: the links made from the old one fail
    user.save(update_fields=["password"])
    link = accept_link(user)
    grants = list(Grant.objects.filter(user=user, status=Grant.Status.ACTIVE)
                  .select_related("cluster", "region", "organisation").order_by("pk"))

    def body() -> str:
        texts = [invitation_text(user, g, "") .split("\n")[0] for g in grants]
        return "\n".join([*texts, _("Your login is your e-mail address: %(email)s") % {"email": user.email}, "",
                          _("Choose your password to activate your account:"), link])

    send_mail(
        subject=in_every_language(lambda: _("Invitation to the cluster register")).replace(SEPARATOR, " / "),
        message=in_every_language(body), from_email=None, recipient_list=[user.email],
    )
    return link


def _ask_consent(grant: Grant, reason: str) -> None:
    """E-mail the organisation's representatives that a grant waits for their consent."""
    representatives = sorted(set(
        Grant.objects.filter(organisation_id=grant.organisation_id, role=Role.MEMBER,
                             status=Grant.Status.ACTIVE).values_list("user__email", flat=True)
    ))
    if not representatives:
        return
    link = settings.SITE_URL.rstrip("/") + reverse("consents")

    def body() -> str:
        return "\n".join([
            _("%(manager)s, of %(cluster)s, asks that %(email)s represent %(organisation)s.")
            % {"manager": grant.created_by.email if grant.created_by else "?", "cluster": grant.cluster,
               "email": grant.user.email, "organisation": grant.organisation},
            _("This needs your consent: %(reason)s.") % {"reason": _(reason)},
            "",
            _("Consent or refuse here:"),
            link,
        ])

    send_mail(
        subject=in_every_language(
            lambda: _("Consent asked: a new representative of %(organisation)s")
            % {"organisation": grant.organisation}
        ).replace(SEPARATOR, " / "),
        message=in_every_language(body), from_email=None, recipient_list=representatives,
    )
