"""My API tokens: create one (shown once), list them, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from poles.access.models import ApiToken
from poles.access.permissions import check, visible
from poles.api.caller import digest, new_token
from poles.core import audit
from poles.web.forms import TokenForm


@login_required
def my_tokens(request: HttpRequest) -> HttpResponse:
    """The user's tokens, and the form creating one; a new token is shown once only."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        check(request.user, "create", ApiToken)
        raw = new_token()
        token = ApiToken.objects.create(
            owner=request.user, name=form.cleaned_data["name"], prefix=raw[:12], digest=digest(raw)
        )
        audit.record(request.user, "create", token, {"name": [None, token.name]}, "page")
        created = raw
        form = TokenForm()
    tokens = visible(request.user, ApiToken).order_by("-created")
    return render(request, "web/tokens.html", {"form": form, "tokens": tokens, "created": created})


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    """Revoke one of the user's tokens (it stops working at once)."""
    token = visible(request.user, ApiToken).filter(pk=pk, revoked__isnull=True).first()
    if token is None:
        raise Http404(_("No such active token."))
    check(request.user, "change", token)
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    audit.record(request.user, "update", token, {"revoked": [None, token.revoked.isoformat()]}, "page")
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("my_tokens")
