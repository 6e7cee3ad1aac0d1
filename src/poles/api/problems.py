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
from django.utils.translation import gettext_lazy
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


TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Login required"),
    403: gettext_lazy("Forbidden"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request too large"),
    415: gettext_lazy("Unsupported media type"),
    422: gettext_lazy("Invalid input"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Internal error"),
    503: gettext_lazy("Service unavailable"),
}
"""Problem titles in the reader's language (RFC 9457 lets the title follow the language)."""


def title(status: int) -> str:
    """The status's title in the active language (HTTP's English phrase for a status not listed)."""
    return str(TITLES[status]) if status in TITLES else HTTPStatus(status).phrase


def problem(request: HttpRequest | None, status: int, detail: str, **extra) -> HttpResponse:
    """A problem+json response."""
    body = {
        "type": "about:blank",
        "title": title(status),
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


PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("required"),
    "int_parsing": gettext_lazy("expected a whole number"),
    "int_type": gettext_lazy("expected a whole number"),
    "int_from_float": gettext_lazy("expected a whole number"),
    "float_parsing": gettext_lazy("expected a number"),
    "decimal_parsing": gettext_lazy("expected a number"),
    "bool_parsing": gettext_lazy("expected true or false"),
    "string_type": gettext_lazy("expected text"),
    "date_from_datetime_parsing": gettext_lazy("expected a date (YYYY-MM-DD)"),
    "date_parsing": gettext_lazy("expected a date (YYYY-MM-DD)"),
    "datetime_parsing": gettext_lazy("expected a date and time (ISO 8601)"),
    "string_too_long": gettext_lazy("at most %(max_length)s characters"),
    "string_too_short": gettext_lazy("at least %(min_length)s characters"),
    "greater_than_equal": gettext_lazy("at least %(ge)s"),
    "greater_than": gettext_lazy("more than %(gt)s"),
    "less_than_equal": gettext_lazy("at most %(le)s"),
    "less_than": gettext_lazy("less than %(lt)s"),
    "literal_error": gettext_lazy("expected one of %(expected)s"),
    "enum": gettext_lazy("expected one of %(expected)s"),
    "extra_forbidden": gettext_lazy("unknown field"),
    "json_invalid": gettext_lazy("not valid JSON"),
    "model_attributes_type": gettext_lazy("expected an object"),
    "dict_type": gettext_lazy("expected an object"),
    "list_type": gettext_lazy("expected a list"),
}
"""Pydantic's most common errors in the reader's language; others keep pydantic's English text."""


def error_message(error: dict) -> str:
    """One validation error's reason, translated when pydantic's error type is known."""
    message = PYDANTIC_MESSAGES.get(str(error.get("type", "")))
    if message is None:
        return str(error.get("msg") or _("invalid"))
    try:
        return str(message) % {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg") or message)


def validation_detail(errors: list[dict]) -> str:
    """One sentence naming each invalid parameter and why."""
    parts = [f"{_location(e) or _('request')}: {error_message(e)}" for e in errors]
    return _("Invalid input — %(errors)s") % {"errors": "; ".join(parts)}


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
        return problem(request, 404, str(exc) or _("Not found, or not visible to you."))

    @api.exception_handler(PermissionDenied)
    def _forbidden(request, exc: PermissionDenied):
        return problem(request, 403, str(exc) or _("You may not do this."))

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
        return problem(request, 500, _("Internal error; it has been logged."))
