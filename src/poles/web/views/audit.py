"""The audit trail: who created, changed or deleted what, when, through which channel — in words.

Two pages read the same entries through the permission layer (`visible`): a cluster's workspace
page (its entries) and the programme-wide page `/audit/` (every entry the reader may see: all for
administrators, their clusters' for managers), both with the same filters.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from poles.access.permissions import scope_of, visible
from poles.core.models import AuditEntry
from poles.registry.models import Cluster
from poles.web.access import paginate, workspace_cluster
from poles.web.auditlog import CHANNELS, describe, model_name, person
from poles.web.views.workspace import workspace_context

PER_PAGE = 50


class AuditFilters(forms.Form):
    """Filters of the audit pages: actor, kind of object, cluster, action, channel, date range."""

    who = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    cluster = forms.TypedChoiceField(label=_("Cluster"), required=False, coerce=int, empty_value=None)
    action = forms.ChoiceField(label=_("Action"), required=False,
                               choices=[("", _("Any action")), *AuditEntry.Action.choices])
    channel = forms.ChoiceField(label=_("Channel"), required=False,
                                choices=[("", _("Any channel")), *[(k, v) for k, v in CHANNELS.items()]])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, entries, with_cluster: bool):
        super().__init__(data)
        users = get_user_model().objects.filter(
            pk__in=entries.exclude(user=None).values("user_id")).order_by("last_name", "first_name", "email")
        self.fields["who"].choices = [("", _("Anyone"))] + [(u.pk, person(u)) for u in users]
        kinds = sorted(set(entries.values_list("model", flat=True).distinct()), key=model_name)
        self.fields["kind"].choices = [("", _("Any kind"))] + [(k, model_name(k).capitalize()) for k in kinds]
        if with_cluster:
            clusters = Cluster.objects.filter(pk__in=entries.values("cluster_id")).order_by("name")
            self.fields["cluster"].choices = [("", _("Every cluster"))] + [(c.pk, c.name) for c in clusters]
        else:
            del self.fields["cluster"]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the period comes before its start."))
        return data

    def apply(self, entries):
        """The entries that match the valid filters (all of them while the form has errors)."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("who"):
            entries = entries.filter(user_id=data["who"])
        if data.get("kind"):
            entries = entries.filter(model=data["kind"])
        if data.get("cluster"):
            entries = entries.filter(cluster_id=data["cluster"])
        for name in ("action", "channel"):
            if data.get(name):
                entries = entries.filter(**{name: data[name]})
        zone = timezone.get_current_timezone()
        if data.get("since"):
            entries = entries.filter(at__gte=dt.datetime.combine(data["since"], dt.time.min, zone))
        if data.get("until"):
            entries = entries.filter(at__lt=dt.datetime.combine(data["until"] + dt.timedelta(days=1), dt.time.min, zone))
        return entries


def _listing(request: HttpRequest, entries, *, with_cluster: bool) -> dict:
    form = AuditFilters(request.GET or None, entries=entries, with_cluster=with_cluster)
    page = paginate(request, form.apply(entries).select_related("user").order_by("-at", "-pk"), per_page=PER_PAGE)
    return {"form": form, "page": page, "entries": describe(page.object_list)}


@login_required
def workspace_audit(request: HttpRequest, slug: str) -> HttpResponse:
    """The entries filed under the cluster that the user may read (managers and admins)."""
    cluster = workspace_cluster(request, slug)
    entries = visible(request.user, AuditEntry).filter(cluster_id=cluster.pk)
    return render(request, "web/workspace/audit.html", workspace_context(
        request, cluster, **_listing(request, entries, with_cluster=False)))


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Every entry the reader may see, filterable by cluster: for administrators and cluster managers."""
    scope = scope_of(request.user)
    if not (scope.is_admin or scope.managed_cluster_ids):
        raise PermissionDenied(_("The audit trail is for administrators and cluster managers."))
    return render(request, "web/audit.html", _listing(request, visible(request.user, AuditEntry), with_cluster=True))
