"""The home page: the programme's key figures, computed from the register."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from poles.access.permissions import visible
from poles.projects.models import Call
from poles.registry.models import Cluster
from poles.web.chartdata import home_funding, home_members, rendered
from poles.web.figures import DISCLOSURE_MINIMUM, programme_figures
from poles.web.pagecache import public_page


@public_page
def home(request: HttpRequest) -> HttpResponse:
    """Key figures, every certified cluster, entry points and the next calls closing."""
    calls = visible(request.user, Call).filter(closes__gte=dt.date.today()).order_by("closes")[:3]
    clusters = (visible(request.user, Cluster).filter(status=Cluster.Status.ACTIVE)
                .only("name", "slug").order_by("name"))
    return render(request, "web/home.html", {
        "figures": programme_figures(),
        "calls": calls,
        "clusters": clusters,
        "disclosure_minimum": DISCLOSURE_MINIMUM,
        "members_chart": rendered(home_members(request)),
        "funding_chart": rendered(home_funding(request)),
    })
