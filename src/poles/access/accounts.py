"""Managing accounts from the app: resend and cancel invitations, revoke grants, (de)activate accounts.

Each action asks the permission layer first (`permissions.may_manage_account`, `may_grant`): nobody
acts on an account holding a role they may not give, so these writes never reach past the actor's
own scope. Each writes an audit entry. An account is *pending* while it has never chosen a
password (inactive, unusable password), *active*, or *deactivated* (inactive with a password: an
administrator or officer disabled it; its invitation links no longer enable it).
"""

from __future__ import annotations

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from poles.access.invitations import InvitationError, send_again
from poles.access.models import Grant
from poles.access.permissions import check
from poles.access.roles import forget_scope
from poles.core import audit

PENDING, ACTIVE, DEACTIVATED = "pending", "active", "deactivated"
STATUS_LABELS = {
    PENDING: gettext_lazy("invitation pending"),
    ACTIVE: gettext_lazy("active"),
    DEACTIVATED: gettext_lazy("deactivated"),
}


def account_status(user) -> str:
    """pending (never activated), active, or deactivated (disabled after it had a password)."""
    if user.is_active:
        return ACTIVE
    return DEACTIVATED if user.has_usable_password() else PENDING


def pending_q() -> Q:
    """Accounts waiting for their first password (Django marks unusable passwords with '!')."""
    return Q(is_active=False, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def with_status(qs: QuerySet, status: str) -> QuerySet:
    """Accounts of one status, as a database condition."""
    if status == ACTIVE:
        return qs.filter(is_active=True)
    if status == PENDING:
        return qs.filter(pending_q())
    if status == DEACTIVATED:
        return qs.filter(is_active=False).exclude(pending_q())
    return qs


def resend(actor, user, *, channel: str = "page") -> str:
    """Send a pending account a new invitation link (older links stop working); returns the link."""
    check(actor, "change", user)
    if account_status(user) != PENDING:
        raise InvitationError(_("%(email)s has already activated the account: nothing to resend.")
                              % {"email": user.email})
    if not Grant.objects.filter(user=user, status=Grant.Status.ACTIVE).exists():
        raise InvitationError(_("%(email)s holds no role: invite them again instead.") % {"email": user.email})
    with transaction.atomic():
        link = send_again(user)
        audit.record(actor, "update", user, {"invitation": ["sent", "sent again"]}, channel)
    return link


def cancel(actor, user, *, channel: str = "page") -> int:
    """Cancel a pending invitation: its grants go and its links stop working; returns grants removed."""
    check(actor, "change", user)
    if account_status(user) != PENDING:
        raise InvitationError(_("%(email)s has already activated the account: revoke its roles or "
                                "deactivate it instead.") % {"email": user.email})
    with transaction.atomic():
        grants = list(Grant.objects.filter(user=user).exclude(status=Grant.Status.REFUSED))
        for grant in grants:
            _delete_grant(actor, grant, channel)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        audit.record(actor, "update", user, {"invitation": ["sent", "cancelled"]}, channel)
    forget_scope(user)
    return len(grants)


def revoke(actor, grant: Grant, *, channel: str = "page") -> None:
    """Take back one grant: whoever may give that role there may take it back, never their own."""
    if grant.user_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("You cannot revoke your own role; ask another officer."))
    check(actor, "delete", grant)
    with transaction.atomic():
        _delete_grant(actor, grant, channel)
    forget_scope(grant.user)


def _delete_grant(actor, grant: Grant, channel: str) -> None:
    check(actor, "delete", grant)
    audit.record(
        actor, "delete", grant,
        {"user": [grant.user.email, None], "role": [grant.role, None],
         "cluster": [grant.cluster_id, None], "region": [grant.region_id, None],
         "organisation": [grant.organisation_id, None], "status": [grant.status, None]},
        channel, cluster_id=grant.cluster_id,
    )
    grant.delete()


def set_active(actor, user, active: bool, *, channel: str = "page") -> None:
    """Deactivate an activated account (its sessions and tokens stop working) or reactivate it."""
    check(actor, "change", user)
    status = account_status(user)
    if status == PENDING:
        raise InvitationError(_("%(email)s has not activated the account yet: cancel the invitation instead.")
                              % {"email": user.email})
    if user.is_active == active:
        return
    with transaction.atomic():
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit.record(actor, "update", user, {"is_active": [not active, active]}, channel)
    forget_scope(user)


def accounts_of(users: QuerySet) -> QuerySet:
    """Accounts with their grants loaded, newest first."""
    return users.prefetch_related("grants__cluster", "grants__region", "grants__organisation").order_by(
        "-date_joined", "-pk")
