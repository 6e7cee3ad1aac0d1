"""Authentication backend: the e-mail address is the login, and failures are rate-limited."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext

from poles.access import ratelimit


def login_name(typed: str) -> str:
    """The username of the account a login names: by username, else by e-mail (case-insensitive).

    An address shared by two accounts, or matching none, stays as typed (and finds nothing): a
    login never picks one account among several.
    """
    typed = (typed or "").strip()
    if not typed:
        return typed
    model = get_user_model()
    field = model.USERNAME_FIELD
    if model._default_manager.filter(**{field: typed}).exists():
        return typed
    found = list(
        model._default_manager.filter(Q(email__iexact=typed) | Q(**{f"{field}__iexact": typed}))
        .values_list(field, flat=True)[:2]
    )
    return found[0] if len(found) == 1 else typed


class RateLimitedModelBackend(ModelBackend):
    """Django's backend, reached by e-mail or username, failures counted per account and address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        typed = username if username is not None else kwargs.get(self.username_field_name(), "")
        name = login_name(typed or "")
        subjects = ratelimit.login_subjects(request, name)
        if ratelimit.wait_seconds(subjects):
            raise PermissionDenied(gettext("Too many failed login attempts."))
        user = super().authenticate(request, username=name, password=password)
        if user is None:
            ratelimit.record(subjects)
        else:
            ratelimit.forget(subjects[:1])  # the account's count; the address keeps its own
        return user

    @staticmethod
    def username_field_name() -> str:
        return get_user_model().USERNAME_FIELD
