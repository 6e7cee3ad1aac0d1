"""Who is calling: an API token (Authorization: Bearer …) or the web session (with CSRF)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext
from ninja.errors import AuthenticationError
from ninja.utils import check_csrf

from poles.access.models import ApiToken
from poles.access.roles import scope_of

TOKEN_PREFIX = "pol_"  # noqa: S105 — a public marker of our tokens, not a secret
LAST_USED_EVERY = timedelta(minutes=1)
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def digest(token: str) -> str:
    """The stored form of a token (SHA-256: tokens are long random strings, no salt needed)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    """A fresh random token, recognisable by its prefix."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _from_token(request, raw: str):
    token = (
        ApiToken.objects.select_related("owner").filter(digest=digest(raw.strip())).first()
    )
    if token is None or token.revoked is not None:
        raise AuthenticationError(message=gettext("Unknown or revoked API token."))
    if not token.owner.is_active:
        raise AuthenticationError(message=gettext("The token's owner account is disabled."))
    now = timezone.now()
    if token.last_used is None or now - token.last_used > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
    request.api_token = token
    return token.owner


def refuse_nul(request) -> None:
    """NUL characters cannot be stored or searched (PostgreSQL refuses them): a clear 422 first."""
    from poles.api.problems import Problem

    values = [request.path, *request.GET.values()]
    if request.method not in SAFE_METHODS and request.content_type == "multipart/form-data":
        values += request.POST.values()  # the fields; a file's bytes are the file's (binary documents hold NULs)
        body_nul = False
    else:
        body_nul = request.method not in SAFE_METHODS and (b"\x00" in request.body or b"\\u0000" in request.body)
    if any("\x00" in v for v in values) or body_nul:
        raise Problem(422, gettext("NUL characters are not allowed in parameters or fields."))


def who(request):
    """The calling user (None when anonymous), checked once per request and cached on it."""
    if hasattr(request, "_poles_caller"):
        return request._poles_caller
    refuse_nul(request)
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError(message=gettext("Use 'Authorization: Bearer <token>'."))
        user = _from_token(request, raw)
    else:
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        if user is not None and request.method not in SAFE_METHODS:
            failure = check_csrf(request)
            if failure:
                raise_csrf()
    scope_of(user)
    request._poles_caller = user
    return user


def raise_csrf():
    from poles.api.problems import Problem

    raise Problem(403, gettext("CSRF check failed: send the X-CSRFToken header with session writes."))
