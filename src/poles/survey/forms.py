"""The survey's forms: opening a year, attaching evidence."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from poles.registry.programme import current_year

EVIDENCE_EXTENSIONS = (".pdf", ".csv", ".xlsx", ".ods", ".odt", ".docx", ".png", ".jpg", ".jpeg", ".txt")
MAX_EVIDENCE_FILES = 20


class OpenSurveyForm(forms.Form):
    """The year a new survey describes, and when reports are due."""

    year = forms.IntegerField(label=_("Year the reports describe"), min_value=2000)
    deadline = forms.DateField(label=_("Reports due by (optional)"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = current_year()
        self.fields["year"].widget.attrs["max"] = current_year()
        self.fields["year"].initial = current_year() - 1


class EvidenceForm(forms.Form):
    """A file attached to a report, within the size limit of uploads."""

    file = forms.FileField(label=_("Evidence file"))

    def __init__(self, *args, refused: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refused = (refused or {}).get("file")
        self.fields["file"].help_text = _("PDF, spreadsheet, text or image; at most %(size)s.") % {
            "size": filesizeformat(settings.POLES_IMPORT_MAX_BYTES)}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(EVIDENCE_EXTENSIONS):
            raise forms.ValidationError(_("Send a file of one of these kinds: %(kinds)s; “%(name)s” is none of them.")
                                        % {"kinds": ", ".join(EVIDENCE_EXTENSIONS), "name": upload.name})
        if upload.size > settings.POLES_IMPORT_MAX_BYTES:
            raise forms.ValidationError(self._too_big(upload.name))
        return upload

    def clean(self):
        if self.refused:
            self.errors.pop("file", None)
            self.add_error("file", self._too_big(self.refused))
        return super().clean()

    @staticmethod
    def _too_big(name: str) -> str:
        return _("“%(name)s” is larger than %(size)s, the largest file accepted.") % {
            "name": name, "size": filesizeformat(settings.POLES_IMPORT_MAX_BYTES)}
