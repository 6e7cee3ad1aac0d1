"""Whole-page cache for anonymous visitors of the public pages, shared by every worker.

One rendering per URL and language serves every anonymous visitor until the register changes
(`poles.core.rendered` keeps it, by generation). The page holds a CSRF token (language switch,
HTMX header); it is stored as a placeholder and each visitor gets their own token at serving
time. Visitors with a session (who may have messages) and logged-in users always get a fresh
rendering.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from poles.core import rendered
from poles.core.rendered import GENERATION_KEY, SECONDS, generation, generational

__all__ = ["GENERATION_KEY", "PLACEHOLDER", "SECONDS", "cacheable", "csrf_placeholder_or_token",
           "forget_pages", "generation", "generational", "lookup", "page_key", "personal_page", "public_page"]

PLACEHOLDER = "__poles_csrf_token__"
forget_pages = rendered.new_generation


def cacheable(request: HttpRequest) -> bool:
    """Anonymous GETs without a session only."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def page_key(request: HttpRequest) -> str:
    """The cache key of a page: URL with its query, language, HTMX or not."""
    return rendered.key_of(
        "web:page", request.path, "&".join(sorted(request.GET.urlencode().split("&"))),
        get_language() or "", "htmx" if request.headers.get("HX-Request") else "page",
    )


def lookup(request: HttpRequest) -> tuple[str, str, tuple[bytes, str] | None]:
    """The page's key, the current generation, and the stored page when it is of that generation."""
    key = page_key(request)
    current, stored = rendered.lookup(key)
    return key, current, stored


def _render_for_cache(request: HttpRequest, make: Callable[[], HttpResponse]) -> HttpResponse:
    request._poles_page_cache = True
    try:
        return make()
    finally:
        request._poles_page_cache = False


def _keepable(response: HttpResponse) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _with_token(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    if not response.streaming and PLACEHOLDER.encode() in response.content:
        response.content = response.content.replace(PLACEHOLDER.encode(), get_token(request).encode())
    return response


def personal_page(request: HttpRequest, make: Callable[[], HttpResponse]) -> HttpResponse:
    """A logged-in user's page, rendered once and served again to that user until anyone writes.

    For pages people reload while they work (a reviewer's inbox, an officer's panel): the view has
    checked the permission before calling this; `make` renders. The rendering is keyed by user, URL,
    language and HTMX, and belongs to the personal generation, which moves on at every committed
    write of anyone (`rendered.PERSONAL_GENERATION_KEY`): nobody is served a page older than the last
    write, and at most SECONDS old. Not kept when the page shows messages or sets cookies.
    """
    if request.method not in ("GET", "HEAD") or not request.user.is_authenticated or len(messages.get_messages(request)):
        return make()
    key = rendered.key_of(
        "web:personal", str(request.user.pk), request.path, "&".join(sorted(request.GET.urlencode().split("&"))),
        get_language() or "", "htmx" if request.headers.get("HX-Request") else "page",
    )
    current, stored = rendered.lookup(key, rendered.PERSONAL_GENERATION_KEY)
    if stored is not None:
        return _serve(*stored, request)
    response = _render_for_cache(request, make)
    if not _keepable(response) or len(messages.get_messages(request)):
        return _with_token(response, request)
    rendered.store(key, current, response.content, response["Content-Type"])
    return _serve(response.content, response["Content-Type"], request)


def csrf_placeholder_or_token(request: HttpRequest) -> str:
    """What the layout writes as CSRF token: the placeholder while rendering for the cache."""
    if getattr(request, "_poles_page_cache", False):
        return PLACEHOLDER
    return get_token(request)


def _serve(content: bytes, content_type: str, request: HttpRequest) -> HttpResponse:
    return HttpResponse(content.replace(PLACEHOLDER.encode(), get_token(request).encode()),
                        content_type=content_type)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous visitors from the cache, rendering once per URL, language and generation."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key, current, stored = lookup(request)
        if stored is not None:
            return _serve(*stored, request)
        response = _render_for_cache(request, lambda: view(request, *args, **kwargs))
        if not _keepable(response):
            return _with_token(response, request)
        rendered.store(key, current, response.content, response["Content-Type"])
        return _serve(response.content, response["Content-Type"], request)

    return wrapper


SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class PersonalPagesMiddleware:
    """After any request that may have written (POST, PUT, PATCH, DELETE, whatever its answer), the
    personal pages are rendered anew: a write through a page, the API or the admin is never hidden by
    a kept rendering, even one that no model signal sees (bulk updates)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            rendered.new_personal_generation()
        return response
