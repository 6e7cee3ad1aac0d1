"""Errors as application/problem+json (RFC 9457), with a `detail` a person can act on."""

from __future__ import annotations

import json
import logging
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from poles.core.busy import RETRY_AFTER, is_busy

logger = logging.getLogger("poles.api")
CONTENT_TYPE = "application/problem+json"


class Problem(Exception):
    """An API error: raise it anywhere in an endpoint to answer with a problem document."""

    def __init__(self, status: int, detail: str, **extra) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


class ProblemOut(Schema):
    """The problem document (RFC 9457); `errors` lists validation errors by location."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict] | None = None


def problem(request: HttpRequest | None, status: int, detail: str, **extra) -> HttpResponse:
    """A problem+json response."""
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path if request is not None else None,
        **extra,
    }
    return HttpResponse(json.dumps(body, default=str), status=status, content_type=CONTENT_TYPE)


def busy_problem(request: HttpRequest) -> HttpResponse:
    """503 + Retry-After: another write (e.g. a large import) holds the database; nothing changed."""
    response = problem(request, 503, _(
        "The register is busy with another write (such as a large import); nothing was changed. "
        "Try again in %(seconds)s seconds.") % {"seconds": RETRY_AFTER})
    response["Retry-After"] = str(RETRY_AFTER)
    return response


def _location(error: dict) -> str:
    return ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload"))


def validation_detail(errors: list[dict]) -> str:
    """One sentence naming each invalid parameter and why."""
    parts = [f"{_location(e) or 'request'}: {e.get('msg', 'invalid')}" for e in errors]
    return "Invalid input — " + "; ".join(parts)


def _clean_errors(errors: list[dict]) -> list[dict]:
    return [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
        for e in errors
    ]


def install(api) -> None:
    """Route every exception an endpoint may raise to a problem document."""

    @api.exception_handler(Problem)
    def _problem(request, exc: Problem):
        return problem(request, exc.status, exc.detail, **exc.extra)

    @api.exception_handler(ValidationError)
    def _validation(request, exc: ValidationError):
        return problem(request, 422, validation_detail(exc.errors), errors=_clean_errors(exc.errors))

    @api.exception_handler(DjangoValidationError)
    def _model_validation(request, exc: DjangoValidationError):
        if hasattr(exc, "message_dict"):
            errors = [{"loc": [k], "msg": " ".join(v), "type": "invalid"} for k, v in exc.message_dict.items()]
        else:
            errors = [{"loc": [], "msg": " ".join(exc.messages), "type": "invalid"}]
        return problem(request, 422, validation_detail(errors), errors=errors)

    @api.exception_handler(Http404)
    def _not_found(request, exc: Http404):
        return problem(request, 404, str(exc) or "Not found, or not visible to you.")

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc: PermissionDenied):
        return problem(request, 403, str(exc) or "You may not do this.")

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc: AuthenticationError):
        response = problem(request, 401, str(exc))
        response["WWW-Authenticate"] = 'Bearer realm="poles"'
        return response

    @api.exception_handler(HttpError)
    def _http_error(request, exc: HttpError):
        return problem(request, exc.status_code, str(exc))

    @api.exception_handler(OperationalError)
    def _database(request, exc: OperationalError):
        if is_busy(exc):
            logger.warning("database busy: %s %s answered 503", request.method, request.path)
            return busy_problem(request)
        return _unexpected(request, exc)

    @api.exception_handler(Exception)
    def _unexpected(request, exc: Exception):
        logger.exception("API error on %s %s", request.method, request.path)
        return problem(request, 500, "Internal error; it has been logged.")
