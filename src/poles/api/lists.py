"""Lists: filters, ordering, pagination with count/next/previous, CSV export, level per row."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Model, QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext
from ninja import Field, Schema

from poles.access.permissions import Level, UnsortableField, check, levels_for, sortable, visible
from poles.access.roles import scope_of
from poles.api.caller import who
from poles.api.problems import Problem
from poles.core import rendered
from poles.core.filtering import FilterError
from poles.core.tables import MACHINE, csv_line, plain

MAX_PAGE_SIZE = 200
CSV_CHUNK = 1000
Row = Callable[[Any, Level], dict]


class ListQuery(Schema):
    """Paging and ordering, common to every list."""

    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Rows per page (≤ 200).")
    ordering: str | None = Field(
        None, max_length=200, description="Comma-separated fields, '-' for descending: name,-city."
    )

    def filters(self) -> dict:
        """The filter parameters given (paging and ordering left out)."""
        return {
            k: v for k, v in self.model_dump().items()
            if k not in ("page", "page_size", "ordering") and v not in (None, "")
        }


def order(qs: QuerySet, ordering: str | None, allowed: dict[str, str], default: list[str],
          user=None) -> QuerySet:
    """Order by whitelisted public names, each through the caller's field levels.

    A confidential field sorts by its value only on the rows where the caller reads it; the other
    rows sort together after them, as if empty (`permissions.sortable`). The primary key breaks
    ties so pages are stable.
    """
    terms = [t.strip() for t in (ordering or "").split(",") if t.strip()]
    keys: list = []
    for term in terms:
        name = term.lstrip("-")
        if name not in allowed:
            raise Problem(
                422,
                gettext("ordering: unknown field “%(name)s”; expected one of %(choices)s")
                % {"name": name, "choices": ", ".join(sorted(allowed))},
            )
        try:
            expression = sortable(user, qs.model, allowed[name])
        except UnsortableField as error:
            raise Problem(422, gettext("ordering: “%(name)s” cannot be sorted on") % {"name": name}) from error
        descending = term.startswith("-")
        keys.append(expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True))
    if not keys:
        keys = [sortable(user, qs.model, f.lstrip("-")).desc(nulls_last=True) if f.startswith("-")
                else sortable(user, qs.model, f).asc(nulls_last=True) for f in default]
    paths = {allowed[t.lstrip("-")] for t in terms} if terms else {f.lstrip("-") for f in default}
    if not paths & {"pk", "id"}:
        keys.append(F("pk").asc())
    return qs.order_by(*keys)


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


def wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("format", "").lower() == "csv"


def listing(
    request: HttpRequest,
    model: type[Model],
    query: ListQuery,
    *,
    row: Row,
    schemas: dict[Level, type[Schema]],
    filter_fn: Callable[[QuerySet, dict], QuerySet] | None,
    orderings: dict[str, str],
    default: list[str],
    prepare: Callable[[QuerySet, Level], QuerySet] = lambda qs, level: qs,
    csv_name: str | None = None,
    as_csv: bool = False,
    base: QuerySet | None = None,
    _fresh: bool = False,
) -> HttpResponse | StreamingHttpResponse:
    """The page (or the whole CSV) of the rows of `model` the caller may see.

    Anonymous callers all read the same public rows: their pages are rendered once per URL and
    register generation and shared by every worker (`poles.core.rendered`), like public pages.
    """
    user = who(request)
    check(user, "export" if as_csv else "view", model)
    if user is None and not _fresh and not (as_csv or wants_csv(request)):
        return _anonymous_page(request, lambda: listing(
            request, model, query, row=row, schemas=schemas, filter_fn=filter_fn, orderings=orderings,
            default=default, prepare=prepare, csv_name=csv_name, base=base, _fresh=True))
    qs = visible(user, base if base is not None else model)
    if filter_fn is not None:
        try:
            qs = filter_fn(qs, query.filters())
        except FilterError as error:
            raise Problem(422, str(error)) from error
    counted = qs  # counted before ordering joins and prefetches: COUNT stays cheap
    top = top_level(user)
    qs = prepare(order(qs, query.ordering, orderings, default, user), top)
    if as_csv or wants_csv(request):
        columns = list(schemas[max(lv for lv in schemas if lv <= top)].model_fields)
        return csv_response(user, qs, row, csv_name or model._meta.model_name + "s", columns)
    count = counted.count()
    start = (query.page - 1) * query.page_size
    objs = list(qs[start : start + query.page_size])
    levels = levels_for(user, objs) if top > Level.PUBLIC else {o.pk: Level.PUBLIC for o in objs}
    page = {
        "count": count,
        "next": _page_url(request, query.page + 1) if start + query.page_size < count else None,
        "previous": _page_url(request, query.page - 1) if query.page > 1 and count else None,
        "results": [row(o, levels[o.pk]) for o in objs],
    }
    # The rows are built field by field from the reader's level (serialize.py), so they already
    # have the shape the page schema documents; validating them again through the union of
    # audience schemas cost two thirds of a list request (tests check responses against the spec).
    return JsonResponse(page, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


def _anonymous_page(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """An anonymous list page from the shared renderings, rendered when this generation has none."""
    key = rendered.key_of("api:list", request.path, "&".join(sorted(request.GET.urlencode().split("&"))))
    current, stored = rendered.lookup(key)
    if stored is not None:
        return HttpResponse(stored[0], content_type=stored[1])
    response = render()
    if response.status_code == 200 and not response.streaming:
        rendered.store(key, current, response.content, response["Content-Type"])
    return response


def top_level(user) -> Level:
    """The highest level the caller may reach on any row (to fetch only the needed columns)."""
    scope = scope_of(user)
    if scope.sees_all:
        return Level.CONFIDENTIAL
    if scope.cluster_ids or scope.organisation_ids:
        return Level.CONFIDENTIAL
    return Level.PUBLIC


def flatten(value: Any) -> Any:
    """A cell: money as its amount (a number), lists joined with |, dicts as k=v;…, the rest as is.

    Numbers, dates and booleans keep their type so that the table writer leaves them unescaped.
    """
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return Decimal(value["amount"])
    if isinstance(value, (list, tuple)):
        return "|".join(plain(flatten(v)) for v in value)
    if isinstance(value, dict):
        return ";".join(f"{k}={plain(flatten(v))}" for k, v in value.items())
    return value


def _chunks(qs: QuerySet, size: int) -> Iterator[list]:
    chunk = []
    for obj in qs.iterator(chunk_size=size):
        chunk.append(obj)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


CSV_DESCRIPTION = (
    "CSV for programs, the same whatever the caller's language: `,` between cells, `.` as the decimal "
    "point, choices as their codes (`member`, `company`), ISO dates, UTF-8 without a byte-order mark. "
    "Text a spreadsheet would run as a formula starts with `'`. The pages' downloads are the ones made "
    "for spreadsheets (`;` and decimal comma in French, labels)."
)
CSV_OPENAPI = {"responses": {200: {"description": CSV_DESCRIPTION, "content": {"text/csv": {}}}}}
"""The OpenAPI answer of every `export.csv` operation."""


def csv_rows(user, qs: QuerySet, row: Row, columns: list[str]) -> Iterable[str]:
    """CSV lines (header first) of every row, each at the caller's level on it, formulas escaped."""
    yield csv_line(columns, MACHINE)
    top = top_level(user)
    for chunk in _chunks(qs, CSV_CHUNK):
        levels = levels_for(user, chunk) if top > Level.PUBLIC else {o.pk: Level.PUBLIC for o in chunk}
        yield "".join(
            csv_line([flatten(row(obj, levels[obj.pk]).get(c)) for c in columns], MACHINE) for obj in chunk
        )


def csv_response(user, qs: QuerySet, row: Row, name: str, columns: list[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_rows(user, qs, row, columns), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def page_schema(name: str, item: Any) -> type[Schema]:
    """The page document of a list: count, next, previous and the results."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {
                "count": int, "next": str | None, "previous": str | None, "results": list[item]
            },
        },
    )
