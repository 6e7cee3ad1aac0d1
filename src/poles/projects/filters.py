"""Filters of projects, participations, fundings and calls, shared by the pages and the API."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from poles.core.filtering import boolean, choice, integer, reference, text
from poles.projects.models import Call, Funder, Funding, Participation, Project, ProjectCluster
from poles.registry.models import Cluster

PROJECT_FILTERS = ("cluster", "region", "theme", "ecosystem", "status", "kind", "funder", "year", "organisation", "q")
PARTICIPATION_FILTERS = ("project", "organisation", "role", "cluster")
FUNDING_FILTERS = ("project", "funder", "instrument", "year", "cluster")
CALL_FILTERS = ("funder", "open", "year", "q")


def _clusters(params: dict) -> QuerySet | None:
    """Clusters named by the cluster/region/theme/ecosystem parameters, None when none is given."""
    clusters = Cluster.objects.all()
    given = False
    if (cluster := reference(params, "cluster")) is not None:
        clusters = clusters.filter(pk=cluster) if isinstance(cluster, int) else clusters.filter(slug=cluster)
        given = True
    if region := text(params, "region"):
        clusters = clusters.filter(Q(regions__code=region) | Q(regions__slug=region))
        given = True
    if theme := text(params, "theme"):
        clusters = clusters.filter(Q(themes_fr__icontains=theme) | Q(themes_en__icontains=theme))
        given = True
    if ecosystem := text(params, "ecosystem"):
        clusters = clusters.filter(ecosystems__code=ecosystem)
        given = True
    return clusters if given else None


def filter_projects(qs: QuerySet, params: dict) -> QuerySet:
    """Projects by cluster (and its region, theme, ecosystem), status, kind, funder, start year, partner, text."""
    if (clusters := _clusters(params)) is not None:
        links = ProjectCluster.objects.filter(cluster__in=clusters.values("pk"))
        qs = qs.filter(pk__in=links.values("project_id"))
    if status := choice(params, "status", Project.Status.values):
        qs = qs.filter(status=status)
    if kind := choice(params, "kind", Project.Kind.values):
        qs = qs.filter(kind=kind)
    if funder := choice(params, "funder", Funder.values):
        funded = Funding.objects.filter(funder=funder).values("project_id")
        qs = qs.filter(Q(pk__in=funded) | Q(call__funder=funder))
    if (year := integer(params, "year")) is not None:
        qs = qs.filter(start_date__year=year)
    if (organisation := integer(params, "organisation")) is not None:
        qs = qs.filter(pk__in=Participation.objects.filter(organisation_id=organisation).values("project_id"))
    if q := text(params, "q"):
        qs = qs.filter(Q(acronym__icontains=q) | Q(title__icontains=q))
    return qs


def filter_participations(qs: QuerySet, params: dict) -> QuerySet:
    """Participations by project, organisation, role, the project's cluster."""
    if (project := integer(params, "project")) is not None:
        qs = qs.filter(project_id=project)
    if (organisation := integer(params, "organisation")) is not None:
        qs = qs.filter(organisation_id=organisation)
    if role := choice(params, "role", Participation.Role.values):
        qs = qs.filter(role=role)
    if (clusters := _clusters(params)) is not None:
        links = ProjectCluster.objects.filter(cluster__in=clusters.values("pk"))
        qs = qs.filter(project_id__in=links.values("project_id"))
    return qs


def filter_fundings(qs: QuerySet, params: dict) -> QuerySet:
    """Fundings by project, funder, instrument, year, the project's cluster."""
    if (project := integer(params, "project")) is not None:
        qs = qs.filter(project_id=project)
    if funder := choice(params, "funder", Funder.values):
        qs = qs.filter(funder=funder)
    if instrument := choice(params, "instrument", Funding.Instrument.values):
        qs = qs.filter(instrument=instrument)
    if (year := integer(params, "year")) is not None:
        qs = qs.filter(year=year)
    if (clusters := _clusters(params)) is not None:
        links = ProjectCluster.objects.filter(cluster__in=clusters.values("pk"))
        qs = qs.filter(project_id__in=links.values("project_id"))
    return qs


def filter_calls(qs: QuerySet, params: dict, *, today: dt.date | None = None) -> QuerySet:
    """Calls by funder, open today, opening year, text."""
    if funder := choice(params, "funder", Funder.values):
        qs = qs.filter(funder=funder)
    is_open = boolean(params, "open")
    if is_open is not None:
        today = today or dt.date.today()
        open_q = (Q(opens__isnull=True) | Q(opens__lte=today)) & (Q(closes__isnull=True) | Q(closes__gte=today))
        qs = qs.filter(open_q) if is_open else qs.exclude(open_q)
    if (year := integer(params, "year")) is not None:
        qs = qs.filter(opens__year=year)
    if q := text(params, "q"):
        qs = qs.filter(Q(title__icontains=q) | Q(code__icontains=q) | Q(programme__icontains=q))
    return qs


__all__ = [
    "CALL_FILTERS", "FUNDING_FILTERS", "PARTICIPATION_FILTERS", "PROJECT_FILTERS", "Call",
    "filter_calls", "filter_fundings", "filter_participations", "filter_projects",
]
