"""Account views: Django's password reset, and accepting an invitation (which activates the account).

Each looks for the web app's template `web/accounts/<name>.html` first and falls back to the
plain `registration/<name>.html` Django ships with its admin.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from poles.access import ratelimit
from poles.access.passwordreset import send_password_reset
from poles.access.roles import forget_scope


class AccountTemplates:
    """Pick the web app's account template when it exists."""

    page = ""

    def get_template_names(self):
        return [f"web/accounts/{self.page}.html", f"registration/{self.page}.html"]


class PasswordResetView(AccountTemplates, auth_views.PasswordResetView):
    """Ask for a reset link: limited per e-mail and per address, the same work for any address.

    The request only counts and enqueues (`passwordreset.send_password_reset`); the look-up and
    the e-mail happen in the task, so the answer and its timing tell nothing about the address.
    """

    page = "password_reset_form"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        subjects = ratelimit.reset_subjects(self.request, email)
        if ratelimit.wait_seconds(subjects) or not ratelimit.record(subjects):
            minutes = max(1, math.ceil(ratelimit.wait_seconds(subjects) / 60))
            form.add_error(None, ValidationError(
                _("Too many password-reset requests. Try again in %(minutes)s."), code="rate_limited",
                params={"minutes": ngettext("%d minute", "%d minutes", minutes) % minutes},
            ))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        send_password_reset.enqueue(email=email, language=get_language() or settings.LANGUAGE_CODE)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(AccountTemplates, auth_views.PasswordResetDoneView):
    page = "password_reset_done"


class PasswordResetConfirmView(AccountTemplates, auth_views.PasswordResetConfirmView):
    page = "password_reset_confirm"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(AccountTemplates, auth_views.PasswordResetCompleteView):
    page = "password_reset_complete"


class InvitationAcceptView(PasswordResetConfirmView):
    """Set a password from the invitation link; this activates an account never used before and
    logs its owner in, straight to their role's home page.

    An account an administrator disabled keeps its password: its old invitation link finds no
    account, so the link cannot enable it again.
    """

    post_reset_login = True
    success_url = reverse_lazy("landing")

    def get_user(self, uidb64):
        model = get_user_model()
        try:
            user = model._default_manager.get(pk=urlsafe_base64_decode(uidb64).decode())
        except (TypeError, ValueError, OverflowError, model.DoesNotExist):
            return None
        if not user.is_active and user.has_usable_password():
            return None
        return user

    def form_valid(self, form):
        form.user.is_active = True
        response = super().form_valid(form)
        forget_scope(form.user)
        return response
