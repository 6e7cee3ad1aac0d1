"""Which fields of each model are public, members-only or confidential.

One table read by the pages, the API, the exports and search: a reader gets the fields of the
levels up to the one `permissions.level_for` gives them on the object, never more.
"""

from __future__ import annotations

from enum import IntEnum

from django.db.models import Model

from poles.projects.models import Call, Funding, Participation, Project, ProjectCluster
from poles.registry.models import (
    Certification,
    Cluster,
    ClusterContact,
    ClusterEUProject,
    ClusterYear,
    Label,
    Membership,
    Organisation,
    OrganisationFigures,
)


class Level(IntEnum):
    """How far a reader sees into an object: each level includes the ones below."""

    PUBLIC = 0
    MEMBERS = 1
    CONFIDENTIAL = 2


P, M, C = Level.PUBLIC, Level.MEMBERS, Level.CONFIDENTIAL

FIELDS: dict[type[Model], dict[str, Level]] = {
    Cluster: {
        "id": P, "name": P, "short_name": P, "slug": P, "siren": P, "website": P, "mission_fr": P,
        "mission_en": P, "themes_fr": P, "themes_en": P, "technology_fields": P, "industrial_sectors": P, "ecosystems": P,
        "regions": P, "head_office": P, "status": P, "founded": P, "countries_addressed": P,
        "is_generated": P, "contacts": P, "eu_projects": P, "updated_at": M, "years": C,
    },
    ClusterYear: {
        "cluster": P, "year": P, "staff_fte": P, "international_fte": P,
        "budget_membership_fees": C, "budget_services": C, "budget_state": C,
        "budget_regions": C, "budget_other_public": C, "budget_eu": C, "source": M,
    },
    ClusterContact: {
        "cluster": P, "role": P, "name": P, "email": P, "phone": P, "published": C,
    },
    ClusterEUProject: {"cluster": P, "name": P, "programme": P, "ongoing": P},
    Certification: {
        "cluster": P, "phase": P, "decision_date": P, "duration_years": P, "outcome": P,
        "conditions": C,
    },
    Label: {
        "kind": P, "name": P, "level": P, "issuer": P, "awarded": P, "expires": P,
        "cluster": P, "organisation": P,
    },
    Organisation: {
        "id": P, "name": P, "key": P, "siren": P, "pic": P, "kind": P, "size_category": P,
        "size_year": P, "naf": P, "postcode": P, "city": P, "commune": P, "region_name": P,
        "country": P, "website": P, "description": P, "is_generated": P,
        "siret": M, "address": M, "group_head": M, "identifiers": M, "source": M, "supplied_by": M, "group_share": M,
        "updated_at": M,
        "figures": C,
    },
    OrganisationFigures: {
        "organisation": C, "year": C, "staff": C, "turnover": C, "balance_sheet": C, "source": C,
    },
    Membership: {
        "id": P, "organisation": P, "cluster": P, "year": P,
        "status": M, "source": M,
        "fee_invoiced": C, "fee_paid": C,
    },
    Project: {
        "id": P, "key": P, "acronym": P, "title": P, "summary": P, "kind": P, "status": P,
        "start_date": P, "end_date": P, "call": P, "programme": P, "clusters": P,
        "is_generated": P,
        "researchers": M, "products_to_market": M, "patents": M, "jobs_created": M,
        "is_public": M, "source": M,
        "total_cost": C, "rd_expenditure": C,
    },
    ProjectCluster: {"project": P, "cluster": P, "role": P, "year": P},
    Participation: {
        "id": P, "project": P, "organisation": P, "role": P,
        "activity_type": M, "source": M,
        "budget": C, "aid": C,
    },
    Funding: {
        "id": P, "project": P, "funder": P, "funder_detail": P, "instrument": P, "date": P,
        "year": P, "source": M,
        "amount": C,
    },
    Call: {
        "id": P, "code": P, "funder": P, "programme": P, "title": P, "description": P,
        "opens": P, "closes": P, "budget": P, "url": P, "source": P, "is_generated": P,
    },
}


def fields_at(model: type[Model], level: Level) -> list[str]:
    """The fields of `model` a reader at `level` may read, in declaration order."""
    return [name for name, needed in FIELDS[model].items() if needed <= level]


def level_of_field(model: type[Model], name: str) -> Level:
    """The level needed to read one field (an unknown field is confidential: closed by default)."""
    return FIELDS.get(model, {}).get(name, Level.CONFIDENTIAL)


def readable_fields(user, obj: Model) -> list[str]:
    """The fields of `obj` that `user` may read."""
    from poles.access.permissions import level_for

    return fields_at(type(obj), level_for(user, obj))
