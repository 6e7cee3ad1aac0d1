"""Invite a person to the cluster (manager or member representative) by e-mail."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from poles.access.invitations import InvitationError, invite
from poles.access.models import Grant
from poles.access.permissions import check, visible
from poles.web.access import workspace_cluster
from poles.web.forms import InviteForm
from poles.web.views.workspace import workspace_context


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
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.user.email})
            return redirect("workspace_invite", slug=cluster.slug)
    grants = visible(request.user, Grant).filter(cluster=cluster).select_related("user", "organisation")
    return render(request, "web/workspace/invite.html", workspace_context(
        request, cluster, form=form, grants=grants.order_by("role", "user__email"),
    ))
