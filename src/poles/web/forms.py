"""Page forms: the directory and list filters, the organisation form, imports, invitations."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from poles.imports.limits import TooLarge, check_extent
from poles.nomenclatures.models import Ecosystem
from poles.projects.models import Funder, Project
from poles.registry.categories import Figures, SizeCategory, size_category
from poles.registry.identifiers import InvalidIdentifier, clean_siren, clean_siret
from poles.registry.models import Cluster, Label, Membership, Organisation
from poles.territories.models import Region
from poles.web.accountforms import OrganisationField
from poles.web.directory import SIZE_BAND_LABELS

SIZE_LABELS = {
    SizeCategory.MICRO.value: _("micro-enterprise"),
    SizeCategory.SMALL.value: _("small enterprise"),
    SizeCategory.MEDIUM.value: _("medium-sized enterprise"),
    SizeCategory.ETI.value: _("mid-cap (ETI)"),
    SizeCategory.LARGE.value: _("large company"),
    SizeCategory.UNKNOWN.value: _("unknown (figures missing)"),
}


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


class DirectoryForm(forms.Form):
    """The directory's filters; the page and the API read the same names."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Name, theme, technology, region…"))
    region = forms.ChoiceField(label=_("Region"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    ecosystem = forms.ChoiceField(label=_("Industrial ecosystem"), required=False)
    label = forms.ChoiceField(label=_("Excellence label"), required=False, choices=[
        ("", _("With or without")), ("any", _("any level")), ("gold", _("gold")),
        ("silver", _("silver")), ("bronze", _("bronze")),
    ])
    size = forms.ChoiceField(label=_("Size (members)"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_blank(_("Any status")) + list(Cluster.Status.choices))

    def __init__(self, *args, themes: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = _blank(_("All regions")) + [
            (r.code, r.name) for r in Region.objects.filter(clusters__isnull=False).distinct().order_by("name")
        ]
        self.fields["theme"].choices = _blank(_("All themes")) + [(t, t) for t in themes]
        self.fields["ecosystem"].choices = _blank(_("All ecosystems")) + [
            (e.code, e.name_fr if _is_french() else e.name_en)
            for e in Ecosystem.objects.filter(clusters__isnull=False).distinct().order_by("name_en")
        ]
        self.fields["size"].choices = _blank(_("Any size")) + list(SIZE_BAND_LABELS.items())

    def params(self) -> dict[str, str]:
        """The valid filters as the shared filters' parameters (invalid ones are reported, left out)."""
        return valid_params(self)


def valid_params(form: forms.Form) -> dict[str, str]:
    """A bound filter form's valid, non-empty values as plain strings."""
    if not form.is_bound:
        return {}
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return {k: str(v) for k, v in data.items() if k not in form.errors and v not in (None, "")}


def _is_french() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "fr").startswith("fr")


class ProjectFilterForm(forms.Form):
    """The project showcase's filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Acronym, title or summary"))
    cluster = forms.ChoiceField(label=_("Cluster"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_blank(_("Any status")) + list(Project.Status.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=_blank(_("Any kind")) + list(Project.Kind.choices))
    funder = forms.ChoiceField(label=_("Funder"), required=False,
                               choices=_blank(_("Any funder")) + list(Funder.choices))
    year = forms.IntegerField(label=_("Start year"), required=False, min_value=1990, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cluster"].choices = _blank(_("All clusters")) + list(
            Cluster.objects.order_by("name").values_list("slug", "name")
        )


class MembersFilterForm(forms.Form):
    """The members table's filters."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        help_text=_("Name or city"))
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_blank(_("Any status")) + list(Membership.Status.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=_blank(_("Any kind")) + list(Organisation.Kind.choices))
    size = forms.ChoiceField(label=_("Size category"), required=False,
                             choices=_blank(_("Any size")) + list(SIZE_LABELS.items()))

    def __init__(self, *args, years: list[int] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, str(y)) for y in years]


class OrganisationForm(forms.ModelForm):
    """An organisation with its latest figures; the size category is computed from them."""

    figures_year = forms.IntegerField(label=_("Year of the figures"), required=False,
                                      min_value=1990, max_value=2100)
    staff = forms.DecimalField(label=_("Headcount (annual work units)"), required=False,
                               min_value=Decimal(0), max_digits=9, decimal_places=1)
    turnover = forms.DecimalField(label=_("Turnover (EUR)"), required=False, min_value=Decimal(0),
                                  max_digits=16, decimal_places=2)
    balance_sheet = forms.DecimalField(label=_("Balance-sheet total (EUR)"), required=False,
                                       min_value=Decimal(0), max_digits=16, decimal_places=2)

    class Meta:
        model = Organisation
        fields = ["name", "siren", "siret", "kind", "address", "postcode", "city", "website",
                  "description"]
        labels = {
            "name": _("Name"), "siren": _("SIREN"), "siret": _("SIRET of the main establishment"),
            "kind": _("Kind"), "address": _("Address"), "postcode": _("Postcode"),
            "city": _("City"), "website": _("Website"), "description": _("Description"),
        }
        help_texts = {"siren": _("9 digits, checked by its check digit (Luhn).")}

    def clean_siren(self) -> str | None:
        value = (self.cleaned_data.get("siren") or "").strip()
        if not value:
            return None
        try:
            siren = clean_siren(value)
        except InvalidIdentifier as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a valid SIREN: 9 digits whose check digit (Luhn) holds.")
                % {"value": value}
            ) from error
        others = Organisation.objects.filter(siren=siren)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(
                _("An organisation with SIREN %(siren)s is already in the register: %(name)s.")
                % {"siren": siren, "name": others.first().name}
            )
        return siren

    def clean_siret(self) -> str:
        value = (self.cleaned_data.get("siret") or "").strip()
        if not value:
            return ""
        try:
            return clean_siret(value)
        except InvalidIdentifier as error:
            raise forms.ValidationError(
                _("“%(value)s” is not a valid SIRET: 14 digits whose check digit holds.") % {"value": value}
            ) from error

    def clean(self):
        data = super().clean()
        siren, siret = data.get("siren"), data.get("siret")
        if siren and siret and not siret.startswith(siren):
            self.add_error("siret", _("The SIRET does not start with the SIREN %(siren)s.") % {"siren": siren})
        has_figures = any(data.get(k) is not None for k in ("staff", "turnover", "balance_sheet"))
        if has_figures and not data.get("figures_year"):
            self.add_error("figures_year", _("Give the year these figures are for."))
        return data

    def computed_category(self) -> SizeCategory:
        """The size category from the figures entered (companies only)."""
        data = self.cleaned_data
        if data.get("kind") != Organisation.Kind.COMPANY:
            return SizeCategory.UNKNOWN
        return category_from(data.get("staff"), data.get("turnover"), data.get("balance_sheet"))


def category_from(staff, turnover, balance_sheet) -> SizeCategory:
    """The EU/French size category of a company from its own figures."""
    return size_category(Figures(staff=staff, turnover=turnover, balance_sheet=balance_sheet))


class CategoryPreviewForm(forms.Form):
    """The figures the live category preview reads (as typed so far)."""

    kind = forms.ChoiceField(choices=Organisation.Kind.choices, required=False)
    staff = forms.DecimalField(required=False, min_value=Decimal(0))
    turnover = forms.DecimalField(required=False, min_value=Decimal(0))
    balance_sheet = forms.DecimalField(required=False, min_value=Decimal(0))


class MembershipForm(forms.Form):
    """The membership created with a new organisation."""

    year = forms.IntegerField(label=_("Membership year"), min_value=1990, max_value=2100)
    status = forms.ChoiceField(label=_("Membership status"), choices=Membership.Status.choices)
    fee_invoiced = forms.DecimalField(label=_("Fee invoiced (EUR)"), required=False,
                                      min_value=Decimal(0), max_digits=16, decimal_places=2)


class ImportForm(forms.Form):
    """A members file to import into the cluster, within the size and row limits it states."""

    file = forms.FileField(label=_("Members file (CSV or XLSX)"))
    year = forms.IntegerField(label=_("Membership year"), min_value=1990, max_value=2100)
    dry_run = forms.BooleanField(label=_("Check only, write nothing (dry run)"), required=False)

    def __init__(self, *args, refused: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refused = (refused or {}).get("file")
        self.fields["file"].help_text = _(
            "One row per member; the first row holds the column names. At most %(size)s and "
            "%(rows)s rows."
        ) % {"size": filesizeformat(settings.POLES_IMPORT_MAX_BYTES),
             "rows": intcomma(settings.POLES_IMPORT_MAX_ROWS)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("Send a .csv or .xlsx file; “%(name)s” is neither.") % {"name": upload.name})
        if upload.size > settings.POLES_IMPORT_MAX_BYTES:
            raise forms.ValidationError(self._too_big(upload.name))
        content = upload.read()
        try:
            check_extent(content, upload.name, max_rows=settings.POLES_IMPORT_MAX_ROWS,
                         max_bytes=settings.POLES_IMPORT_MAX_BYTES)
        except TooLarge as error:
            raise forms.ValidationError(_too_large_message(error)) from None
        upload.seek(0)
        return upload

    def clean(self):
        if self.refused:
            self.errors.pop("file", None)
            self.add_error("file", self._too_big(self.refused))
        return super().clean()

    @staticmethod
    def _too_big(name: str) -> str:
        return _("“%(name)s” is larger than %(size)s, the largest file accepted; split it and send "
                 "the parts one after the other.") % {
            "name": name, "size": filesizeformat(settings.POLES_IMPORT_MAX_BYTES)}


def _too_large_message(error: TooLarge) -> str:
    values = {"found": intcomma(error.found), "limit": intcomma(error.limit)}
    if error.what == "rows":
        return _("The sheet has %(found)s rows; at most %(limit)s are accepted. Split the file.") % values
    if error.what == "columns":
        return _("The sheet spans %(found)s columns; at most %(limit)s are accepted. Keep the "
                 "member columns only.") % values
    if error.what == "cells":
        return _("The sheet spans %(found)s cells; at most %(limit)s are accepted. Keep the member "
                 "columns only, or split the file.") % values
    return _("The workbook unpacks to %(found)s bytes; at most %(limit)s are accepted.") % values


class InviteForm(forms.Form):
    """Invite a person to the cluster as manager or member representative."""

    email = forms.EmailField(label=_("E-mail address"), help_text=_("It will be the person's login."))
    role = forms.ChoiceField(label=_("Role"), choices=[
        ("member", _("member representative")), ("manager", _("cluster manager")),
    ])
    organisation = forms.ModelChoiceField(
        label=_("Member organisation (for a member representative)"), required=False,
        queryset=Organisation.objects.none(),
    )

    def __init__(self, *args, cluster: Cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = OrganisationField(
            label=_("Member organisation (for a member representative)"), required=False, cluster=cluster,
            queryset=Organisation.objects.filter(memberships__cluster=cluster).distinct(),
            help_text=_("Type part of its name or its SIREN, then choose it in the list."),
        )


class TokenForm(forms.Form):
    """A new API token's name."""

    name = forms.CharField(label=_("Token name"), max_length=100,
                           help_text=_("What it is for, e.g. “regional CRM sync”."))


LABEL_LEVEL_LABELS = dict(Label.Level.choices)
