"""Whole-page cache for anonymous visitors of the public pages, shared by every worker.

Anonymous visitors all read the same public fields, so one rendering per URL and language serves
them all for a short while. The page holds a CSRF token (language switch, HTMX header); it is
stored as a placeholder and each visitor gets their own token at serving time. Visitors with a
session (who may have messages) and logged-in users always get a fresh rendering.

Pages live in the shared cache (`poles.core.cache`) with the generation they were rendered in: any
committed write to the register (`poles.core.changes.register_changed`, see `poles.web.apps`)
starts a new one, so every worker stops serving the old pages at once. The generation is read
from the shared cache at each request, never kept in a process; only renderings, which never
change once made, are also kept in a small per-process layer.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

SECONDS = 60
LOCAL_PAGES = 64  # renderings each process keeps (immutable: keyed by their generation and time)
PLACEHOLDER = "__poles_csrf_token__"
GENERATION_KEY = "web:page-generation"

_local: OrderedDict[str, tuple[str, float, bytes, str]] = OrderedDict()
_local_lock = threading.Lock()


def _new_generation() -> str:
    return secrets.token_hex(8)  # never a value seen before, even if the key was evicted


def forget_pages(**_signal) -> None:
    """Start a new generation of cached pages and derived figures (after a committed write)."""
    cache.set(GENERATION_KEY, _new_generation(), None)


def generation() -> str:
    """The current generation, created when the shared cache has none."""
    current = cache.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, _new_generation(), None)
        current = cache.get(GENERATION_KEY)
    return str(current)


def generational(key: str) -> str:
    """`key` in the current generation: for figures derived from the register, cached with pages."""
    return f"{key}:{generation()}"


def cacheable(request: HttpRequest) -> bool:
    """Anonymous GETs without a session only."""
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def page_key(request: HttpRequest) -> str:
    """The cache key of a page: URL with its query, language, HTMX or not."""
    raw = "|".join([
        request.path, "&".join(sorted(request.GET.urlencode().split("&"))), get_language() or "",
        "htmx" if request.headers.get("HX-Request") else "page",
    ])
    return "web:page:" + hashlib.sha256(raw.encode()).hexdigest()


def lookup(request: HttpRequest) -> tuple[str, str, tuple[bytes, str] | None]:
    """The page's key, the current generation, and the stored page when it is of that generation.

    The generation comes from the shared cache at every call. A rendering never changes once
    stored (it carries its generation and the time it was made), so each process keeps the last
    few it served and reads the shared cache's copy only when it has none of this generation.
    """
    key = page_key(request)
    current = generation()
    with _local_lock:
        local = _local.get(key)
        if local is not None and local[0] == current and time.time() - local[1] < SECONDS:
            _local.move_to_end(key)
            return key, current, (local[2], local[3])
    stored = cache.get(key)
    if stored is None or stored[0] != current:
        return key, current, None
    _remember(key, stored)
    return key, current, (stored[2], stored[3])


def _remember(key: str, stored: tuple[str, float, bytes, str]) -> None:
    with _local_lock:
        _local[key] = stored
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


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
        stored = (current, time.time(), response.content, response["Content-Type"])
        cache.set(key, stored, SECONDS)  # under the generation read before rendering
        _remember(key, stored)
        return _serve(stored[2], stored[3], request)

    return wrapper
