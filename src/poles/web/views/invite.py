"""Invite a person to the cluster (manager or member representative) by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from poles.access.invitations import Invitation, InvitationError, invite
from poles.access.models import Grant
from poles.access.permissions import check, visible
from poles.web.access import workspace_cluster
from poles.web.forms import InviteForm
from poles.web.views.workspace import workspace_context


def announce_invitation(request: HttpRequest, invitation: Invitation) -> None:
    """Tell the inviter what the invitation did: waits for consent, link sent, or role given at once."""
    email = invitation.user.email
    if invitation.awaiting_consent:
        messages.info(request, _(
            "The invitation of %(email)s waits for consent: the organisation's representative or a "
            "programme officer must agree before it counts."
        ) % {"email": email})
    elif invitation.link:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": email})
    else:
        messages.success(request, _("%(email)s now holds this role; they were told by e-mail.") % {"email": email})


@login_required
def workspace_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """The invitation form, and the people who hold a role in the cluster."""
    cluster = workspace_cluster(request, slug)
    check(request.user, "create", Grant, cluster=cluster, role="member")
    form = InviteForm(request.POST or None, cluster=cluster)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invite(
                request.user, cluster, data["email"], data["role"],
                organisation=data.get("organisation"),
            )
        except InvitationError as error:
            form.add_error(None, str(error))
        else:
            announce_invitation(request, invitation)
            return redirect("workspace_invite", slug=cluster.slug)
    grants = visible(request.user, Grant).filter(cluster=cluster).select_related("user", "organisation")
    return render(request, "web/workspace/invite.html", workspace_context(
        request, cluster, form=form, grants=grants.order_by("role", "user__email"),
    ))
