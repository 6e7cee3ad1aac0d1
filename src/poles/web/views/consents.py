"""Consents asked of me: representative grants waiting for my yes (representatives, programme officers)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.access.invitations import awaiting_for, decide


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    """The grants waiting for the user's consent, each with its cluster, inviter and organisation."""
    waiting = awaiting_for(request.user).order_by("created_at")
    return render(request, "web/consents.html", {"waiting": waiting})


@login_required
@require_POST
def consent_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Consent to (approve) or refuse one grant."""
    grant = awaiting_for(request.user).filter(pk=pk).first()
    if grant is None:
        raise Http404(_("No such grant waits for your consent."))
    approve = request.POST.get("decision") == "approve"
    decide(request.user, grant, approve=approve)
    if approve:
        messages.success(request, _("%(email)s now represents %(organisation)s.")
                         % {"email": grant.user.email, "organisation": grant.organisation})
    else:
        messages.success(request, _("You refused that %(email)s represent %(organisation)s.")
                         % {"email": grant.user.email, "organisation": grant.organisation})
    return redirect("consents")
