"""Log in (with the accounts' rate limit) and log out, styled by the web app."""

from __future__ import annotations

from django.contrib.auth import views as auth_views

from poles.access.forms import LoginForm


class LoginView(auth_views.LoginView):
    """Django's login with the rate-limited form: too many failures give a clear waiting time."""

    form_class = LoginForm
    template_name = "web/accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out (POST only) and say so."""

    template_name = "web/accounts/logged_out.html"
