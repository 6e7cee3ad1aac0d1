"""The web app's own rows: member-list imports started from a page, run by the task worker."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """A members file uploaded in a workspace: checked, then imported by a task, with its report.

    A page upload starts as a preview (how the columns were understood, the first rows parsed);
    the import is queued when the user confirms. The file is kept only until the job ends. While it runs, its live progress is in the shared
    cache (`poles.core.progress`), not in this row: the import's transaction holds the database.
    """

    MAX_ATTEMPTS = 3
    """Runs started before a job whose worker keeps dying is marked failed."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("to confirm")
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed, nothing written")

    cluster = models.ForeignKey("registry.Cluster", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    file_name = models.CharField(max_length=255)
    content = models.BinaryField(blank=True, default=b"")
    size = models.PositiveIntegerField(default=0)
    year = models.PositiveSmallIntegerField()
    dry_run = models.BooleanField(default=False)
    language = models.CharField(max_length=10, blank=True, help_text=_(
        "The interface language of the upload: the report's messages are written in it."))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    task_id = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["cluster", "created"], name="importjob_cluster_idx"),  # the cluster's history
            models.Index(fields=["status"], name="importjob_status_idx"),  # running jobs, for recovery
        ]

    def __str__(self) -> str:
        return f"{self.file_name} → {self.cluster_id} ({self.status})"

    @property
    def finished_ok(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def restarts(self) -> int:
        """Runs that a stopped worker interrupted before the one waiting or running now."""
        if self.status == self.Status.QUEUED:
            return self.attempts
        return max(self.attempts - 1, 0) if self.status == self.Status.RUNNING else 0

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
