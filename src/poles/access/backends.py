"""Authentication backend that refuses to check passwords while a login is rate-limited."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from poles.access import ratelimit


class RateLimitedModelBackend(ModelBackend):
    """Django's backend, with failures counted per account and per address (see `ratelimit`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username if username is not None else kwargs.get(self.username_field_name(), "")
        subjects = ratelimit.login_subjects(request, name or "")
        if ratelimit.wait_seconds(subjects):
            raise PermissionDenied(gettext("Too many failed login attempts."))
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            ratelimit.record(subjects)
        else:
            ratelimit.forget(subjects[:1])  # the account's count; the address keeps its own
        return user

    @staticmethod
    def username_field_name() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
