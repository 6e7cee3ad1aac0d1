"""Account forms shared by the pages: login with a clear message when rate-limited."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from poles.access import ratelimit
from poles.access.backends import login_name


class LoginForm(AuthenticationForm):
    """Django's login form: the e-mail address is the login; refuses early after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct e-mail address and password (the password is case-sensitive)."),
        "rate_limited": _("Too many failed attempts. Try again in %(minutes)s."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = _("E-mail address")
        field.help_text = _("Your e-mail address is your login.")
        field.widget.attrs.update({"autocomplete": "username", "inputmode": "email"})

    def clean(self):
        username = login_name(self.cleaned_data.get("username") or "")
        wait = ratelimit.wait_seconds(ratelimit.login_subjects(self.request, username))
        if wait:
            minutes = math.ceil(wait / 60)
            raise forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": ngettext("%d minute", "%d minutes", minutes) % minutes},
            )
        return super().clean()
