"""A run of report generation (all clusters and the national synthesis, or one cluster), done by a task."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportRun(models.Model):
    """One request for the year's reports: its status, progress and the files it wrote.

    The files live in `POLES_REPORTS_DIR/<id>/`; while the task runs, its live progress is in the
    shared cache (`poles.core.progress`, key `report:<id>`), and `done`/`total` hold the last count.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    year = models.PositiveSmallIntegerField()
    read_on = models.DateField(help_text=_("The day the register was read (stated in every report)."))
    as_of = models.DateField(null=True, blank=True,
                             help_text=_("The date the figures are as of (the day of the run when empty)."))
    cluster = models.ForeignKey("registry.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    language = models.CharField(max_length=10, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    files = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["created"], name="reportrun_created_idx")]  # the runs page, newest first

    def __str__(self) -> str:
        return f"reports {self.year} read on {self.read_on} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
