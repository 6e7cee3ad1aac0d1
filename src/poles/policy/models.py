"""Assessments of the state of play of cluster policy, per country or region, kept with their history.

Each save adds a row (never an update): the latest row of a territory and year is its current
assessment, the earlier ones its history (who changed which score, when).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from poles.registry.programme import validate_year

COUNTRY = "FR"
"""The territory code of the country's own assessment (the national officer's)."""


class Assessment(models.Model):
    """One version of a territory's state of play for a year: a score per criterion and notes."""

    territory = models.CharField(
        _("territory"), max_length=3,
        help_text=_("FR for the country, else the region's INSEE code."),
    )
    region = models.ForeignKey("territories.Region", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="policy_assessments")
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    scores = models.JSONField(_("scores"), default=dict, help_text=_("Criterion key → score (0–3)."))
    notes = models.JSONField(_("qualitative description"), default=dict, blank=True,
                             help_text=_("Criterion key → text, as the factsheet's description."))
    summary = models.TextField(_("summary"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["territory", "-year", "-saved_at", "-pk"]
        indexes = [
            # the current version of a territory and year: its latest row
            models.Index(fields=["territory", "year", "saved_at"], name="assessment_latest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.year} ({self.saved_at:%Y-%m-%d %H:%M})" if self.saved_at else self.territory

    @property
    def is_country(self) -> bool:
        return self.territory == COUNTRY
