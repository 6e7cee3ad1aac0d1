"""Invitation of a person to a cluster by its manager: an inactive account, a grant, an e-mail."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from poles.access.models import Grant
from poles.access.permissions import check
from poles.access.roles import Role, forget_scope
from poles.core import audit
from poles.registry.models import Cluster, Membership, Organisation

INVITABLE_ROLES = (Role.MANAGER, Role.MEMBER)


class InvitationError(ValueError):
    """An invitation that cannot be made as asked (the message says why)."""


@dataclass(frozen=True)
class Invitation:
    """The outcome: the account (new or existing), its grant and the link sent."""

    user: object
    grant: Grant
    created_user: bool
    link: str


def accept_link(user) -> str:
    """The one-time link to set a password and activate the account, under SITE_URL.

    Never under the request's Host header: a forged Host would send the token to another site.
    """
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:invitation-accept", kwargs={"uidb64": uid, "token": token})
    return settings.SITE_URL.rstrip("/") + path


def invite(
    manager,
    cluster: Cluster,
    email: str,
    role: str = Role.MEMBER,
    *,
    organisation: Organisation | None = None,
    channel: str = "page",
) -> Invitation:
    """Invite `email` to `cluster` with `role`; members are invited for one member organisation."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise InvitationError(_("“%(email)s” is not an e-mail address.") % {"email": email}) from error
    if role not in INVITABLE_ROLES:
        raise InvitationError(
            _("Role “%(role)s” cannot be given by invitation; expected manager or member.") % {"role": role}
        )
    check(manager, "create", Grant, cluster=cluster, role=role)
    if role == Role.MEMBER:
        if organisation is None:
            raise InvitationError(_("A member representative is invited for an organisation."))
        if not Membership.objects.filter(cluster=cluster, organisation=organisation).exists():
            raise InvitationError(
                _("%(organisation)s is not a member of %(cluster)s.")
                % {"organisation": organisation, "cluster": cluster}
            )
    else:
        organisation = None
    model = get_user_model()
    with transaction.atomic():
        user = model.objects.filter(email__iexact=email).first()
        created_user = user is None
        if created_user:
            user = model(username=email, email=email, is_active=False)
            user.set_unusable_password()
            user.save()
        grant, created_grant = Grant.objects.get_or_create(
            user=user, role=role, cluster=cluster, region=None, organisation=organisation,
            defaults={"created_by": manager},
        )
        if not created_grant:
            raise InvitationError(_("%(email)s already holds this role.") % {"email": email})
        audit.record(
            manager, "create", grant,
            {"user": [None, email], "role": [None, role], "cluster": [None, cluster.pk],
             "organisation": [None, organisation.pk if organisation else None]},
            channel, cluster_id=cluster.pk,
        )
    forget_scope(user)
    link = accept_link(user) if not user.has_usable_password() or not user.is_active else ""
    _send(user, cluster, role, link)
    return Invitation(user=user, grant=grant, created_user=created_user, link=link)


def _send(user, cluster: Cluster, role: str, link: str) -> None:
    role_label = Role(role).label
    lines = [
        _("You have been invited to %(cluster)s on poles as %(role)s.") % {"cluster": cluster, "role": role_label},
        "",
    ]
    if link:
        lines += [_("Choose your password to activate your account:"), link, ""]
    else:
        lines += [_("Log in with your usual account to find it."), ""]
    send_mail(
        subject=_("Invitation to %(cluster)s") % {"cluster": cluster},
        message="\n".join(lines),
        from_email=None,
        recipient_list=[user.email],
    )
