"""Calls for projects: those still open first, then past ones."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from poles.access.permissions import visible
from poles.projects.models import Call
from poles.web.access import paginate
from poles.web.pagecache import public_page


@public_page
def calls(request: HttpRequest) -> HttpResponse:
    """Open calls (closing today or later, or without a closing date), then closed ones."""
    today = dt.date.today()
    qs = visible(request.user, Call)
    open_calls = qs.filter(Q(closes__gte=today) | Q(closes__isnull=True)).order_by("closes", "title")
    past = qs.filter(closes__lt=today).order_by("-closes", "title")
    return render(request, "web/calls.html", {
        "open_calls": open_calls,
        "page": paginate(request, past, per_page=20),
        "today": today,
    })
