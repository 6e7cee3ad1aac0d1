"""Account management from the app: the accounts list, inviting anyone with a role, one account's
roles and the actions on it (resend, cancel, revoke, deactivate, reactivate), and the organisation
search behind the picker. Every action goes through the permission layer (`poles.access`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.access import accounts
from poles.access.invitations import InvitationError, invite
from poles.access.models import Grant
from poles.access.permissions import can, check, visible
from poles.access.roles import Role, scope_of
from poles.core.filtering import row_id
from poles.registry.models import Cluster
from poles.web.access import paginate
from poles.web.accountforms import (
    SEARCH_LIMIT,
    AccountFilterForm,
    AccountInviteForm,
    pickable_organisations,
    search_organisations,
)
from poles.web.views.invite import announce_invitation


def _gate(request: HttpRequest) -> None:
    """The accounts pages open to administrators, national officers and regional officers."""
    check(request.user, "create", get_user_model())


def _account(request: HttpRequest, pk: int):
    """An account the user may see (404 otherwise)."""
    user = visible(request.user, get_user_model()).filter(pk=pk).first()
    if user is None:
        raise Http404(_("No account with this number among those you manage."))
    return user


@login_required
def accounts_manage(request: HttpRequest) -> HttpResponse:
    """The accounts the user may manage, with their roles and state, filtered."""
    _gate(request)
    form = AccountFilterForm(request.GET or None)
    people = visible(request.user, get_user_model())
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            q = data["q"]
            people = people.filter(Q(email__icontains=q) | Q(username__icontains=q) | Q(first_name__icontains=q)
                                   | Q(last_name__icontains=q))
        if data["role"] == "none":
            people = people.filter(grants__isnull=True, is_superuser=False)
        elif data["role"] == Role.ADMIN:
            people = people.filter(Q(is_superuser=True) | Q(grants__role=Role.ADMIN)).distinct()
        elif data["role"]:
            people = people.filter(grants__role=data["role"]).distinct()
        people = accounts.with_status(people, data["status"])
    page = paginate(request, accounts.accounts_of(people), per_page=50)
    rows = [(person, accounts.account_status(person)) for person in page.object_list]
    return render(request, "web/people/index.html", {
        "form": form, "page": page, "rows": rows, "status_labels": accounts.STATUS_LABELS,
        "may_invite": bool(AccountInviteForm(scope=scope_of(request.user)).fields["role"].choices),
    })


def _requested_grant_allowed(request: HttpRequest) -> None:
    """Refuse (403) a posted role the user may not give there, before the form says anything."""
    role = request.POST.get("role", "")
    if role not in Role.values:
        return
    cluster = request.POST.get("cluster") or None
    region = request.POST.get("region") or None
    check(request.user, "create", Grant, role=role, region=region,
          cluster=row_id(cluster) if cluster else None)


@login_required
def account_invite(request: HttpRequest) -> HttpResponse:
    """Invite a person (a new or an existing account) with one role, bound where it needs."""
    _gate(request)
    scope = scope_of(request.user)
    if request.method == "POST":
        _requested_grant_allowed(request)
    initial = {"email": request.GET.get("email", "")}
    form = AccountInviteForm(request.POST or None, scope=scope, initial=initial)
    if not form.fields["role"].choices:
        raise PermissionDenied(_("You may not give any role."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invite(request.user, data.get("cluster"), data["email"], data["role"],
                                organisation=data.get("organisation"), region=data.get("region"))
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            announce_invitation(request, invitation)
            return redirect("account_detail", pk=invitation.user.pk)
    return render(request, "web/people/invite.html", {"form": form})


@login_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One account: its state, its roles (each revocable by who may give it), the actions on it."""
    _gate(request)
    person = _account(request, pk)
    grants = list(Grant.objects.filter(user=person).select_related("cluster", "region", "organisation", "created_by")
                  .order_by("role", "pk"))
    rows = [(g, can(request.user, "delete", g)[0] and g.user_id != request.user.pk) for g in grants]
    may_manage, reason = can(request.user, "change", person)
    return render(request, "web/people/detail.html", {
        "person": person, "status": accounts.account_status(person), "status_labels": accounts.STATUS_LABELS,
        "rows": rows, "may_manage": may_manage, "reason": reason,
        "may_invite": bool(AccountInviteForm(scope=scope_of(request.user)).fields["role"].choices),
    })


def _act(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    """Run one action on an account the user sees; the permission layer refuses with 403."""
    _gate(request)
    person = _account(request, pk)
    try:
        action(person)
    except InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done % {"email": person.email})
    return redirect("account_detail", pk=person.pk)


@login_required
@require_POST
def account_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a pending account a new invitation link."""
    return _act(request, pk, lambda p: accounts.resend(request.user, p),
                _("A new invitation was sent to %(email)s; the previous link no longer works."))


@login_required
@require_POST
def account_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel a pending invitation: its roles go, its links stop working."""
    return _act(request, pk, lambda p: accounts.cancel(request.user, p),
                _("The invitation of %(email)s is cancelled."))


@login_required
@require_POST
def account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Deactivate an account: its owner can no longer log in, its tokens stop working."""
    return _act(request, pk, lambda p: accounts.set_active(request.user, p, False),
                _("The account of %(email)s is deactivated."))


@login_required
@require_POST
def account_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Reactivate a deactivated account."""
    return _act(request, pk, lambda p: accounts.set_active(request.user, p, True),
                _("The account of %(email)s is active again."))


@login_required
@require_POST
def grant_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back one role from an account."""
    _gate(request)
    grant = visible(request.user, Grant).filter(pk=pk).select_related("user").first()
    if grant is None:
        raise Http404(_("No such role among those you manage."))
    accounts.revoke(request.user, grant)
    messages.success(request, _("%(email)s no longer holds the role %(role)s.")
                     % {"email": grant.user.email, "role": grant.get_role_display()})
    return redirect("account_detail", pk=grant.user_id)


@login_required
def organisation_search(request: HttpRequest) -> HttpResponse:
    """The organisations (name or SIREN, at most 20) the user may name a representative of."""
    scope = scope_of(request.user)
    field = request.GET.get("field") or "organisation"
    if not field.isidentifier():
        field = "organisation"
    cluster = None
    raw = request.GET.get("cluster") or ""
    if raw:
        cluster = visible(request.user, Cluster).filter(pk=row_id(raw) or -1).first()
        if cluster is None:
            raise Http404(_("No cluster with this number."))
    check(request.user, "create", Grant, role=Role.MEMBER, cluster=cluster.pk if cluster else None)
    allowed = pickable_organisations(scope, cluster)
    query = request.GET.get(f"{field}_q") or request.GET.get("q") or ""
    results = list(search_organisations(allowed, query[:100]))
    return render(request, "web/partials/organisation_results.html", {
        "field_name": field, "results": results, "searched": bool(query.strip()), "limit": SEARCH_LIMIT,
    })
