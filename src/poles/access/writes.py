"""Register writes shared by pages and API: permission check, validation, save, audit entry."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from poles.access.permissions import check, filed_under
from poles.core import audit
from poles.core.changes import announce
from poles.projects.models import Project
from poles.registry.identifiers import InvalidIdentifier, clean_siren, clean_siret
from poles.registry.models import Cluster, Label, Membership, Organisation, OrganisationFigures
from poles.registry.names import name_key
from poles.registry.programme import current_year, validate_year
from poles.registry.services import refresh_size_categories

ORGANISATION_FIELDS = (
    "name", "siren", "siret", "pic", "kind", "naf_id", "address", "postcode", "city", "country",
    "website", "description", "region_name",
)
MEMBERSHIP_FIELDS = ("status", "fee_invoiced", "fee_paid")
PROJECT_FIELDS = (
    "title", "summary", "kind", "status", "start_date", "end_date", "total_cost", "rd_expenditure",
    "researchers", "products_to_market", "patents", "jobs_created", "is_public", "programme",
)


MONEY_FIELDS = {"fee_invoiced", "fee_paid", "total_cost", "rd_expenditure", "turnover", "balance_sheet"}
CENT = Decimal("0.01")


def _cents(data: dict) -> dict:
    """Money values rounded to the cent, as the database stores them (so diffs compare equal)."""
    return {
        k: (Decimal(v).quantize(CENT) if k in MONEY_FIELDS and v is not None else v)
        for k, v in data.items()
    }


class Conflict(ValueError):
    """The write would duplicate an existing row (the message names it)."""


def _identifiers(data: dict) -> dict:
    """SIREN and SIRET cleaned of spaces and checked (Luhn), as field errors when wrong."""
    errors = {}
    for name, clean in (("siren", clean_siren), ("siret", clean_siret)):
        value = data.get(name)
        if value in (None, ""):
            data[name] = None if name == "siren" else ""
            continue
        try:
            data[name] = clean(value)
        except InvalidIdentifier as error:
            errors[name] = [str(error)]
    if data.get("siren") and data.get("siret") and not data["siret"].startswith(data["siren"]):
        errors["siret"] = [_("SIRET %(siret)s does not belong to SIREN %(siren)s.")
                           % {"siret": data["siret"], "siren": data["siren"]}]
    if errors:
        raise ValidationError(errors)
    return data


def apply_figures(organisation: Organisation, figures: dict) -> OrganisationFigures:
    """Store a year's figures (the size category follows through `_refresh_category`)."""
    year = figures.get("year")
    if not year:
        raise ValidationError({"figures.year": [_("The figures' year is required.")]})
    try:
        validate_year(int(year))
    except ValidationError as error:
        raise ValidationError({"figures.year": error.messages}) from error
    row, _created = OrganisationFigures.objects.update_or_create(
        organisation=organisation, year=year,
        defaults=_cents({k: figures.get(k) for k in ("staff", "turnover", "balance_sheet")}),
    )
    return row


def _refresh_category(organisation: Organisation) -> None:
    """The stored size category by the register's one rule (kind, latest figures, group links)."""
    refresh_size_categories([organisation.pk])
    organisation.refresh_from_db(fields=["size_category", "size_year"])


@transaction.atomic
def create_organisation(
    user, data: dict, *, cluster: Cluster | None = None, year: int | None = None,
    figures: dict | None = None, channel: str = "page",
) -> Organisation:
    """A new organisation (and its membership of `cluster` for `year` when given)."""
    check(user, "create", Organisation, cluster=cluster)
    data = _identifiers({k: v for k, v in data.items() if k in ORGANISATION_FIELDS})
    if data.get("siren") and Organisation.objects.filter(siren=data["siren"]).exists():
        existing = Organisation.objects.get(siren=data["siren"])
        raise Conflict(_("An organisation with SIREN %(siren)s exists already (id %(id)s).")
                       % {"siren": data["siren"], "id": existing.pk})
    key = f"siren:{data['siren']}" if data.get("siren") else name_key(data.get("name", ""), data.get("city", ""))
    if Organisation.objects.filter(key=key).exists():
        raise Conflict(_("An organisation with key “%(key)s” exists already.") % {"key": key})
    organisation = Organisation(key=key, supplied_by=cluster, **data)
    organisation.full_clean()
    organisation.save()
    if figures:
        apply_figures(organisation, figures)
        _refresh_category(organisation)
    audit.record(user, "create", organisation, audit.diff({}, audit.snapshot(organisation)), channel,
                 cluster_id=cluster.pk if cluster else None)
    if cluster is not None:
        membership = Membership(organisation=organisation, cluster=cluster, year=year or current_year())
        membership.full_clean()
        membership.save()
        audit.record(user, "create", membership, audit.diff({}, audit.snapshot(membership)), channel)
    return organisation


@transaction.atomic
def update_organisation(user, organisation: Organisation, data: dict, *,
                        figures: dict | None = None, channel: str = "page") -> Organisation:
    """Change an organisation's fields (and a year's figures, recomputing its size category)."""
    check(user, "change", organisation)
    before = audit.snapshot(organisation)
    data = {k: v for k, v in data.items() if k in ORGANISATION_FIELDS}
    if "siren" in data or "siret" in data:
        merged = _identifiers({"siren": organisation.siren, "siret": organisation.siret, **data})
        data.update(siren=merged["siren"], siret=merged["siret"])
        if data["siren"] and Organisation.objects.filter(siren=data["siren"]).exclude(pk=organisation.pk).exists():
            raise Conflict(_("Another organisation has SIREN %(siren)s.") % {"siren": data["siren"]})
    for name, value in data.items():
        setattr(organisation, name, value)
    figures_before = None
    if figures:
        figures_before = OrganisationFigures.objects.filter(
            organisation=organisation, year=figures.get("year")).first()
        figures_before = audit.snapshot(figures_before) if figures_before else {}
    organisation.full_clean(exclude=["key"])
    if figures:
        row = apply_figures(organisation, figures)
        audit.record(user, "update" if figures_before else "create", row,
                     audit.diff(figures_before, audit.snapshot(row)), channel,
                     cluster_id=filed_under(row, user))
    organisation.save()
    _refresh_category(organisation)
    changes = audit.diff(before, audit.snapshot(organisation))
    if changes:
        audit.record(user, "update", organisation, changes, channel,
                     cluster_id=filed_under(organisation, user))
    return organisation


@transaction.atomic
def create_membership(user, organisation: Organisation, cluster: Cluster, year: int, data: dict,
                      *, channel: str = "page") -> Membership:
    """A membership of `organisation` in `cluster` for `year`."""
    check(user, "create", Membership, cluster=cluster)
    if Membership.objects.filter(organisation=organisation, cluster=cluster, year=year).exists():
        raise Conflict(_("%(organisation)s is already a member of %(cluster)s in %(year)s.")
                       % {"organisation": organisation, "cluster": cluster, "year": year})
    membership = Membership(organisation=organisation, cluster=cluster, year=year,
                            **{k: v for k, v in _cents(data).items() if k in MEMBERSHIP_FIELDS and v is not None})
    membership.full_clean()
    membership.save()
    audit.record(user, "create", membership, audit.diff({}, audit.snapshot(membership)), channel)
    return membership


@transaction.atomic
def update_membership(user, membership: Membership, data: dict, *, channel: str = "page") -> Membership:
    """Change a membership's status and fees."""
    check(user, "change", membership)
    before = audit.snapshot(membership)
    for name, value in _cents(data).items():
        if name in MEMBERSHIP_FIELDS and value is not None:
            setattr(membership, name, value)
    membership.full_clean()
    membership.save()
    changes = audit.diff(before, audit.snapshot(membership))
    if changes:
        audit.record(user, "update", membership, changes, channel)
    return membership


@transaction.atomic
def renew_memberships(user, cluster: Cluster, from_year: int, to_year: int | None = None,
                      *, channel: str = "page") -> tuple[int, int]:
    """Carry a year's current members into the next year as pending, same fee invoiced, nothing paid.

    Returns (created, skipped): members already present in the target year are left as they are.
    """
    check(user, "create", Membership, cluster=cluster)
    to_year = to_year or from_year + 1
    if to_year <= from_year:
        raise ValidationError({"to_year": [_("Must come after %(from)s, found %(to)s.") % {"from": from_year, "to": to_year}]})
    try:
        validate_year(to_year)
    except ValidationError as error:
        raise ValidationError({"to_year": error.messages}) from error
    source = Membership.objects.filter(
        cluster=cluster, year=from_year,
        status__in=[Membership.Status.MEMBER, Membership.Status.PENDING],
    )
    already = set(Membership.objects.filter(cluster=cluster, year=to_year).values_list("organisation_id", flat=True))
    created = skipped = 0
    for old in source:
        if old.organisation_id in already:
            skipped += 1
            continue
        new = Membership.objects.create(
            organisation_id=old.organisation_id, cluster=cluster, year=to_year,
            status=Membership.Status.PENDING, fee_invoiced=old.fee_invoiced, fee_paid=Decimal(0),
        )
        audit.record(user, "create", new, {"renewed_from": [None, from_year]}, channel)
        created += 1
    return created, skipped


@transaction.atomic
def update_project(user, project: Project, data: dict, *, channel: str = "page") -> Project:
    """Change a project's description, status, dates, figures or publication."""
    check(user, "change", project)
    before = audit.snapshot(project)
    for name, value in _cents(data).items():
        if name in PROJECT_FIELDS:
            setattr(project, name, value)
    project.full_clean()
    project.save()
    changes = audit.diff(before, audit.snapshot(project))
    if changes:
        audit.record(user, "update", project, changes, channel, cluster_id=filed_under(project, user))
    return project


LABEL_FIELDS = ("level", "issuer", "awarded", "expires", "name")
EXCELLENCE_NAME = "Cluster Management Excellence Label"
"""The ESCA label's name as the sources write it (translated on pages)."""


@transaction.atomic
def save_cluster_label(user, cluster: Cluster, data: dict, *, label: Label | None = None,
                       channel: str = "page") -> Label:
    """Record (or correct) a cluster's excellence label: level, issuer, award and expiry dates."""
    if label is None:
        check(user, "create", Label, cluster=cluster)
        label = Label(kind=Label.Kind.EXCELLENCE, cluster=cluster, name=EXCELLENCE_NAME)
        before: dict = {}
    else:
        check(user, "change", label)
        before = audit.snapshot(label)
    for name, value in data.items():
        if name in LABEL_FIELDS and value is not None:
            setattr(label, name, value)
    if "expires" in data and data["expires"] is None:
        label.expires = None
    label.full_clean()
    label.save()
    changes = audit.diff(before, audit.snapshot(label))
    if changes:
        audit.record(user, "update" if before else "create", label, changes, channel, cluster_id=cluster.pk)
    return label


@transaction.atomic
def delete_cluster_label(user, label: Label, *, channel: str = "page") -> None:
    """Remove a cluster's excellence label recorded by mistake (audited)."""
    check(user, "change", label)
    before = audit.snapshot(label)
    cluster_id = label.cluster_id
    audit.record(user, "delete", label, audit.diff(before, {}), channel, cluster_id=cluster_id)
    label.delete()
    announce()  # deletions announce themselves (the profile shows the labels)
