"""Site-wide response rules that no single view should have to remember."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def has_credentials(request: HttpRequest) -> bool:
    """The caller is signed in (session) or presents an API token (Authorization header)."""
    user = getattr(request, "user", None)
    return bool(request.headers.get("Authorization")) or bool(user and user.is_authenticated)


class PrivateAnswersMiddleware:
    """Answers to a signed-in user or a token caller are never kept by browsers or proxies.

    What such a caller reads depends on their roles (fees, figures, tokens, members-only fields),
    so every answer gets Django's never-cache headers (`no-store`, `private`) rather than each view
    deciding. Anonymous answers keep their caching; static files are served by WhiteNoise before
    this middleware and keep theirs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if has_credentials(request):
            add_never_cache_headers(response)
        return response
