"""Memberships: list, export, detail; create, update fee status, renew a year into the next."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from poles.access import writes
from poles.access.permissions import Level
from poles.api.caller import who
from poles.api.common import get_visible, level
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money
from poles.api.problems import Problem
from poles.api.schemas import RenewalOut
from poles.api.serialize import serialize
from poles.registry.filters import filter_memberships
from poles.registry.models import Cluster, Membership, Organisation

router = Router(tags=["memberships"])


class MembershipPublic(Schema):
    id: int
    organisation: int
    cluster: int
    year: int
    organisation_name: str


class MembershipMembers(MembershipPublic):
    status: str
    source: str


class MembershipConfidential(MembershipMembers):
    fee_invoiced: Money | None
    fee_paid: Money | None


SCHEMAS = {Level.PUBLIC: MembershipPublic, Level.MEMBERS: MembershipMembers,
           Level.CONFIDENTIAL: MembershipConfidential}
MembershipOut = MembershipConfidential | MembershipMembers | MembershipPublic
MembershipPage = page_schema("MembershipPage", MembershipOut)
ORDERINGS = {"year": "year", "organisation": "organisation__name", "status": "status",
             "cluster": "cluster__name", "fee_invoiced": "fee_invoiced", "fee_paid": "fee_paid", "id": "pk"}


class MembershipQuery(ListQuery):
    cluster: str | None = Field(None, max_length=80, description="Cluster id or slug.")
    organisation: int | None = None
    year: int | None = Field(None, ge=1900, le=2100)
    status: str | None = Field(None, max_length=10)
    region: str | None = Field(None, max_length=3, description="The member's region (INSEE code).")
    size: str | None = Field(None, max_length=10)
    q: str | None = Field(None, max_length=200)


def row(m: Membership, lv: Level) -> dict:
    return serialize(m, lv, extra={"organisation_name": lambda m: m.organisation_name})


def _base():
    return Membership.objects.annotate(organisation_name=F("organisation__name"))


def _list(request, query, as_csv=False):
    return listing(request, Membership, query, row=row, schemas=SCHEMAS,
                   filter_fn=filter_memberships, orderings=ORDERINGS,
                   default=["-year", "pk"], csv_name="memberships",
                   as_csv=as_csv, prepare=lambda qs, top: qs.annotate(organisation_name=F("organisation__name")))


@router.get("", response=MembershipPage, summary="List memberships")
def list_memberships(request, query: Query[MembershipQuery]):
    """Memberships the caller may see (their clusters' or their organisation's); fees at the confidential level."""
    return _list(request, query)


@router.get("/export.csv", summary="Export memberships as CSV",
            openapi_extra=CSV_OPENAPI)
def export_memberships(request, query: Query[MembershipQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{int:membership_id}", response=MembershipOut, summary="One membership")
def get_membership(request, membership_id: int):
    m = get_visible(request, _base(), membership_id)
    return row(m, level(request, m))


class MembershipPatch(Schema):
    status: Membership.Status | None = None
    fee_invoiced: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)
    fee_paid: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2)


class MembershipIn(MembershipPatch):
    organisation: int
    cluster: int
    year: int = Field(..., ge=1900, le=2100)


def _fetch(model, pk: int, name: str):
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Problem(422, gettext("%(field)s: no %(model)s has id %(id)s") % {"field": name, "model": model._meta.verbose_name, "id": pk})
    return obj


@router.post("", response={201: MembershipOut}, summary="Create a membership")
def create_membership(request, payload: MembershipIn):
    user = who(request)
    organisation = _fetch(Organisation, payload.organisation, "organisation")
    cluster = _fetch(Cluster, payload.cluster, "cluster")
    data = payload.model_dump(exclude_unset=True, include={"status", "fee_invoiced", "fee_paid"})
    try:
        m = writes.create_membership(user, organisation, cluster, payload.year, data, channel="api")
    except writes.Conflict as error:
        raise Problem(409, str(error)) from error
    m = _base().get(pk=m.pk)
    return Status(201, row(m, level(request, m)))


@router.patch("/{int:membership_id}", response=MembershipOut, summary="Update a membership's fee status")
def update_membership(request, membership_id: int, payload: MembershipPatch):
    m = get_visible(request, _base(), membership_id)
    writes.update_membership(who(request), m, payload.model_dump(exclude_unset=True), channel="api")
    return row(m, level(request, m))


class RenewalIn(Schema):
    cluster: int
    from_year: int = Field(..., ge=1900, le=2099)
    to_year: int | None = Field(None, ge=1901, le=2100)


@router.post("/renewals", response={201: RenewalOut}, summary="Renew a cluster's year into the next")
def renew(request, payload: RenewalIn):
    """Current members of `from_year` become pending members of the next year (fees invoiced kept)."""
    user = who(request)
    cluster = get_visible(request, Cluster, payload.cluster)
    created, skipped = writes.renew_memberships(
        user, cluster, payload.from_year, payload.to_year, channel="api")
    return Status(201, {"cluster": cluster.pk, "from_year": payload.from_year,
                        "to_year": payload.to_year or payload.from_year + 1,
                        "created": created, "skipped": skipped})
