"""The workspace's members table: search, filters, sort, pagination, CSV/XLSX export."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from poles.access.fieldlevels import fields_at
from poles.access.permissions import can, level_for, may_change_organisation, visible
from poles.access.roles import scope_of
from poles.core.filtering import FilterError
from poles.registry.filters import filter_memberships
from poles.registry.models import Membership, Organisation
from poles.registry.programme import latest_member_year
from poles.web.access import paginate, workspace_cluster
from poles.web.exports import FORMATS, dialect_for, table_response
from poles.web.exports import Column as ExportColumn
from poles.web.forms import SIZE_LABELS, MembersFilterForm, valid_params
from poles.web.views.workspace import workspace_context


@dataclass(frozen=True)
class Column:
    """A column of the members table: where its value comes from and how it sorts."""

    key: str
    label: str
    model: type
    field: str
    order: str
    numeric: bool = False


COLUMNS = (
    Column("name", gettext_lazy("Organisation"), Organisation, "name", "organisation__name"),
    Column("siren", gettext_lazy("SIREN"), Organisation, "siren", "organisation__siren"),
    Column("kind", gettext_lazy("Kind"), Organisation, "kind", "organisation__kind"),
    Column("size", gettext_lazy("Size category"), Organisation, "size_category", "organisation__size_category"),
    Column("city", gettext_lazy("City"), Organisation, "city", "organisation__city"),
    Column("year", gettext_lazy("Year"), Membership, "year", "year", numeric=True),
    Column("status", gettext_lazy("Status"), Membership, "status", "status"),
    Column("fee_invoiced", gettext_lazy("Fee invoiced"), Membership, "fee_invoiced", "fee_invoiced", numeric=True),
    Column("fee_paid", gettext_lazy("Fee paid"), Membership, "fee_paid", "fee_paid", numeric=True),
)


def columns_for(user, cluster) -> list[Column]:
    """The columns this user may read on the cluster's members (chosen before the query)."""
    level = level_for(user, cluster)
    readable = {Organisation: set(fields_at(Organisation, level)), Membership: set(fields_at(Membership, level))}
    return [c for c in COLUMNS if c.field in readable[c.model]]


def cell(membership: Membership, column: Column, display: bool):
    """One cell's value (display text for choices when `display`)."""
    source = membership.organisation if column.model is Organisation else membership
    if display and column.key == "kind":
        return source.get_kind_display()
    if display and column.key == "status":
        return source.get_status_display()
    if display and column.key == "size":
        return SIZE_LABELS.get(source.size_category, source.size_category)
    return getattr(source, column.field)


def members_query(request: HttpRequest, cluster):
    """The filtered, sorted memberships of the cluster, the form, the columns and the sort."""
    years = sorted(
        set(Membership.objects.filter(cluster=cluster).values_list("year", flat=True)), reverse=True
    )
    data = request.GET.copy()
    if not data.get("year") and years:
        data["year"] = str(latest_member_year(cluster.pk))
    form = MembersFilterForm(data, years=years)
    params = valid_params(form)
    columns = columns_for(request.user, cluster)
    qs = visible(request.user, Membership.objects.filter(cluster=cluster)).select_related("organisation")
    try:
        qs = filter_memberships(qs, params)
    except FilterError as error:
        form.add_error(None, str(error))
    if params.get("kind"):
        qs = qs.filter(organisation__kind=params["kind"])
    orders = {c.key: c.order for c in columns}
    sort = request.GET.get("sort", "name")
    key = sort.lstrip("-")
    if key not in orders:
        sort, key = "name", "name"
    direction = "-" if sort.startswith("-") else ""
    qs = qs.order_by(f"{direction}{orders[key]}", "organisation__name")
    return form, columns, qs, sort


@login_required
def workspace_members(request: HttpRequest, slug: str) -> HttpResponse:
    """The members table; HTMX requests get the table only."""
    cluster = workspace_cluster(request, slug)
    form, columns, qs, sort = members_query(request, cluster)
    page = paginate(request, qs, per_page=50)
    scope = scope_of(request.user)
    rows = [
        (m, [(c, cell(m, c, True)) for c in columns],
         may_change_organisation(scope, m.organisation_id, m.organisation.supplied_by_id)[0])
        for m in page.object_list
    ]
    context = workspace_context(
        request, cluster, form=form, columns=columns, rows=rows, page=page, sort=sort,
        total=page.paginator.count, may_create=can(request.user, "create", Organisation, cluster=cluster)[0],
        export_query=request.GET.urlencode(),
    )
    if request.htmx:
        return render(request, "web/workspace/partials/members_table.html", context)
    return render(request, "web/workspace/members.html", context)


@login_required
def workspace_members_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The members table as CSV or XLSX (?format=csv|xlsx), same filters and columns, choices by their label."""
    cluster = workspace_cluster(request, slug)
    allowed, reason = can(request.user, "export", Membership, cluster=cluster)
    if not allowed:
        raise PermissionDenied(reason)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    _form, columns, qs, _sort = members_query(request, cluster)
    headers = [export_column(c) for c in columns]
    rows = ([cell(m, c, True) for c in columns] for m in qs.iterator(chunk_size=1000))
    filename = _("members-%(cluster)s") % {"cluster": cluster.slug}
    return table_response(fmt, filename, headers, rows, dialect_for(request))


def export_column(column: Column) -> ExportColumn:
    """How a column of the members table is written in a download (fees to the cent, the year as is)."""
    if column.key == "year":
        return ExportColumn(column.label, "year")
    if column.numeric:
        return ExportColumn(column.label, "eur", 2)
    return ExportColumn(column.label)
