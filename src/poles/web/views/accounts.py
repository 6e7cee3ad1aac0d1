"""Log in (by e-mail, with the accounts' rate limit) and log out, styled by the web app."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import reverse

from poles.access.forms import LoginForm
from poles.web.navigation import home_for


class LoginView(auth_views.LoginView):
    """Django's login with the rate-limited form; lands on the home page of the user's role.

    A `next` is followed (when it is safe, as Django checks), except one pointing at the public
    home page: the header's login link carries the page one was on, and from the home page that
    means no particular wish.
    """

    form_class = LoginForm
    template_name = "web/accounts/login.html"
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        wanted = self.get_redirect_url()
        if wanted and wanted != reverse("home"):
            return wanted
        return home_for(self.request.user)


class LogoutView(auth_views.LogoutView):
    """Log out (POST only) and say so."""

    template_name = "web/accounts/logged_out.html"
