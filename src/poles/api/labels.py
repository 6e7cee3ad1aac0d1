"""Excellence labels of clusters: list (public, like the profiles), follow-up for the programme
(expiring within 90 days, phase requirement not met), and the managers' writes."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status

from poles.access import writes
from poles.access.permissions import Level, visible
from poles.access.roles import scope_of
from poles.api.caller import who
from poles.api.common import get_visible
from poles.api.lists import CSV_OPENAPI, ListQuery, listing, page_schema, wants_csv
from poles.core.filtering import FilterError, is_digits, row_id
from poles.core.tables import MACHINE, csv_text
from poles.registry.labelrules import EXPIRY_WINDOW_DAYS, LEVELS
from poles.registry.labelstatus import expiring_labels, missing_requirements
from poles.registry.models import Cluster, Label

router = Router(tags=["labels"])


class LabelOut(Schema):
    id: int
    cluster: int
    cluster_slug: str
    cluster_name: str
    level: str
    issuer: str
    awarded: dt.date
    expires: dt.date | None


LabelPage = page_schema("LabelPage", LabelOut)
ORDERINGS = {"awarded": "awarded", "expires": "expires", "level": "level", "cluster": "cluster__name", "id": "pk"}


class LabelQuery(ListQuery):
    cluster: str | None = Field(None, max_length=80, description="Cluster id or slug.")
    level: str | None = Field(None, max_length=6, description="bronze, silver or gold.")
    valid_on: dt.date | None = Field(None, description="Only labels in force on this day (ISO 8601).")


def row(lb: Label, lv: Level = Level.PUBLIC) -> dict:
    return {"id": lb.pk, "cluster": lb.cluster_id, "cluster_slug": lb.cluster_slug, "cluster_name": lb.cluster_name,
            "level": lb.level, "issuer": lb.issuer, "awarded": lb.awarded, "expires": lb.expires}


def _base():
    return (Label.objects.filter(kind=Label.Kind.EXCELLENCE, cluster__isnull=False)
            .annotate(cluster_slug=F("cluster__slug"), cluster_name=F("cluster__name")))


def _filter(qs, params: dict):
    if cluster := params.get("cluster"):
        number = row_id(str(cluster))
        qs = qs.filter(cluster_id=number) if number is not None else (
            qs.none() if is_digits(str(cluster)) else qs.filter(cluster__slug=cluster))
    if level := params.get("level"):
        if level not in LEVELS:
            raise FilterError(gettext("level: expected one of %(choices)s; found “%(found)s”")
                              % {"choices": ", ".join(LEVELS), "found": level})
        qs = qs.filter(level=level)
    if on := params.get("valid_on"):
        qs = qs.filter(awarded__lte=on).exclude(expires__lt=on)
    return qs


def _list(request, query, as_csv=False):
    return listing(request, Label, query, row=row, schemas={Level.PUBLIC: LabelOut}, filter_fn=_filter,
                   orderings=ORDERINGS, default=["cluster", "-awarded"], csv_name="labels", as_csv=as_csv,
                   base=_base(), prepare=lambda qs, top: qs.annotate(
                       cluster_slug=F("cluster__slug"), cluster_name=F("cluster__name")))


@router.get("", response=LabelPage, summary="List excellence labels")
def list_labels(request, query: Query[LabelQuery]):
    """The clusters' excellence labels (public, as on the profiles)."""
    return _list(request, query)


@router.get("/export.csv", summary="Export excellence labels as CSV", openapi_extra=CSV_OPENAPI)
def export_labels(request, query: Query[LabelQuery]):
    return _list(request, query, as_csv=True)


class ExpiringOut(Schema):
    label: int
    cluster: int
    cluster_name: str
    level: str
    expires: dt.date
    days_left: int


class MissingOut(Schema):
    cluster: int
    cluster_name: str
    phase: str
    required: str
    held: str
    checked_on: dt.date


class FollowUpOut(Schema):
    date: dt.date
    window_days: int
    expiring: list[ExpiringOut]
    missing: list[MissingOut]


def _programme_ids(request) -> list[int]:
    scope = scope_of(who(request))
    if not scope.is_authenticated:
        raise PermissionDenied(gettext("Log in first."))
    qs = visible(who(request), Cluster)
    if scope.sees_all:
        return list(qs.values_list("pk", flat=True))
    if scope.region_codes:
        return list(qs.filter(pk__in=sorted(scope.regional_cluster_ids)).values_list("pk", flat=True))
    raise PermissionDenied(gettext("The follow-up of labels is for national and regional officers."))


@router.get("/follow-up", response=FollowUpOut, summary="Labels expiring soon and requirements not met",
            openapi_extra={"responses": {200: {"content": {"application/json": {}, "text/csv": {}}}}})
def label_follow_up(request, window: int = Query(EXPIRY_WINDOW_DAYS, ge=0, le=3650),
                    list_name: str = Query("expiring", alias="list", pattern="^(expiring|missing)$")):
    """For programme officers (their clusters for a regional officer). `?format=csv&list=expiring|missing` gives one list as CSV."""
    ids = _programme_ids(request)
    today = dt.date.today()
    expiring = [{"label": e.label.pk, "cluster": e.cluster.pk, "cluster_name": e.cluster.name, "level": e.label.level,
                 "expires": e.label.expires, "days_left": e.days_left} for e in expiring_labels(ids, today, window)]
    missing = [{"cluster": m.cluster.pk, "cluster_name": m.cluster.name, "phase": m.phase_code, "required": m.required,
                "held": m.held, "checked_on": m.checked_on} for m in missing_requirements(ids, today)]
    if wants_csv(request):
        rows = expiring if list_name == "expiring" else missing
        columns = list((ExpiringOut if list_name == "expiring" else MissingOut).model_fields)
        response = HttpResponse(csv_text(columns, ([r[c] for c in columns] for r in rows), MACHINE),
                                content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="labels-{list_name}.csv"'
        return response
    return {"date": today, "window_days": window, "expiring": expiring, "missing": missing}


class LabelIn(Schema):
    level: str = Field(..., pattern="^(bronze|silver|gold)$")
    issuer: str = Field(..., min_length=1, max_length=150)
    awarded: dt.date
    expires: dt.date | None = None


class LabelPatch(Schema):
    level: str | None = Field(None, pattern="^(bronze|silver|gold)$")
    issuer: str | None = Field(None, min_length=1, max_length=150)
    awarded: dt.date | None = None
    expires: dt.date | None = None


def _one(request, label_id: int) -> Label:
    return get_visible(request, _base(), label_id)


@router.post("/clusters/{int:cluster_id}", response={201: LabelOut}, summary="Record a cluster's excellence label")
def create_label(request, cluster_id: int, payload: LabelIn):
    """The cluster's managers (and programme officers) record a label; the expiry must come after the award."""
    cluster = get_visible(request, Cluster, cluster_id)
    saved = writes.save_cluster_label(who(request), cluster, payload.model_dump(), channel="api")
    return Status(201, row(_base().get(pk=saved.pk)))


@router.patch("/{int:label_id}", response=LabelOut, summary="Correct an excellence label")
def update_label(request, label_id: int, payload: LabelPatch):
    label = _one(request, label_id)
    saved = writes.save_cluster_label(who(request), label.cluster, payload.model_dump(exclude_unset=True),
                                      label=label, channel="api")
    return row(_base().get(pk=saved.pk))


@router.delete("/{int:label_id}", response={204: None}, summary="Remove an excellence label")
def delete_label(request, label_id: int):
    writes.delete_cluster_label(who(request), _one(request, label_id), channel="api")
    return Status(204, None)

