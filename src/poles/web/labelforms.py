"""The form a cluster's manager records an excellence label with (validated by the label rules)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from poles.registry.labelrules import dates_ok
from poles.registry.models import Label

LEVEL_CHOICES = [(v, lbl) for v, lbl in Label.Level.choices if v]
ISSUERS = ("ESCA (European Secretariat for Cluster Analysis)",)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LabelForm(forms.Form):
    """Level (bronze, silver, gold), issuer, award date, expiry date (after the award)."""

    level = forms.ChoiceField(label=_("Level"), choices=LEVEL_CHOICES)
    issuer = forms.CharField(label=_("Issuer"), max_length=150, initial=ISSUERS[0],
                             help_text=_("The body that awarded it, e.g. ESCA for the ECEI labels."))
    awarded = forms.DateField(label=_("Award date"), widget=DateInput())
    expires = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput(),
                              help_text=_("Leave empty when the label does not expire."))

    def clean(self):
        data = super().clean()
        awarded, expires = data.get("awarded"), data.get("expires")
        if awarded and expires and not dates_ok(awarded, expires):
            self.add_error("expires", _("The expiry date must come after the award date."))
        return data

    @classmethod
    def of(cls, label: Label, data=None) -> LabelForm:
        return cls(data, initial={"level": label.level, "issuer": label.issuer, "awarded": label.awarded,
                                  "expires": label.expires})
