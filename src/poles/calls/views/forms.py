"""Forms of the applicant and labelling pages: the call's own questions and cost categories become fields."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from poles.calls.models import LabellingRequest
from poles.calls.questions import Question
from poles.registry.models import Cluster

DEFAULT_COST_CATEGORIES = ("staff", "equipment", "subcontracting", "overheads", "other")
"""The cost categories offered when the call names none (its `cost_categories` rule)."""
COST_LABELS = {"staff": _("Staff costs"), "equipment": _("Equipment"), "subcontracting": _("Subcontracting"),
               "overheads": _("Overheads"), "other": _("Other costs"), "consumables": _("Consumables"),
               "travel": _("Travel")}


def _label(question: Question) -> str:
    return question.label_en if (get_language() or "fr").startswith("en") else question.label_fr


def question_field(question: Question) -> forms.Field:
    """The form field of one question of the call (never required on a draft: completeness is checked on submit)."""
    label = _label(question)
    hint = _("Required to submit.") if question.required else ""
    if question.kind == "number":
        return forms.DecimalField(label=label, required=False, help_text=hint, min_value=question.minimum,
                                  max_value=question.maximum)
    if question.kind == "choice":
        return forms.ChoiceField(label=label, required=False, help_text=hint,
                                 choices=[("", "—"), *((c, c) for c in question.choices)])
    if question.max_length:
        hint = f"{hint} " + str(_("At most %(n)s characters.")) % {"n": question.max_length}
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=question.max_length, help_text=hint.strip())


class StartForm(forms.Form):
    """A new file: the organisation that coordinates it, its acronym and title."""

    organisation = forms.TypedChoiceField(label=_("Coordinating organisation"), coerce=int,
                                          help_text=_("An organisation you represent; it becomes the coordinator."))
    acronym = forms.CharField(label=_("Acronym"), max_length=100)
    title = forms.CharField(label=_("Title"), max_length=500)
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=240, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class DetailsForm(forms.Form):
    """The file's title, duration and the answers to the call's questions."""

    title = forms.CharField(label=_("Title"), max_length=500)
    duration_months = forms.IntegerField(label=_("Duration (months)"), min_value=1, max_value=240, required=False)

    def __init__(self, *args, questions: list[Question] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [q for q in questions if q.kind != "file"]  # documents are uploaded on their own form
        for q in self.questions:
            self.fields[f"q_{q.key}"] = question_field(q)

    def answers(self) -> dict:
        """The answers as the file stores them (numbers as text, exactly)."""
        found = {}
        for q in self.questions:
            value = self.cleaned_data.get(f"q_{q.key}")
            if isinstance(value, Decimal):
                value = str(value)
            found[q.key] = value
        return found


class DocumentForm(forms.Form):
    """A document for one file question of the form (its types and size are checked by `calls.documents`)."""

    key = forms.ChoiceField(label=_("Question"))
    file = forms.FileField(label=_("Document"), allow_empty_file=False,
                           help_text=_("PDF, image, office document, CSV or text; 10 MiB at most."))

    def __init__(self, *args, questions: list[Question] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(q.key, _label(q)) for q in questions if q.kind == "file"]


class PartnerForm(forms.Form):
    """One partner's costs by category, staff effort and requested aid."""

    staff_months = forms.DecimalField(label=_("Staff effort (person-months)"), min_value=0, max_digits=7,
                                      decimal_places=1, required=False)
    requested_aid = forms.DecimalField(label=_("Requested aid (EUR)"), min_value=0, max_digits=14,
                                       decimal_places=2, required=False)

    def __init__(self, *args, categories=DEFAULT_COST_CATEGORIES, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        for category in self.categories:
            self.fields[f"cost_{category}"] = forms.DecimalField(
                label=COST_LABELS.get(category, category), min_value=0, max_digits=14, decimal_places=2,
                required=False, help_text=_("EUR, excluding tax"))

    def costs(self) -> dict:
        return {c: str(self.cleaned_data.get(f"cost_{c}") or 0) for c in self.categories}


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the partner's representative"))


class AcceptForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("Organisation joining the consortium"), coerce=int)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.pk, o.name) for o in organisations]


class AskLabelForm(forms.Form):
    cluster = forms.ModelChoiceField(label=_("Competitiveness cluster"), queryset=Cluster.objects.none())

    def __init__(self, *args, clusters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if clusters is not None:
            self.fields["cluster"].queryset = clusters


class LabelDecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        (LabellingRequest.Status.LABELLED, _("Label the project")),
        (LabellingRequest.Status.CONDITIONAL, _("Label it with conditions")),
        (LabellingRequest.Status.DECLINED, _("Decline")),
    ])
    text = forms.CharField(label=_("Conditions, or the reason for declining"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}), max_length=4000,
                           help_text=_("Required unless the project is labelled without conditions."))

    def clean(self):
        data = super().clean()
        if data.get("status") in (LabellingRequest.Status.CONDITIONAL, LabellingRequest.Status.DECLINED) \
                and not (data.get("text") or "").strip():
            self.add_error("text", _("Say the conditions or why the label is declined."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
