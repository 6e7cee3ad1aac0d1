"""The campaign's forms: a campaign, an assignment, an application, an evaluation, a decision."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from poles.calls.grid import Grid, parse_grid
from poles.calls.reasons import CallDataError
from poles.certification.rules import CERTIFIED, DURATIONS, NOT_CERTIFIED
from poles.registry.models import Phase


def _label(criterion, language: str | None = None) -> str:
    return criterion.label_en if (language or get_language() or "fr").startswith("en") else criterion.label_fr


class CampaignForm(forms.Form):
    phase = forms.ModelChoiceField(label=_("Phase"), queryset=Phase.objects.order_by("-number"))
    title = forms.CharField(label=_("Title"), max_length=200)
    applications_close = forms.DateField(label=_("Applications close on"), required=False,
                                         help_text=_("Format: YYYY-MM-DD"))
    grid = forms.CharField(label=_("Criteria grid (JSON)"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           help_text=_("A list of criteria with key, label_fr, label_en, weight, low, high and "
                                       "comment_below; leave empty for the default grid of the programme."))

    def clean_grid(self) -> list | None:
        """The grid as data, checked like a call's grid; None for the default grid."""
        text = self.cleaned_data["grid"].strip()
        if not text:
            return None
        try:
            data = json.loads(text)
            parse_grid(data)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(_("The grid is not valid JSON (line %(line)s, column %(column)s).")
                                        % {"line": error.lineno, "column": error.colno}) from error
        except (CallDataError, AttributeError, TypeError) as error:
            reason = error.reason.text(get_language() or "fr") if isinstance(error, CallDataError) else \
                _("each criterion is an object with a key")
            raise forms.ValidationError(_("The grid is not valid: %(reason)s") % {"reason": reason}) from error
        return data


class AssignForm(forms.Form):
    evaluator = forms.ModelChoiceField(label=_("Evaluator"), queryset=None)

    def __init__(self, *args, evaluators=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluator"].queryset = evaluators
        self.fields["evaluator"].label_from_instance = lambda u: u.get_full_name() or u.username


class CandidacyForm(forms.Form):
    """A statement per criterion of the grid, and the evidence."""

    def __init__(self, *args, grid: Grid, **kwargs):
        super().__init__(*args, **kwargs)
        for c in grid.criteria:
            self.fields[f"statement_{c.key}"] = forms.CharField(
                label=_label(c), required=False, widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["evidence"] = forms.CharField(
            label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
            help_text=_("Documents and links that support the application, one per line."))

    def statements(self) -> dict[str, str]:
        return {k.removeprefix("statement_"): v for k, v in self.cleaned_data.items() if k.startswith("statement_")}


class EvaluationForm(forms.Form):
    """A score (on the criterion's scale) and a comment per criterion."""

    def __init__(self, *args, grid: Grid, **kwargs):
        super().__init__(*args, **kwargs)
        for c in grid.criteria:
            self.fields[f"score_{c.key}"] = forms.TypedChoiceField(
                label=_label(c), required=False, coerce=int, empty_value=None,
                choices=[("", "—"), *[(n, str(n)) for n in range(c.low, c.high + 1)]],
                help_text=_("From %(low)s to %(high)s, weight %(weight)s") % {"low": c.low, "high": c.high,
                                                                            "weight": c.weight})
            self.fields[f"comment_{c.key}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": _label(c)}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))

    def scores(self) -> dict[str, int]:
        return {k.removeprefix("score_"): v for k, v in self.cleaned_data.items() if k.startswith("score_")
                and v is not None}

    def comments(self) -> dict[str, str]:
        return {k.removeprefix("comment_"): v for k, v in self.cleaned_data.items() if k.startswith("comment_")}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=[
        ("", "—"), (CERTIFIED, _("certified")), (NOT_CERTIFIED, _("not certified"))])
    duration = forms.TypedChoiceField(label=_("Duration of the certification"), required=False, coerce=int,
                                      empty_value=None,
                                      choices=[("", "—"), *[(n, _("%(n)s year(s)") % {"n": n}) for n in DURATIONS]])
    conditions = forms.CharField(label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("What the cluster must do during its certification, if anything."))
