"""Indicators of the programme: their declarations, their values for a scope and year, their series.

Values go through the secrecy rule (`poles.indicators.confidentiality`) for the caller: a cluster's
team reads its own confidential indicators, the public reads public indicators and confidential
aggregates of at least 3 other clusters; a withheld value is `null` with `withheld: true`.
"""

from __future__ import annotations

from typing import Literal

from django.http import HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from poles.api.caller import who
from poles.api.lists import CSV_DESCRIPTION, wants_csv
from poles.api.problems import Problem
from poles.core.tables import MACHINE, csv_lines
from poles.indicators import definitions as d
from poles.indicators import engine
from poles.indicators.engine import Scope, ScopeError
from poles.indicators.messages import scope_message

router = Router(tags=["indicators"])
CSV_OR_JSON = {"responses": {200: {"description": "JSON, or CSV with `?format=csv`. " + CSV_DESCRIPTION,
                                   "content": {"application/json": {}, "text/csv": {}}}}}
MAX_YEARS = 30


class SeedOut(Schema):
    value: str
    text: str
    year: int | None


class TargetOut(Schema):
    value: str
    at_least: bool
    text: str


class DefinitionOut(Schema):
    code: str
    label: str
    unit: str
    family: str
    formula: str
    source: str
    confidential: bool
    higher_is_better: bool
    seed: SeedOut | None
    target: TargetOut | None


class ValueOut(Schema):
    code: str
    label: str
    unit: str
    year: int
    scope: str
    value: int | str | None = Field(description="Counts as integers, euros, shares and ratios as decimal strings.")
    confidential: bool
    withheld: bool = Field(description="True when your role may not read this value (then `value` is null).")
    clusters: int
    previous: int | str | None
    growth: str | None
    rank: int | None
    peers: int | None
    percentile: str | None
    target: str | None
    meets_target: bool | None


class ValuesOut(Schema):
    year: int | None
    scope: str
    indicators: list[ValueOut]


class SeriesOut(Schema):
    scope: str
    years: list[int]
    indicators: list[ValueOut]


class IndicatorQuery(Schema):
    scope: str = Field("nation", max_length=120, description="nation, region:CODE, cluster:SLUG, "
                       "ecosystem:CODE or phase:CODE.")
    codes: str | None = Field(None, max_length=2000, description="Comma-separated codes (default: all).")
    lang: Literal["fr", "en"] = Field("fr", description="Language of the labels.")
    format: Literal["json", "csv"] | None = Field(None, description="csv for a CSV file.")


class ValuesQuery(IndicatorQuery):
    year: int | None = Field(None, ge=1900, le=2200, description="Default: the reporting year.")
    ranks: bool = Field(False, description="For a cluster: its rank and percentile rank among clusters.")


class SeriesQuery(IndicatorQuery):
    first: int | None = Field(None, ge=1900, le=2200, description="First year (default: the first with members).")
    last: int | None = Field(None, ge=1900, le=2200, description="Last year (default: the reporting year).")


def _codes(text: str | None) -> list[str] | None:
    if not text:
        return None
    codes = [c.strip() for c in text.split(",") if c.strip()]
    for code in codes:
        if code not in d.BY_CODE:
            raise Problem(422, gettext(
                "codes: expected declared indicator codes (see /api/v1/indicators/definitions), found %(code)s"
            ) % {"code": repr(code)})
    return codes


def _scope(text: str) -> Scope:
    try:
        scope = Scope.parse(text)
        engine.cluster_ids(scope)
    except ScopeError as error:
        raise Problem(422, gettext(
            "scope: expected nation, region:CODE, cluster:SLUG, ecosystem:CODE or phase:CODE naming "
            "clusters of the register, found %(scope)s"
        ) % {"scope": repr(text)} + " — " + scope_message(error)) from None
    return scope


def _csv(values: list[engine.IndicatorValue], lang: str, name: str) -> HttpResponse:
    columns = list(ValueOut.model_fields)
    rows = ([v.as_dict(lang).get(c) for c in columns] for v in values)
    response = HttpResponse("".join(csv_lines(columns, rows, MACHINE)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


@router.get("", response=ValuesOut, summary="Indicators of a scope for a year", openapi_extra=CSV_OR_JSON)
def list_indicators(request, query: Query[ValuesQuery]):
    """Every declared indicator (or `codes`) of the scope for the year, with the previous year and growth."""
    user = who(request)
    scope, codes = _scope(query.scope), _codes(query.codes)
    year = query.year if query.year is not None else engine.latest_year()
    values = engine.compute(year, scope, codes, user=user, ranks=query.ranks) if year is not None else []
    if wants_csv(request):
        return _csv(values, query.lang, "indicators")
    return {"year": year, "scope": str(scope), "indicators": [v.as_dict(query.lang) for v in values]}


@router.get("/series", response=SeriesOut, summary="Indicators of a scope year by year", openapi_extra=CSV_OR_JSON)
def indicator_series(request, query: Query[SeriesQuery]):
    """The indicators (or `codes`) of the scope for each year from `first` to `last`."""
    user = who(request)
    scope, codes = _scope(query.scope), _codes(query.codes)
    first = query.first if query.first is not None else engine.first_year()
    last = query.last if query.last is not None else engine.latest_year()
    if first is None or last is None:
        years: list[int] = []
    elif last < first or last - first >= MAX_YEARS:
        raise Problem(422, gettext("first, last: expected first ≤ last within %(n)d years, found %(first)d–%(last)d")
                      % {"n": MAX_YEARS, "first": first, "last": last})
    else:
        years = list(range(first, last + 1))
    by_year = engine.series(scope, codes, years=years, user=user) if years else {}
    values = [v for year in sorted(by_year) for v in by_year[year]]
    if wants_csv(request):
        return _csv(values, query.lang, "indicator-series")
    return {"scope": str(scope), "years": sorted(by_year), "indicators": [v.as_dict(query.lang) for v in values]}


@router.get("/definitions", response=list[DefinitionOut], summary="Declared indicators")
def indicator_definitions(request, lang: Literal["fr", "en"] = "fr"):
    """Every indicator as declared: label, unit, formula, source, confidentiality, seed figure, target."""
    who(request)
    en = lang == "en"
    return [
        {
            "code": i.code, "label": i.label(lang), "unit": i.unit.value, "family": i.family.value,
            "formula": i.formula, "source": i.source.value, "confidential": i.confidential,
            "higher_is_better": i.higher_is_better,
            "seed": {"value": str(i.seed.value), "text": i.seed.text_en if en else i.seed.text_fr,
                     "year": i.seed.year} if i.seed else None,
            "target": {"value": str(i.target.value), "at_least": i.target.at_least,
                       "text": i.target.label_en if en else i.target.label_fr} if i.target else None,
        }
        for i in d.INDICATORS
    ]
