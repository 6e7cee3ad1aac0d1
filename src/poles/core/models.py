"""Shared model bases and the audit trail (the base layer: it imports nothing of poles above it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """Where a row or a figure comes from."""

    MANUAL = "manual", _("entered by hand")
    IMPORT = "import", _("member-list import")
    ANR = "anr", _("ANR / PIA open data")
    CORDIS = "cordis", _("CORDIS Horizon 2020")
    DEMO = "demo", _("generated demo data")
    LOAD = "load", _("loaded from an export")


class Stamped(models.Model):
    """Creation and update times, and whether the row is generated demo data."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    is_generated = models.BooleanField(
        default=False, help_text=_("Generated demo data, not a fact.")
    )

    class Meta:
        abstract = True


class Attachment(models.Model):
    """A file someone attached (survey evidence, certification evidence): its name as given, kind,
    size, who and when; where its bytes live is the concrete model's."""

    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who changed what, when, and through which channel (page, API, import, admin)."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    channel = models.CharField(max_length=20, default="page")
    action = models.CharField(max_length=10, choices=Action.choices)
    model = models.CharField(max_length=60)
    object_pk = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    cluster_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["model", "object_pk"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.model} {self.object_pk}"
