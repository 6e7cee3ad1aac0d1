"""The state of play of cluster policy (ECCP framework, seed 002): the territories one reads, a
territory's scored form with its history, and its printable factsheet with the observatory's tables."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from poles.access.roles import scope_of
from poles.core.filtering import is_digits
from poles.policy import services
from poles.policy.framework import FRAMEWORK, MAX_TOTAL, SOURCE, total
from poles.policy.models import COUNTRY, Assessment
from poles.policy.permissions import may_fill, may_read, territories_for
from poles.registry.programme import current_year
from poles.territories.models import Region
from poles.web.exports import FORMATS, Column, dialect_for, table_response
from poles.web.factsheet import factsheet_tables
from poles.web.policyforms import StateOfPlayForm, description_of, level_text, name_of


def _territory(request: HttpRequest, territory: str) -> tuple[str, Region | None]:
    """The territory's name and region, when the user may read it (404 for an unknown code, 403 outside scope)."""
    if territory != COUNTRY and not Region.objects.filter(code=territory).exists():
        raise Http404(_("No region with this code."))
    allowed, reason = may_read(scope_of(request.user), territory)
    if not allowed:
        raise PermissionDenied(reason)
    region = Region.objects.filter(code=territory).first()
    return (region.name if region else _("France")), region


def _year(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if is_digits(raw) and 2000 <= int(raw) <= 2100 else current_year()


def _rows(assessment: Assessment | None) -> list[dict]:
    """The framework's criteria with the value reached (Table 4 of the factsheet)."""
    scores = assessment.scores if assessment else {}
    notes = assessment.notes if assessment else {}
    return [{"key": c.key, "name": name_of(c), "description": description_of(c),
             "levels": [{"score": lv.score, "text": level_text(c, lv.score), "reached": scores.get(c.key) == lv.score}
                        for lv in c.levels],
             "score": scores.get(c.key), "value": level_text(c, scores.get(c.key)), "note": notes.get(c.key, "")}
            for c in FRAMEWORK]


@login_required
def policy_index(request: HttpRequest) -> HttpResponse:
    """The country and the regions one reads, each with its latest assessment."""
    codes = territories_for(request.user)
    if not codes:
        raise PermissionDenied(_("The state of play is for the programme officers."))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    latest: dict[str, Assessment] = {}
    for a in Assessment.objects.filter(territory__in=codes).order_by("territory", "-year", "-saved_at", "-pk"):
        latest.setdefault(a.territory, a)
    items = [{"code": code, "name": names.get(code, _("France")), "latest": latest.get(code),
              "total": total(latest[code].scores) if code in latest else None} for code in codes]
    return render(request, "web/policy/index.html", {"items": items, "max_total": MAX_TOTAL})


@login_required
def policy_territory(request: HttpRequest, territory: str) -> HttpResponse:
    """A territory's state of play for a year: the form (for those who fill it) and the history."""
    name, region = _territory(request, territory)
    year = _year(request)
    may = may_fill(scope_of(request.user), territory)[0]
    current = services.current(territory, year)
    form = None
    status = 200
    if may:
        form = StateOfPlayForm(request.POST or None, initial=StateOfPlayForm.initial_from(current, year))
        if request.method == "POST":
            if form.is_valid():
                try:
                    saved = services.save(request.user, territory, form.cleaned_data["year"], form.scores(),
                                          form.notes(), form.cleaned_data.get("summary", ""))
                except ValidationError as error:
                    form.add_error(None, list(error.messages))
                else:
                    messages.success(request, _("The state of play is saved (version of %(when)s).")
                                     % {"when": saved.saved_at.strftime("%Y-%m-%d %H:%M")})
                    return redirect(f"{request.path}?year={saved.year}")
            status = 400
    elif request.method == "POST":
        raise PermissionDenied(may_fill(scope_of(request.user), territory)[1])
    history = services.history(territory, year)
    return render(request, "web/policy/territory.html", {
        "territory": territory, "name": name, "region": region, "year": year, "form": form,
        "current": current, "rows": _rows(current), "history": history,
        "total": total(current.scores) if current else None, "max_total": MAX_TOTAL, "source": SOURCE,
        "years": sorted(set(Assessment.objects.filter(territory=territory).values_list("year", flat=True)), reverse=True),
    }, status=status)


@login_required
def policy_factsheet(request: HttpRequest, territory: str) -> HttpResponse:
    """The printable factsheet of a territory: state of play (Table 4), descriptions, the observatory's tables."""
    name, region = _territory(request, territory)
    year = _year(request)
    current = services.current(territory, year)
    return render(request, "web/policy/factsheet.html", {
        "territory": territory, "name": name, "region": region, "year": year, "current": current,
        "rows": _rows(current), "total": total(current.scores) if current else None, "max_total": MAX_TOTAL,
        "source": SOURCE, **factsheet_tables(region),
    })


@login_required
def policy_export(request: HttpRequest) -> HttpResponse:
    """The current assessments of the territories one reads (latest version per territory and year), CSV or XLSX."""
    codes = territories_for(request.user)
    if not codes:
        raise PermissionDenied(_("The state of play is for the programme officers."))
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    latest: dict[tuple[str, int], Assessment] = {}
    for a in Assessment.objects.filter(territory__in=codes).select_related("author").order_by(
            "territory", "-year", "-saved_at", "-pk"):
        latest.setdefault((a.territory, a.year), a)
    headers = [Column(_("Territory")), Column(_("Code")), Column(_("Year"), "year"),
               *[Column(name_of(c), "int") for c in FRAMEWORK], Column(_("Score"), "int"), Column(_("Saved")),
               Column(_("By"))]
    rows = ([names.get(a.territory, _("France")), a.territory, a.year, *[a.scores.get(c.key) for c in FRAMEWORK],
             total(a.scores), a.saved_at.strftime("%Y-%m-%d %H:%M"), a.author.username if a.author else ""]
            for a in latest.values())
    fmt = request.GET.get("format", "csv")
    return table_response(fmt if fmt in FORMATS else "csv", "state-of-play", headers, rows, dialect_for(request))
