"""Activity nomenclatures (NACE, NAF) and the EU industrial ecosystems (reference data, public)."""

from __future__ import annotations

from django.db.models import Q
from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.nomenclatures.models import Ecosystem, NaceCode, NafCode

router = Router(tags=["nomenclatures"])
CSV = CSV_OPENAPI


class NaceOut(Schema):
    code: str
    level: int
    label: str
    parent: str | None


class NafOut(Schema):
    code: str
    label: str
    nace: str | None


class EcosystemOut(Schema):
    code: str
    name_en: str
    name_fr: str
    nace_divisions: list[str]


NacePage = page_schema("NacePage", NaceOut)
NafPage = page_schema("NafPage", NafOut)
EcosystemPage = page_schema("EcosystemPage", EcosystemOut)


class CodeQuery(ListQuery):
    q: str | None = Field(None, max_length=100, description="Code prefix or words of the label.")
    level: int | None = Field(None, ge=1, le=4, description="NACE level (1 section … 4 class).")


def _filter(qs, params: dict):
    if q := (params.get("q") or "").strip():
        qs = qs.filter(Q(code__istartswith=q) | Q(label__icontains=q))
    if params.get("level") is not None and qs.model is NaceCode:
        qs = qs.filter(level=params["level"])
    return qs


def nace_row(n: NaceCode, lv: Level = Level.PUBLIC) -> dict:
    return {"code": n.code, "level": n.level, "label": n.label, "parent": n.parent_id}


def naf_row(n: NafCode, lv: Level = Level.PUBLIC) -> dict:
    return {"code": n.code, "label": n.label, "nace": n.nace_id}


def ecosystem_row(e: Ecosystem, lv: Level = Level.PUBLIC) -> dict:
    return {"code": e.code, "name_en": e.name_en, "name_fr": e.name_fr,
            "nace_divisions": [d.pk for d in e.nace_divisions.all()]}


def _nace(request, query, as_csv=False):
    return listing(request, NaceCode, query, row=nace_row, schemas={Level.PUBLIC: NaceOut},
                   filter_fn=_filter, orderings={"code": "code", "label": "label"},
                   default=["code"], csv_name="nace", as_csv=as_csv)


def _naf(request, query, as_csv=False):
    return listing(request, NafCode, query, row=naf_row, schemas={Level.PUBLIC: NafOut},
                   filter_fn=_filter, orderings={"code": "code", "label": "label"},
                   default=["code"], csv_name="naf", as_csv=as_csv)


def _ecosystems(request, query, as_csv=False):
    return listing(request, Ecosystem, query, row=ecosystem_row, schemas={Level.PUBLIC: EcosystemOut},
                   filter_fn=None, orderings={"code": "code", "name_en": "name_en", "name_fr": "name_fr"},
                   default=["name_en"], prepare=lambda qs, top: qs.prefetch_related("nace_divisions"),
                   csv_name="ecosystems", as_csv=as_csv)


@router.get("/nace", response=NacePage, summary="NACE Rev.2 codes")
def list_nace(request, query: Query[CodeQuery]):
    return _nace(request, query)


@router.get("/nace/export.csv", summary="Export NACE codes as CSV", openapi_extra=CSV)
def export_nace(request, query: Query[CodeQuery]):
    return _nace(request, query, as_csv=True)


@router.get("/naf", response=NafPage, summary="NAF rév.2 codes")
def list_naf(request, query: Query[CodeQuery]):
    return _naf(request, query)


@router.get("/naf/export.csv", summary="Export NAF codes as CSV", openapi_extra=CSV)
def export_naf(request, query: Query[CodeQuery]):
    return _naf(request, query, as_csv=True)


@router.get("/ecosystems", response=EcosystemPage, summary="EU industrial ecosystems")
def list_ecosystems(request, query: Query[ListQuery]):
    return _ecosystems(request, query)


@router.get("/ecosystems/export.csv", summary="Export ecosystems as CSV", openapi_extra=CSV)
def export_ecosystems(request, query: Query[ListQuery]):
    return _ecosystems(request, query, as_csv=True)
