"""The state of play of cluster policy (ECCP framework, seed 002): the framework (public), the
assessments of the territories in the caller's scope with their versions, and saving a new version."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from poles.access.roles import scope_of
from poles.api.caller import who
from poles.api.lists import wants_csv
from poles.core.tables import MACHINE, csv_text
from poles.policy import services
from poles.policy.framework import FRAMEWORK, MAX_TOTAL, SOURCE, total
from poles.policy.models import COUNTRY, Assessment
from poles.policy.permissions import may_read, territories_for
from poles.territories.models import Region

router = Router(tags=["state of play"])


class LevelOut(Schema):
    score: int
    en: str
    fr: str


class CriterionOut(Schema):
    key: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    levels: list[LevelOut]


class FrameworkOut(Schema):
    source: str
    max_total: int
    criteria: list[CriterionOut]


class AssessmentOut(Schema):
    id: int
    territory: str
    year: int
    scores: dict[str, int]
    total: int
    notes: dict[str, str]
    summary: str
    author: str | None
    saved_at: dt.datetime


class TerritoryOut(Schema):
    territory: str
    name: str
    year: int
    current: AssessmentOut | None
    history: list[AssessmentOut]


class AssessmentIn(Schema):
    year: int = Field(..., ge=2000, le=2100)
    scores: dict[str, int] = Field(..., description="Criterion key → score 0–3 (see /state-of-play/framework).")
    notes: dict[str, str] = Field(default_factory=dict)
    summary: str = Field("", max_length=4000)


def doc(a: Assessment) -> dict:
    return {"id": a.pk, "territory": a.territory, "year": a.year, "scores": a.scores, "total": total(a.scores),
            "notes": a.notes, "summary": a.summary, "author": a.author.username if a.author else None,
            "saved_at": a.saved_at}


def _readable(request, territory: str) -> str:
    if territory != COUNTRY and not Region.objects.filter(code=territory).exists():
        raise Http404(gettext("No region with the code “%(code)s”.") % {"code": territory})
    allowed, reason = may_read(scope_of(who(request)), territory)
    if not allowed:
        raise PermissionDenied(reason)
    region = Region.objects.filter(code=territory).first()
    return region.name if region else "France"


@router.get("/framework", response=FrameworkOut, summary="The state-of-play framework")
def state_of_play_framework(request):
    """The ECCP analytical framework (criteria and their four values, scored 0–3): public."""
    return {"source": SOURCE, "max_total": MAX_TOTAL, "criteria": [
        {**{k: getattr(c, k) for k in ("key", "name_en", "name_fr", "description_en", "description_fr")},
         "levels": [{"score": lv.score, "en": lv.en, "fr": lv.fr} for lv in c.levels]} for c in FRAMEWORK]}


@router.get("", response=list[AssessmentOut], summary="Current assessments of the territories in scope",
            openapi_extra={"responses": {200: {"content": {"application/json": {}, "text/csv": {}}}}})
def list_state_of_play(request, year: int | None = Query(None, ge=2000, le=2100)):
    """The latest version of each territory and year the caller reads (programme officers); `?format=csv` for CSV."""
    codes = territories_for(who(request))
    if not codes:
        raise PermissionDenied(gettext("The state of play is for the programme officers."))
    qs = Assessment.objects.filter(territory__in=codes).select_related("author").order_by(
        "territory", "-year", "-saved_at", "-pk")
    if year is not None:
        qs = qs.filter(year=year)
    latest: dict[tuple[str, int], Assessment] = {}
    for a in qs:
        latest.setdefault((a.territory, a.year), a)
    docs = [doc(a) for a in latest.values()]
    if wants_csv(request):
        keys = [c.key for c in FRAMEWORK]
        columns = ["territory", "year", *keys, "total", "summary", "author", "saved_at"]
        rows = ([d["territory"], d["year"], *[d["scores"].get(k) for k in keys], d["total"], d["summary"], d["author"],
                 d["saved_at"]] for d in docs)
        response = HttpResponse(csv_text(columns, rows, MACHINE), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="state-of-play.csv"'
        return response
    return docs


@router.get("/{territory}", response=TerritoryOut, summary="A territory's assessment and its versions")
def get_state_of_play(request, territory: str, year: int | None = Query(None, ge=2000, le=2100)):
    name = _readable(request, territory)
    if year is None:
        year = Assessment.objects.filter(territory=territory).order_by("-year").values_list("year", flat=True).first() \
            or dt.date.today().year
    history = services.history(territory, year)
    return {"territory": territory, "name": name, "year": year, "current": doc(history[0]) if history else None,
            "history": [doc(a) for a in history]}


@router.post("/{territory}", response={201: AssessmentOut}, summary="Save a new version of a territory's assessment")
def save_state_of_play(request, territory: str, payload: AssessmentIn):
    """The national officer (country, any region) or the region's regional officers; scores by the framework."""
    _readable(request, territory)
    saved = services.save(who(request), territory, payload.year, payload.scores, payload.notes, payload.summary,
                          channel="api")
    return Status(201, doc(saved))
