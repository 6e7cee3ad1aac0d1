"""Certification campaigns: a campaign per phase with its grid, the clusters' applications, evaluators' scores.

The decision of each application becomes the register's `Certification` of the cluster for the
campaign's phase when the campaign publishes its decisions (`services.transition_campaign`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from poles.certification.rules import CERTIFIED, NOT_CERTIFIED
from poles.certification.workflow import (
    CAMPAIGN_LABELS,
    CANDIDACY_LABELS,
    CampaignState,
    CandidacyState,
)
from poles.core.models import Attachment
from poles.registry.models import Cluster, Phase


class Campaign(models.Model):
    """A certification campaign for one phase, with its criteria grid as data."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="campaigns")
    title = models.CharField(_("title"), max_length=200)
    grid = models.JSONField(_("criteria grid"), default=list,
                            help_text=_("Criteria with weights and scales, as in a call's grid."))
    applications_close = models.DateField(_("applications close"), null=True, blank=True)
    state = models.CharField(max_length=14, choices=[(s.value, CAMPAIGN_LABELS[s][1]) for s in CampaignState],
                             default=CampaignState.DRAFT.value)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Candidacy(models.Model):
    """A cluster's application to a campaign: statements per criterion, evidence, indicators, the decision."""

    class Outcome(models.TextChoices):
        NONE = "", _("no decision yet")
        CERTIFIED = CERTIFIED, _("certified")
        NOT_CERTIFIED = NOT_CERTIFIED, _("not certified")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="candidacies")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="candidacies")
    state = models.CharField(max_length=10, choices=[(s.value, CANDIDACY_LABELS[s][1]) for s in CandidacyState],
                             default=CandidacyState.DRAFT.value)
    state_changed_at = models.DateTimeField(null=True, blank=True)
    statements = models.JSONField(default=dict, blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    indicators = models.JSONField(default=list, blank=True, help_text=_("The indicators as frozen at submission."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    outcome = models.CharField(max_length=14, choices=Outcome.choices, default=Outcome.NONE, blank=True)
    duration_years = models.PositiveSmallIntegerField(null=True, blank=True, choices=[(4, "4"), (2, "2"), (1, "1")])
    conditions = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cluster__name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "cluster"], name="candidacy_one_per_cluster")]

    def __str__(self) -> str:
        return f"{self.cluster} — {self.campaign}"


class Evaluation(models.Model):
    """An evaluator assigned to an application, and their scores and comments on the campaign's grid."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    scores = models.JSONField(default=dict, blank=True)
    comments = models.JSONField(default=dict, blank=True)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["candidacy", "evaluator"], name="evaluation_one_per_evaluator")]
        indexes = [models.Index(fields=["evaluator", "candidacy"], name="evaluation_by_evaluator")]
        # the evaluator's inbox and the permission layer look evaluations up by evaluator

    def __str__(self) -> str:
        return f"{self.evaluator} — {self.candidacy}"


def evidence_path(instance: CandidacyFile, filename: str) -> str:
    """Where the storage keeps a file: by campaign and application, under a random name (the name the
    cluster gave is kept in the row, never used as a path)."""
    import uuid

    return f"certification/{instance.candidacy.campaign_id}/{instance.candidacy_id}/{uuid.uuid4().hex}"


class CandidacyFile(Attachment):
    """An evidence file of an application, kept by Django's storage, served only through the permission layer."""

    candidacy = models.ForeignKey(Candidacy, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_path, max_length=255)

    class Meta(Attachment.Meta):
        pass
