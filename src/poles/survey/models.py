"""The annual survey: a survey per year, each cluster's report in it, the evidence attached to a report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from poles.core.models import Attachment
from poles.survey.workflow import STATE_LABELS, State


class Survey(models.Model):
    """The programme's yearly survey: opened by a national officer for a year, closed when done."""

    year = models.PositiveSmallIntegerField(unique=True, help_text=_("The year the reports describe."))
    deadline = models.DateField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Survey {self.year}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Report(models.Model):
    """One cluster's yearly report: the figures its managers declared over the register's, its state, its snapshot."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reports")
    cluster = models.ForeignKey("registry.Cluster", on_delete=models.CASCADE, related_name="survey_reports")
    state = models.CharField(max_length=12, choices=[(s.value, s.value) for s in State], default=State.DRAFT.value)
    declared = models.JSONField(default=dict, blank=True,
                                help_text=_("Values the managers declared where the register lacks or errs."))
    note = models.TextField(blank=True, help_text=_("The managers' remarks on the year."))
    comment = models.TextField(blank=True, help_text=_("The officer's comment when the report was sent back."))
    history = models.JSONField(default=list, blank=True)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    validated_at = models.DateTimeField(null=True, blank=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reminded_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True,
                                help_text=_("Every figure as validated, with who and when; never rewritten."))

    class Meta:
        ordering = ["survey", "cluster__name"]
        constraints = [models.UniqueConstraint(fields=["survey", "cluster"], name="survey_report_unique")]
        # the status table lists a survey's reports by state
        indexes = [models.Index(fields=["survey", "state"], name="survey_report_state_idx")]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.survey.year}"

    @property
    def state_label(self) -> str:
        return STATE_LABELS[State(self.state)][1 if (get_language() or "fr").startswith("en") else 0]


class Evidence(Attachment):
    """A file a cluster attaches to its report (accounts, activity report…), kept in the database like imports."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    content = models.BinaryField()

    class Meta(Attachment.Meta):
        pass
