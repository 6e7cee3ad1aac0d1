"""The audit trail as people read it: who, when, which object by its name, what changed in words.

Entries are stored as structured data (`AuditEntry.changes` = {field: [old, new]} with raw values:
codes, ids, decimals as strings); this module renders them in the reader's language — field and
model names translated, choice labels instead of codes, related objects by name, money in euros,
nothing as "—".
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from poles.core.filtering import row_id
from poles.core.models import AuditEntry, Source

NOTHING = "—"
IMPORT_PREFIX = "import:"
SKIPPED = {"id", "created_at", "updated_at", "digest", "key"}
"""Fields never shown: identifiers and technical values a reader cannot act on."""

FIELD_LABELS = {
    "name": gettext_lazy("name"), "short_name": gettext_lazy("short name"),
    "siren": gettext_lazy("SIREN"), "siret": gettext_lazy("SIRET"), "pic": gettext_lazy("PIC"),
    "identifiers": gettext_lazy("other identifiers"), "kind": gettext_lazy("kind"),
    "size_category": gettext_lazy("size category"), "size_year": gettext_lazy("year of the size category"),
    "group_head": gettext_lazy("group head"), "group_share": gettext_lazy("share held by the group"),
    "naf": gettext_lazy("NAF code"), "address": gettext_lazy("address"), "postcode": gettext_lazy("postcode"),
    "city": gettext_lazy("city"), "commune": gettext_lazy("commune"), "region_name": gettext_lazy("region"),
    "country": gettext_lazy("country"), "website": gettext_lazy("website"),
    "description": gettext_lazy("description"), "source": gettext_lazy("source"),
    "supplied_by": gettext_lazy("supplied by"), "is_generated": gettext_lazy("demo data"),
    "organisation": gettext_lazy("organisation"), "cluster": gettext_lazy("cluster"),
    "year": gettext_lazy("year"), "status": gettext_lazy("status"),
    "fee_invoiced": gettext_lazy("fee invoiced"), "fee_paid": gettext_lazy("fee paid"),
    "staff": gettext_lazy("headcount"), "turnover": gettext_lazy("turnover"),
    "balance_sheet": gettext_lazy("balance sheet total"),
    "acronym": gettext_lazy("acronym"), "title": gettext_lazy("title"), "summary": gettext_lazy("summary"),
    "start_date": gettext_lazy("start date"), "end_date": gettext_lazy("end date"),
    "total_cost": gettext_lazy("total cost"), "rd_expenditure": gettext_lazy("R&D expenditure"),
    "researchers": gettext_lazy("researchers"), "call": gettext_lazy("call for projects"),
    "programme": gettext_lazy("programme"), "products_to_market": gettext_lazy("products brought to market"),
    "patents": gettext_lazy("patents"), "jobs_created": gettext_lazy("jobs created"),
    "is_public": gettext_lazy("public"), "project": gettext_lazy("project"), "funder": gettext_lazy("funder"),
    "funder_detail": gettext_lazy("funder (detail)"), "instrument": gettext_lazy("instrument"),
    "amount": gettext_lazy("amount"), "date": gettext_lazy("date"), "role": gettext_lazy("role"),
    "activity_type": gettext_lazy("activity type"), "source_role": gettext_lazy("role in the source"),
    "source_refs": gettext_lazy("references in the source"), "budget": gettext_lazy("budget"),
    "aid": gettext_lazy("aid"), "owner": gettext_lazy("owner"), "prefix": gettext_lazy("prefix"),
    "created": gettext_lazy("created"), "last_used": gettext_lazy("last used"),
    "revoked": gettext_lazy("revoked"), "user": gettext_lazy("account"), "region": gettext_lazy("region"),
    "created_by": gettext_lazy("created by"), "decided_by": gettext_lazy("decided by"),
    "decided_at": gettext_lazy("decided on"), "renewed_from": gettext_lazy("renewed from the year"),
    "mission_fr": gettext_lazy("mission (French)"), "mission_en": gettext_lazy("mission (English)"),
    "themes_fr": gettext_lazy("themes (French)"), "themes_en": gettext_lazy("themes (English)"),
}
"""Field names in the reader's language, by field name (the same name means the same thing)."""

MODEL_NAMES = {
    "registry.Organisation": gettext_lazy("organisation"), "registry.Membership": gettext_lazy("membership"),
    "registry.OrganisationFigures": gettext_lazy("organisation figures"),
    "registry.Cluster": gettext_lazy("cluster"), "projects.Project": gettext_lazy("project"),
    "projects.Funding": gettext_lazy("funding"), "projects.Participation": gettext_lazy("participation"),
    "access.ApiToken": gettext_lazy("API token"), "access.Grant": gettext_lazy("role"),
}
CHANNELS = {
    "page": gettext_lazy("web page"), "api": gettext_lazy("API"), "import": gettext_lazy("import"),
    "admin": gettext_lazy("administration"), "cli": gettext_lazy("command line"),
}


@dataclass
class Change:
    """One field's change in words."""

    field: str
    old: str
    new: str


@dataclass
class Entry:
    """An audit entry as the page shows it."""

    at: dt.datetime
    who: str
    channel: str
    action: str
    kind: str
    name: str
    changes: list[Change] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def person(user) -> str:
    """Who: the full name and e-mail, the e-mail, or the login; "system" for no account."""
    if user is None:
        return _("system")
    full, email = user.get_full_name().strip(), (user.email or "").strip()
    if full and email:
        return f"{full} ({email})"
    return full or email or user.get_username()


def model_of(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_name(label: str) -> str:
    """The kind of object in the reader's language ("adhésion"); for an import run, its source."""
    if label.startswith(IMPORT_PREFIX):
        source = label[len(IMPORT_PREFIX):]
        return str(dict(Source.choices).get(source, source))
    if label in MODEL_NAMES:
        return str(MODEL_NAMES[label])
    model = model_of(label)
    return str(model._meta.verbose_name) if model else label


def field_of(model: type[models.Model] | None, name: str) -> models.Field | None:
    """The concrete field stored under `name` (a field name or its attname)."""
    if model is None:
        return None
    for f in model._meta.concrete_fields:
        if name in (f.name, f.attname):
            return f
    return None


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The field's name in the reader's language."""
    f = field_of(model, name)
    key = f.name if f is not None else name
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    return str(f.verbose_name) if f is not None else name.replace("_", " ")


def _number(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money(value: Any) -> str:
    """An amount in euros as the pages write money (1 200 € / €1,200), cents only when there are some."""
    from poles.web.templatetags.web import eur

    number = _number(value)
    if number is None:
        return str(value)
    return eur(number, 0 if number == number.to_integral_value() else 2)


def _date(value: Any, with_time: bool) -> str:
    try:
        moment = dt.datetime.fromisoformat(str(value)) if with_time else dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT" if with_time else "SHORT_DATE_FORMAT")


def value_text(f: models.Field | None, value: Any, names: dict[tuple[Any, str], str]) -> str:
    """One stored value in words: a choice's label, a related object's name, euros, a date, yes/no."""
    if value is None or value == "" or value == []:
        return NOTHING
    if f is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if f.is_relation:
        return names.get((f.related_model, str(value)), f"#{value}")
    if isinstance(f, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(f, models.DecimalField):
        if f.decimal_places == 2 and f.max_digits >= 14:
            return money(value)
        number = _number(value)
        return formats.number_format(number, use_l10n=True, force_grouping=True) if number is not None else str(value)
    if isinstance(f, models.DateTimeField):
        return _date(value, True)
    if isinstance(f, models.DateField):
        return _date(value, False)
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, int) and not isinstance(value, bool) and f.name != "year":
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def object_names(wanted: dict[type[models.Model], set[str]]) -> dict[tuple[Any, str], str]:
    """{(model, pk): readable name} for the objects entries name, in one query per model."""
    names: dict[tuple[Any, str], str] = {}
    for model, pks in wanted.items():
        clean = [pk for pk in pks if row_id(pk) is not None]
        qs = model._default_manager.filter(pk__in=clean)
        if model._meta.label == "registry.Membership":
            qs = qs.select_related("organisation", "cluster")
        elif model._meta.label == "registry.OrganisationFigures":
            qs = qs.select_related("organisation")
        for obj in qs:
            names[model, str(obj.pk)] = readable_name(obj)
    return names


def readable_name(obj: models.Model) -> str:
    """An object's name for a reader: memberships and figures by organisation, cluster and year."""
    label = obj._meta.label
    if label == "registry.Membership":
        return _("%(organisation)s in %(cluster)s, %(year)s") % {
            "organisation": obj.organisation.name, "cluster": obj.cluster.name, "year": obj.year}
    if label == "registry.OrganisationFigures":
        return _("%(organisation)s, figures of %(year)s") % {"organisation": obj.organisation.name, "year": obj.year}
    if label == "access.ApiToken":
        return obj.name
    if label == "auth.User":
        return person(obj)
    return str(obj)


def describe(entries: Iterable[AuditEntry]) -> list[Entry]:
    """The entries (users selected) in words, with the objects and related values they name."""
    from poles.imports.base import summary

    entries = list(entries)
    wanted: dict[type[models.Model], set[str]] = defaultdict(set)
    for e in entries:
        model = model_of(e.model) if not e.model.startswith(IMPORT_PREFIX) else None
        if model is None:
            continue
        wanted[model].add(e.object_pk)
        for name, change in (e.changes or {}).items():
            f = field_of(model, name)
            if f is not None and f.is_relation and isinstance(change, list):
                wanted[f.related_model].update(str(v) for v in change if v not in (None, ""))
    names = object_names(wanted)
    out = []
    for e in entries:
        model = model_of(e.model) if not e.model.startswith(IMPORT_PREFIX) else None
        entry = Entry(
            at=e.at, who=person(e.user), channel=str(CHANNELS.get(e.channel, e.channel)),
            action=e.get_action_display(), kind=model_name(e.model),
            name=names.get((model, e.object_pk), e.object_repr or e.object_pk),
        )
        if model is None:
            entry.lines = summary(e.changes or {})
        else:
            for name, change in (e.changes or {}).items():
                f = field_of(model, name)
                if (f.name if f else name) in SKIPPED or not isinstance(change, list) or len(change) != 2:
                    continue
                entry.changes.append(Change(
                    field_label(model, name), value_text(f, change[0], names), value_text(f, change[1], names)))
        out.append(entry)
    return out
