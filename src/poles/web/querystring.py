"""Building list URLs that keep the current filters while changing one parameter."""

from __future__ import annotations

from django.http import HttpRequest


def with_params(request: HttpRequest, **changes: object) -> str:
    """The request's path with its query string changed: None removes a parameter."""
    query = request.GET.copy()
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    encoded = query.urlencode()
    return f"{request.path}?{encoded}" if encoded else request.path
