"""Account views: Django's password reset, and accepting an invitation (which activates the account).

Each looks for the web app's template `web/accounts/<name>.html` first and falls back to the
plain `registration/<name>.html` Django ships with its admin.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.http import urlsafe_base64_decode

from poles.access.roles import forget_scope


class AccountTemplates:
    """Pick the web app's account template when it exists."""

    page = ""

    def get_template_names(self):
        return [f"web/accounts/{self.page}.html", f"registration/{self.page}.html"]


class PasswordResetView(AccountTemplates, auth_views.PasswordResetView):
    page = "password_reset_form"
    email_template_name = "access/accounts/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, str]:
        """The e-mail names and links SITE_URL, never the request's Host header (a client sets it).

        Django's form fills `domain` and `site_name` from the request; these keys replace them.
        """
        site = urlsplit(settings.SITE_URL)
        return {"site_url": settings.SITE_URL.rstrip("/"), "domain": site.netloc,
                "site_name": site.netloc, "protocol": site.scheme}


class PasswordResetDoneView(AccountTemplates, auth_views.PasswordResetDoneView):
    page = "password_reset_done"


class PasswordResetConfirmView(AccountTemplates, auth_views.PasswordResetConfirmView):
    page = "password_reset_confirm"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(AccountTemplates, auth_views.PasswordResetCompleteView):
    page = "password_reset_complete"


class InvitationAcceptView(PasswordResetConfirmView):
    """Set a password from the invitation link; this activates an account never used before.

    An account an administrator disabled keeps its password: its old invitation link finds no
    account, so the link cannot enable it again.
    """

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
