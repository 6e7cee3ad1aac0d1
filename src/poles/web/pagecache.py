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
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from poles.core import rendered
from poles.core.rendered import GENERATION_KEY, SECONDS, generation, generational

__all__ = ["GENERATION_KEY", "PLACEHOLDER", "SECONDS", "cacheable", "csrf_placeholder_or_token",
           "forget_pages", "generation", "generational", "lookup", "page_key", "public_page"]

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
        request._poles_page_cache = True
        try:
            response = view(request, *args, **kwargs)
        finally:
            request._poles_page_cache = False
        if response.status_code != 200 or response.streaming or response.cookies:
            if not response.streaming and PLACEHOLDER.encode() in response.content:
                response.content = response.content.replace(PLACEHOLDER.encode(), get_token(request).encode())
            return response
        rendered.store(key, current, response.content, response["Content-Type"])
        return _serve(response.content, response["Content-Type"], request)

    return wrapper
