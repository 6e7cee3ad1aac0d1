"""Whole-page cache for anonymous visitors of the public pages.

Anonymous visitors all read the same public fields, so one rendering per URL and language serves
them all for a short while. The page holds a CSRF token (language switch, HTMX header); it is
stored as a placeholder and each visitor gets their own token at serving time. Visitors with a
session (who may have messages) and logged-in users always get a fresh rendering.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

SECONDS = 60
PLACEHOLDER = "__poles_csrf_token__"
GENERATION_KEY = "web:page-generation"


def forget_pages() -> None:
    """Start a new generation of cached pages (after a write from the pages)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 1, None)
    cache.delete_many(["web:cluster-summaries", "web:programme-figures"])


def cacheable(request: HttpRequest) -> bool:
    """Anonymous GETs without a session only."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def page_key(request: HttpRequest) -> str:
    """The cache key of a page: URL with its query, language, HTMX or not, generation."""
    generation = cache.get(GENERATION_KEY, 0)
    raw = "|".join([
        request.path, "&".join(sorted(request.GET.urlencode().split("&"))), get_language() or "",
        "htmx" if request.headers.get("HX-Request") else "page", str(generation),
    ])
    return "web:page:" + hashlib.sha256(raw.encode()).hexdigest()


def csrf_placeholder_or_token(request: HttpRequest) -> str:
    """What the layout writes as CSRF token: the placeholder while rendering for the cache."""
    if getattr(request, "_poles_page_cache", False):
        return PLACEHOLDER
    return get_token(request)


def _serve(content: bytes, content_type: str, request: HttpRequest) -> HttpResponse:
    return HttpResponse(content.replace(PLACEHOLDER.encode(), get_token(request).encode()),
                        content_type=content_type)


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve anonymous visitors from the cache, rendering once per URL, language and minute."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not cacheable(request):
            return view(request, *args, **kwargs)
        key = page_key(request)
        stored = cache.get(key)
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
        stored = (response.content, response["Content-Type"])
        cache.set(key, stored, SECONDS)
        return _serve(*stored, request)

    return wrapper
