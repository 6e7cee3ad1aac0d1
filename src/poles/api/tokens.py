"""API tokens of the caller: listed, created (the secret shown once) and revoked by their owner."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status

from poles.access.models import ApiToken
from poles.access.permissions import check, visible
from poles.api.caller import digest, new_token, who
from poles.api.common import get_visible
from poles.api.problems import Problem
from poles.core import audit

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created: dt.datetime
    last_used: dt.datetime | None
    revoked: dt.datetime | None


class TokenCreated(TokenOut):
    token: str = Field(..., description="The secret: shown this once, store it now.")


class TokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)


def row(t: ApiToken) -> dict:
    return {"id": t.pk, "name": t.name, "prefix": t.prefix, "created": t.created,
            "last_used": t.last_used, "revoked": t.revoked}


def _logged_in(request):
    user = who(request)
    if user is None:
        raise Problem(401, gettext("Log in, or send an API token, to manage tokens."))
    return user


@router.get("", response=list[TokenOut], summary="My API tokens")
def list_tokens(request):
    user = _logged_in(request)
    return [row(t) for t in visible(user, ApiToken).order_by("-created")]


@router.post("", response={201: TokenCreated}, summary="Create an API token")
def create_token(request, payload: TokenIn):
    """A new token for integrations; its secret is in the answer and never again."""
    user = _logged_in(request)
    check(user, "create", ApiToken)
    secret = new_token()
    token = ApiToken.objects.create(owner=user, name=payload.name.strip() or "token",
                                    prefix=secret[:10], digest=digest(secret))
    audit.record(user, "create", token, {"name": [None, token.name]}, "api")
    return Status(201, row(token) | {"token": secret})


@router.delete("/{int:token_id}", response=TokenOut, summary="Revoke an API token")
def revoke_token(request, token_id: int):
    user = _logged_in(request)
    token = get_visible(request, ApiToken, token_id)
    check(user, "delete", token)
    if token.revoked is None:
        token.revoked = timezone.now()
        token.save(update_fields=["revoked"])
        audit.record(user, "update", token, {"revoked": [None, token.revoked.isoformat()]}, "api")
    return row(token)
