"""A request the database cannot take now (another write holds it) gets 503 and Retry-After.

On SQLite one write at a time holds the file; a page or API write that still waits after the
busy timeout (SQLITE_BUSY_TIMEOUT) is refused with "try again", never with a 500. Pages get a
short page in the visitor's language; the API gets a problem+json document.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import defaults

from poles.api.problems import busy_problem
from poles.core.busy import RETRY_AFTER, is_busy

log = logging.getLogger("poles.busy")
PLAIN = ("<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><title>Service occupé — Busy</title>"
         "</head><body><main><h1>Service momentanément occupé / Busy for a moment</h1><p>Rien n'a été "
         "modifié ; réessayez dans quelques secondes. — Nothing was changed; try again in a few seconds."
         "</p></main></body></html>")


def busy_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: problem+json under /api/, else the page in the visitor's language."""
    log.warning("database busy: %s %s answered 503", request.method, request.path)
    if request.path_info.startswith("/api/"):
        return busy_problem(request)
    try:
        response = render(request, "503.html", {"retry_after": RETRY_AFTER}, status=503)
    except Exception:  # noqa: BLE001 — the layout needs the database too; the plain page does not
        response = HttpResponse(PLAIN, status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseBusyMiddleware:
    """Turns a view's "database is locked" into 503 + Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_busy(exception) else None


def server_error(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """handler500: a busy database met outside a view (e.g. saving the session) is a 503 too."""
    if is_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request, *args, **kwargs)



