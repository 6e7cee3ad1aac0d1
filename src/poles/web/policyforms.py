"""The state-of-play form: one choice per criterion of the framework (its four values), notes, summary."""

from __future__ import annotations

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from poles.policy.framework import FRAMEWORK, Criterion
from poles.registry.programme import current_year, validate_year


def french() -> bool:
    return (get_language() or "fr").startswith("fr")


def name_of(criterion: Criterion) -> str:
    return criterion.name_fr if french() else criterion.name_en


def description_of(criterion: Criterion) -> str:
    return criterion.description_fr if french() else criterion.description_en


def level_text(criterion: Criterion, score: int | None) -> str:
    level = criterion.level(score) if score is not None else None
    if level is None:
        return ""
    return level.fr if french() else level.en


class StateOfPlayForm(forms.Form):
    """Year, then per criterion its value (radio buttons) and a qualitative description, then a summary."""

    year = forms.IntegerField(label=_("Year"), validators=[validate_year])
    summary = forms.CharField(label=_("Summary"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = self.initial.get("year", current_year())
        for c in FRAMEWORK:
            self.fields[f"score_{c.key}"] = forms.TypedChoiceField(
                label=name_of(c), help_text=description_of(c), coerce=int, widget=forms.RadioSelect,
                choices=[(lv.score, f"{lv.score} — {lv.fr if french() else lv.en}") for lv in c.levels])
            self.fields[f"note_{c.key}"] = forms.CharField(
                label=_("Qualitative description: %(criterion)s") % {"criterion": name_of(c)}, required=False,
                max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def criteria(self):
        """(criterion, score field, note field) in the framework's order, for the template."""
        return [(c, self[f"score_{c.key}"], self[f"note_{c.key}"]) for c in FRAMEWORK]

    def scores(self) -> dict[str, int]:
        return {c.key: self.cleaned_data[f"score_{c.key}"] for c in FRAMEWORK}

    def notes(self) -> dict[str, str]:
        return {c.key: self.cleaned_data.get(f"note_{c.key}", "") for c in FRAMEWORK}

    @classmethod
    def initial_from(cls, assessment, year: int) -> dict:
        if assessment is None:
            return {"year": year}
        return {"year": year, "summary": assessment.summary,
                **{f"score_{k}": v for k, v in assessment.scores.items()},
                **{f"note_{k}": v for k, v in assessment.notes.items()}}
