"""Clusters: the directory and profiles (budgets and unpublished contacts at the confidential level); invitations."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from poles.access.invitations import InvitationError, invite
from poles.access.permissions import Level
from poles.access.roles import Role
from poles.api.caller import who
from poles.api.common import get_visible, level
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema
from poles.api.money import Money
from poles.api.problems import Problem
from poles.api.serialize import serialize
from poles.registry.content import localized
from poles.registry.filters import filter_clusters
from poles.registry.models import Cluster, ClusterContact, ClusterYear, Organisation

router = Router(tags=["clusters"])


class ContactOut(Schema):
    role: str
    name: str
    email: str
    phone: str


class ContactFull(ContactOut):
    published: bool


class EUProjectOut(Schema):
    name: str
    programme: str
    ongoing: bool


class YearOut(Schema):
    year: int
    staff_fte: str | None
    international_fte: str | None
    source: str
    budget_membership_fees: Money | None
    budget_services: Money | None
    budget_state: Money | None
    budget_regions: Money | None
    budget_other_public: Money | None
    budget_eu: Money | None


class ClusterPublic(Schema):
    id: int
    name: str
    short_name: str
    slug: str
    siren: str | None
    website: str
    mission: str = Field(description="In the reader's language (Accept-Language), else the other one.")
    mission_language: str = Field(description="The language `mission` is in: fr or en.")
    mission_fr: str
    mission_en: str
    themes: list = Field(description="In the reader's language, else the other one.")
    themes_fr: list
    themes_en: list
    technology_fields: list
    industrial_sectors: list
    ecosystems: list[str]
    regions: list[str]
    head_office: str | None
    status: str
    founded: int | None
    countries_addressed: list
    is_generated: bool
    contacts: list[ContactOut]
    eu_projects: list[EUProjectOut]


class ClusterMembers(ClusterPublic):
    updated_at: str


class ClusterConfidential(ClusterMembers):
    contacts: list[ContactFull]
    years: list[YearOut]


SCHEMAS = {Level.PUBLIC: ClusterPublic, Level.MEMBERS: ClusterMembers,
           Level.CONFIDENTIAL: ClusterConfidential}
ClusterOut = ClusterConfidential | ClusterMembers | ClusterPublic
ClusterPage = page_schema("ClusterPage", ClusterOut)
ORDERINGS = {"name": "name", "short_name": "short_name", "founded": "founded", "status": "status",
             "id": "pk"}


class ClusterQuery(ListQuery):
    region: str | None = Field(None, max_length=100, description="Region INSEE code or slug.")
    theme: str | None = Field(None, max_length=100)
    ecosystem: str | None = Field(None, max_length=40, description="EU industrial ecosystem code.")
    label: str | None = Field(None, max_length=10, description="Excellence label: bronze, silver, gold or any.")
    size: str | None = Field(None, max_length=10, description="small (<100 members), medium (<250), large.")
    status: str | None = Field(None, max_length=10)
    q: str | None = Field(None, max_length=200)


def _contact(c: ClusterContact, full: bool) -> dict:
    data = {"role": c.role, "name": c.name, "email": c.email, "phone": c.phone}
    return data | {"published": c.published} if full else data


def _year(y: ClusterYear) -> dict:
    data = serialize(y, Level.CONFIDENTIAL)
    data.pop("cluster", None)
    return data


def row(c: Cluster, lv: Level) -> dict:
    full = lv >= Level.CONFIDENTIAL
    return serialize(c, lv, special={
        "ecosystems": lambda c: [e.pk for e in c.ecosystems.all()],
        "regions": lambda c: [r.pk for r in c.regions.all()],
        "updated_at": lambda c: c.updated_at.isoformat(),
        "contacts": lambda c: [_contact(x, full) for x in c.contacts.all() if full or x.published],
        "eu_projects": lambda c: [
            {"name": e.name, "programme": e.programme, "ongoing": e.ongoing} for e in c.eu_projects.all()
        ],
        "years": lambda c: [_year(y) for y in c.years.all()],
    }, extra={
        "mission": lambda c: c.mission,
        "mission_language": lambda c: localized(c, "mission").language,
        "themes": lambda c: c.themes,
    })


def prepare(qs, top: Level):
    qs = qs.prefetch_related(
        "ecosystems", "regions", "eu_projects",
        Prefetch("contacts", queryset=ClusterContact.objects.order_by("pk")),
    )
    if top >= Level.CONFIDENTIAL:
        qs = qs.prefetch_related(Prefetch("years", queryset=ClusterYear.objects.order_by("-year")))
    return qs


def _list(request, query, as_csv=False):
    return listing(request, Cluster, query, row=row, schemas=SCHEMAS, filter_fn=filter_clusters,
                   orderings=ORDERINGS, default=["name"], prepare=prepare, csv_name="clusters",
                   as_csv=as_csv)


@router.get("", response=ClusterPage, summary="List clusters")
def list_clusters(request, query: Query[ClusterQuery]):
    """The cluster directory, with the page's filters (region, theme, ecosystem, label, size, q)."""
    return _list(request, query)


@router.get("/export.csv", summary="Export clusters as CSV",
            openapi_extra=CSV_OPENAPI)
def export_clusters(request, query: Query[ClusterQuery]):
    return _list(request, query, as_csv=True)


@router.get("/{int:cluster_id}", response=ClusterOut, summary="One cluster's profile")
def get_cluster(request, cluster_id: int):
    cluster = get_visible(request, prepare(Cluster.objects.all(), Level.CONFIDENTIAL), cluster_id)
    return row(cluster, level(request, cluster))


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    role: Role = Field(Role.MEMBER, description="manager or member")
    organisation: int | None = Field(None, description="The member organisation (role member).")


class InvitationOut(Schema):
    user: int
    email: str
    role: str
    cluster: int
    organisation: int | None
    created_user: bool
    status: str = Field(..., description="active, or awaiting (the consent of a representative or officer).")


@router.post("/{int:cluster_id}/invitations", response={201: InvitationOut},
             summary="Invite a person to the cluster")
def invite_to_cluster(request, cluster_id: int, payload: InvitationIn):
    """A manager invites someone: an inactive account, a grant and a set-password e-mail.

    A representative of an organisation that already has one, or that another cluster supplied or
    counts among its members, waits for consent (`status: awaiting`, see `/consents`).
    """
    user = who(request)
    cluster = get_visible(request, Cluster, cluster_id)
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation).first()
        if organisation is None:
            raise Problem(422, gettext("organisation: no organisation has id %(id)s") % {"id": payload.organisation})
    if user is None:
        raise Problem(403, gettext("Log in first."))
    if payload.role not in (Role.MANAGER, Role.MEMBER):
        raise Problem(422, gettext("A cluster invites managers and member representatives only; the other "
                                   "roles are given from the accounts page."))
    try:
        result = invite(user, cluster, payload.email, payload.role, organisation=organisation, channel="api")
    except InvitationError as error:
        raise Problem(422, str(error)) from error
    return Status(201, {"user": result.user.pk, "email": result.user.email, "role": result.grant.role,
                        "cluster": cluster.pk, "organisation": result.grant.organisation_id,
                        "created_user": result.created_user, "status": result.grant.status})
