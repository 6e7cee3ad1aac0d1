"""Helpers every resource module uses: fetching one visible object, levelled documents."""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.http import Http404

from poles.access.permissions import Level, level_for, visible
from poles.api.caller import who

NOT_FOUND = "{name} {pk} does not exist or is not visible to you."


def get_visible(request, model: type[Model] | QuerySet, pk) -> Model:
    """The object, or 404 when it does not exist or the caller may not see it (no difference told)."""
    qs = model if isinstance(model, QuerySet) else model._default_manager.all()
    try:
        return visible(who(request), qs).get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND.format(name=qs.model._meta.verbose_name.capitalize(), pk=pk)) from None


def level(request, obj: Model) -> Level:
    return level_for(who(request), obj)
