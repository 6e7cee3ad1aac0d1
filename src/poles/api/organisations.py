"""Organisations: list, export, detail at the reader's level; create and update with SIREN checks."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from poles.access import writes
from poles.access.permissions import Level, visible
from poles.api.caller import who
from poles.api.common import get_visible, level
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money
from poles.api.problems import Problem
from poles.api.serialize import attnames, serialize
from poles.registry.filters import filter_organisations
from poles.registry.models import Cluster, Membership, Organisation, OrganisationFigures
from poles.registry.programme import current_year

router = Router(tags=["organisations"])


class FiguresOut(Schema):
    year: int
    staff: str | None
    turnover: Money | None
    balance_sheet: Money | None
    source: str


class OrganisationPublic(Schema):
    id: int
    name: str
    key: str
    siren: str | None
    pic: str | None
    kind: str
    size_category: str
    size_year: int | None
    naf: str | None
    postcode: str
    city: str
    commune: str | None
    region_name: str
    country: str
    website: str
    description: str
    is_generated: bool


class OrganisationMembers(OrganisationPublic):
    siret: str
    address: str
    group_head: int | None
    group_share: str | None = Field(..., description="The group head's share in percent (empty: control).")
    identifiers: dict
    source: str
    updated_at: str
    supplied_by: int | None = Field(..., description="The cluster that supplied this record (it keeps it).")


class OrganisationConfidential(OrganisationMembers):
    figures: list[FiguresOut]


SCHEMAS = {Level.PUBLIC: OrganisationPublic, Level.MEMBERS: OrganisationMembers,
           Level.CONFIDENTIAL: OrganisationConfidential}
OrganisationOut = OrganisationConfidential | OrganisationMembers | OrganisationPublic
OrganisationPage = page_schema("OrganisationPage", OrganisationOut)

ORDERINGS = {"name": "name", "city": "city", "siren": "siren", "size_category": "size_category",
             "kind": "kind", "country": "country", "updated_at": "updated_at", "id": "pk"}


class OrganisationQuery(ListQuery):
    region: str | None = Field(None, max_length=100, description="Region INSEE code or slug.")
    cluster: str | None = Field(None, max_length=80, description="Member of this cluster (id or slug).")
    ecosystem: str | None = Field(None, max_length=40, description="EU industrial ecosystem code.")
    label: str | None = Field(None, max_length=10, description="bronze, silver, gold or any.")
    size: str | None = Field(None, max_length=10, description="micro, small, medium, eti, large, unknown or sme.")
    kind: str | None = Field(None, max_length=20)
    country: str | None = Field(None, max_length=2)
    year: int | None = Field(None, ge=1900, le=2100, description="Member in this year.")
    q: str | None = Field(None, max_length=200, description="Text in name or city, or SIREN prefix.")



def _figure_row(f: OrganisationFigures) -> dict:
    data = serialize(f, Level.CONFIDENTIAL)
    data.pop("organisation", None)
    return data


def row(o: Organisation, lv: Level) -> dict:
    return serialize(o, lv, special={
        "figures": lambda o: [_figure_row(f) for f in o.figures.all()],
        "updated_at": lambda o: o.updated_at.isoformat(),
    })


def prepare(qs, top: Level):
    if top == Level.PUBLIC:
        return qs.only(*attnames(Organisation, Level.PUBLIC))
    return qs.prefetch_related(Prefetch("figures", queryset=OrganisationFigures.objects.order_by("-year")))


def _filter(request):
    def apply(qs, params: dict):
        return filter_organisations(qs, params, memberships=visible(who(request), Membership))
    return apply


def _list(request, query, as_csv=False):
    return listing(request, Organisation, query, row=row, schemas=SCHEMAS,
                   filter_fn=_filter(request), orderings=ORDERINGS, default=["name"],
                   prepare=prepare, csv_name="organisations", as_csv=as_csv)


@router.get("", response=OrganisationPage, summary="List organisations")
def list_organisations(request, query: Query[OrganisationQuery]):
    """Organisations, filtered like the directory; `?format=csv` gives every row as CSV."""
    return _list(request, query)


@router.get("/export.csv", summary="Export organisations as CSV",
            openapi_extra=CSV_OPENAPI)
def export_organisations(request, query: Query[OrganisationQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{int:organisation_id}", response=OrganisationOut, summary="One organisation")
def get_organisation(request, organisation_id: int):
    organisation = get_visible(request, Organisation, organisation_id)
    return row(organisation, level(request, organisation))


class FiguresIn(Schema):
    year: int = Field(..., ge=1900, le=2100)
    staff: Decimal | None = Field(None, ge=0, max_digits=9, decimal_places=1)
    turnover: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    balance_sheet: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)


class OrganisationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=300)
    siren: str | None = Field(None, max_length=20, description="9 digits, spaces allowed; checked (Luhn).")
    siret: str | None = Field(None, max_length=20)
    kind: Organisation.Kind | None = None
    address: str | None = Field(None, max_length=300)
    postcode: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=150)
    country: str | None = Field(None, min_length=2, max_length=2, pattern="^[A-Z]{2}$")
    website: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=5000)
    figures: FiguresIn | None = Field(None, description="A year's figures; the size category follows.")


class OrganisationIn(OrganisationPatch):
    name: str = Field(..., min_length=1, max_length=300)
    cluster: int | None = Field(None, description="Cluster it joins as a member (required for managers).")
    year: int | None = Field(None, ge=1900, le=2100, description="Membership year (default: this year).")


def _cluster(pk: int | None) -> Cluster | None:
    if pk is None:
        return None
    cluster = Cluster.objects.filter(pk=pk).first()
    if cluster is None:
        raise Problem(422, gettext("cluster: no cluster has id %(id)s") % {"id": pk})
    return cluster


@router.post("", response={201: OrganisationOut}, summary="Create an organisation")
def create_organisation(request, payload: OrganisationIn):
    """Create an organisation (member of `cluster` for `year` when given); audit entry written."""
    user = who(request)
    data = payload.model_dump(exclude_unset=True)
    figures = data.pop("figures", None)
    cluster = _cluster(data.pop("cluster", None))
    year = data.pop("year", None) or current_year()
    try:
        organisation = writes.create_organisation(
            user, data, cluster=cluster, year=year, figures=figures, channel="api")
    except writes.Conflict as error:
        raise Problem(409, str(error)) from error
    return Status(201, row(organisation, level(request, organisation)))


@router.patch("/{int:organisation_id}", response=OrganisationOut, summary="Update an organisation")
def update_organisation(request, organisation_id: int, payload: OrganisationPatch):
    """Change fields; figures for a year recompute the size category; audit entry written."""
    organisation = get_visible(request, Organisation, organisation_id)
    data = payload.model_dump(exclude_unset=True)
    figures = data.pop("figures", None)
    if any(v is None for k, v in data.items() if k in ("name", "kind", "country")):
        raise Problem(422, gettext("name, kind and country cannot be emptied"))
    for text_field in ("address", "postcode", "city", "website", "description", "siret"):
        if text_field in data and data[text_field] is None:
            data[text_field] = ""
    try:
        organisation = writes.update_organisation(who(request), organisation, data, figures=figures, channel="api")
    except writes.Conflict as error:
        raise Problem(409, str(error)) from error
    return row(organisation, level(request, organisation))
