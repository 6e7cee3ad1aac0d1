"""Forms of account management: inviting a person with a role, the accounts list's filters, and the
organisation picker that searches instead of listing hundreds of options."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from poles.access.accounts import STATUS_LABELS
from poles.access.permissions import may_grant
from poles.access.roles import Role, Scope
from poles.core.filtering import is_digits
from poles.registry.models import Cluster, Membership, Organisation
from poles.territories.models import Region

SEARCH_LIMIT = 20
"""At most this many organisations answer a search."""


def search_organisations(qs: QuerySet[Organisation], query: str) -> QuerySet[Organisation]:
    """Organisations of `qs` whose name contains the words of `query`, or whose SIREN starts with its digits."""
    query = (query or "").strip()
    if not query:
        return qs.none()
    digits = "".join(ch for ch in query if is_digits(ch))
    if len(digits) >= 3 and len(digits) == len(query.replace(" ", "")):
        condition = Q(siren__startswith=digits)
    else:
        condition = Q()
        for word in query.split():
            condition &= Q(name__icontains=word)
    return qs.filter(condition).order_by("name", "pk")[:SEARCH_LIMIT]


def pickable_organisations(scope: Scope, cluster: Cluster | None) -> QuerySet[Organisation]:
    """The organisations a person may be named representative of by this scope (none if it may not).

    Through a cluster: its member organisations, for those who may invite to it; without one: any
    organisation, for programme officers only (`may_grant`).
    """
    if not may_grant(scope, Role.MEMBER, cluster.pk if cluster else None)[0]:
        return Organisation.objects.none()
    if cluster is None:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Membership.objects.filter(cluster=cluster).values("organisation_id"))


class OrganisationPicker(forms.Widget):
    """A search box that lists at most 20 matching organisations as radio buttons.

    With htmx the list follows the typing (`organisation_search`); without it, submitting the form
    with words in the box shows the matches, found by the same function.
    """

    template_name = "web/partials/organisation_picker.html"

    def __init__(self, attrs=None, *, cluster: Cluster | None = None):
        super().__init__(attrs)
        self.cluster = cluster
        self.query = ""
        self.choices = None  # set by the field: a ModelChoiceIterator over the pickable organisations

    @property
    def queryset(self) -> QuerySet[Organisation]:
        return self.choices.queryset if self.choices is not None else Organisation.objects.none()

    def value_from_datadict(self, data, files, name):
        self.query = (data.get(f"{name}_q") or "").strip()
        return data.get(name) or None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        chosen = self.queryset.filter(pk=value).first() if value not in (None, "") else None
        results = list(search_organisations(self.queryset, self.query)) if self.query else []
        if chosen is not None and chosen not in results:
            results.insert(0, chosen)
        context["widget"].update({
            "search_url": reverse("organisation_search"),
            "cluster": self.cluster.pk if self.cluster else "",
            "query": self.query,
            "results": results,
            "chosen": chosen.pk if chosen else None,
            "searched": bool(self.query),
        })
        return context


class OrganisationField(forms.ModelChoiceField):
    """An organisation chosen with the picker, among those the inviter may name."""

    def __init__(self, *, queryset, cluster: Cluster | None = None, **kwargs):
        super().__init__(queryset=queryset, widget=OrganisationPicker(cluster=cluster), **kwargs)


def grantable_roles(scope: Scope) -> list[tuple[str, str]]:
    """The roles this scope may give somewhere, in the order of their reach."""
    probe_cluster = next(iter(sorted(scope.managed_cluster_ids)), None)
    probe_region = next(iter(sorted(scope.region_codes)), None)
    return [(role.value, role.label) for role in Role
            if may_grant(scope, role.value, probe_cluster, probe_region)[0]]


class AccountInviteForm(forms.Form):
    """Invite a person with one role; the binding a role needs (region, cluster, organisation) is asked."""

    email = forms.EmailField(label=_("E-mail address"), help_text=_("It will be the person's login."))
    role = forms.ChoiceField(label=_("Role"))
    region = forms.ModelChoiceField(label=_("Region (for a regional officer)"), required=False,
                                    queryset=Region.objects.none(), to_field_name="code")
    cluster = forms.ModelChoiceField(
        label=_("Cluster (for a cluster manager; for a representative, the cluster that gives the role)"),
        required=False, queryset=Cluster.objects.none())

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["role"].choices = grantable_roles(scope)
        regions = Region.objects.order_by("name")
        self.fields["region"].queryset = regions if scope.sees_all else regions.filter(
            code__in=sorted(scope.region_codes))
        self.fields["cluster"].queryset = Cluster.objects.order_by("name") if scope.sees_all else (
            Cluster.objects.filter(pk__in=sorted(scope.managed_cluster_ids)).order_by("name"))
        self.fields["organisation"] = OrganisationField(
            label=_("Organisation (for a member representative)"), required=False,
            queryset=pickable_organisations(scope, None),
            help_text=_("Type part of its name or its SIREN, then choose it in the list."),
        )

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.REGIONAL and not data.get("region"):
            self.add_error("region", _("Choose the region of the regional officer."))
        if role == Role.MANAGER and not data.get("cluster"):
            self.add_error("cluster", _("Choose the cluster the person will manage."))
        if role == Role.MEMBER and not data.get("organisation"):
            self.add_error("organisation", _("Choose the organisation the person will represent."))
        return data


class AccountFilterForm(forms.Form):
    """The accounts list's filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("E-mail or name"))
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("Any role")), *Role.choices, ("none", _("no role"))])
    status = forms.ChoiceField(label=_("Account"), required=False,
                               choices=[("", _("Any state")), *STATUS_LABELS.items()])
