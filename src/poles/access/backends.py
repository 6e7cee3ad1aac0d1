"""Authentication backend that refuses to check passwords while a login is rate-limited."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied

from poles.access import ratelimit


class RateLimitedModelBackend(ModelBackend):
    """Django's backend, with failures counted per username and address (see `ratelimit`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username if username is not None else kwargs.get(self.username_field_name(), "")
        if ratelimit.wait_seconds(request, name or ""):
            raise PermissionDenied("too many failed login attempts")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            ratelimit.record_failure(request, name or "")
        else:
            ratelimit.clear(request, name or "")
        return user

    @staticmethod
    def username_field_name() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
