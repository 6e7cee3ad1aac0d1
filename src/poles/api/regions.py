"""French regions (reference data, public)."""

from __future__ import annotations

from ninja import Field, Query, Router, Schema

from poles.access.permissions import Level
from poles.api.common import get_visible
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.territories.models import Region

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    name: str
    slug: str
    nuts: str | None
    overseas: bool


RegionPage = page_schema("RegionPage", RegionOut)
ORDERINGS = {"code": "code", "name": "name"}


class RegionQuery(ListQuery):
    q: str | None = Field(None, max_length=100)


def row(r: Region, lv: Level = Level.PUBLIC) -> dict:
    return {"code": r.code, "name": r.name, "slug": r.slug, "nuts": r.nuts_id, "overseas": r.overseas}


def _filter(qs, params: dict):
    if q := (params.get("q") or "").strip():
        qs = qs.filter(name__icontains=q)
    return qs


def _list(request, query, as_csv=False):
    return listing(request, Region, query, row=row, schemas={Level.PUBLIC: RegionOut},
                   filter_fn=_filter, orderings=ORDERINGS, default=["name"], csv_name="regions",
                   as_csv=as_csv)


@router.get("", response=RegionPage, summary="List regions")
def list_regions(request, query: Query[RegionQuery]):
    return _list(request, query)


@router.get("/export.csv", summary="Export regions as CSV",
            openapi_extra=CSV_OPENAPI)
def export_regions(request, query: Query[RegionQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{code}", response=RegionOut, summary="One region")
def get_region(request, code: str):
    return row(get_visible(request, Region, code))
