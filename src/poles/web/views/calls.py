"""Calls for projects: those still open first, then past ones."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from poles.access.permissions import visible
from poles.calls.transitions import server_time
from poles.calls.views.applicant import published_setups, round_info
from poles.projects.models import Call
from poles.web.access import paginate
from poles.web.pagecache import public_page


@public_page
def calls(request: HttpRequest) -> HttpResponse:
    """Open calls (closing today or later, or without a closing date), then closed ones.

    A call run on poles (a published `calls.CallSetup`) also shows its envelope, the closing instant
    of its open round and a countdown computed on the server (kept current by calls/countdown.js).
    """
    today = dt.date.today()
    qs = visible(request.user, Call)
    open_calls = qs.filter(Q(closes__gte=today) | Q(closes__isnull=True)).order_by("closes", "title")
    past = qs.filter(closes__lt=today).order_by("-closes", "title")
    open_calls = list(open_calls)
    setups = published_setups(c.pk for c in open_calls)
    now = server_time()
    for call in open_calls:
        setup = setups.get(call.pk)
        call.workflow = {"setup": setup, **round_info(setup, now)} if setup is not None else None
    return render(request, "web/calls.html", {
        "open_calls": open_calls,
        "page": paginate(request, past, per_page=20),
        "today": today,
    })
