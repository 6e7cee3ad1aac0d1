"""Account forms shared by the pages: login with a clear message when rate-limited."""

from __future__ import annotations

import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from poles.access import ratelimit


class LoginForm(AuthenticationForm):
    """Django's login form, refusing early with the waiting time after too many failures."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _("Too many failed attempts. Try again in %(minutes)s."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        wait = ratelimit.wait_seconds(ratelimit.login_subjects(self.request, username))
        if wait:
            minutes = math.ceil(wait / 60)
            raise forms.ValidationError(
                self.error_messages["rate_limited"],
                code="rate_limited",
                params={"minutes": ngettext("%d minute", "%d minutes", minutes) % minutes},
            )
        return super().clean()
