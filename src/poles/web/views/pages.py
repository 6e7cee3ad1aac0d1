"""Plain information pages: the accessibility statement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from poles.web.pagecache import public_page


@public_page
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (RGAA 4.1 / WCAG 2.1 AA) and how it is checked."""
    return render(request, "web/accessibility.html")
