"""The web app's own rows: member-list imports started from a page, with their progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A members file uploaded in a workspace: checked, then imported, with progress and report."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("errors found, nothing written")

    cluster = models.ForeignKey("registry.Cluster", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField()
    year = models.PositiveSmallIntegerField()
    dry_run = models.BooleanField(default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [models.Index(fields=["cluster", "created"], name="importjob_cluster_idx")]  # the cluster's history

    def __str__(self) -> str:
        return f"{self.file_name} → {self.cluster_id} ({self.status})"

    @property
    def finished_ok(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
