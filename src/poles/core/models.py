"""Shared model bases and the audit trail."""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from poles.core.roles import Role


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


class Grant(models.Model):
    """A role given to a user, bound to a cluster, a region or an organisation when it needs one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    cluster = models.ForeignKey(
        "registry.Cluster", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    region = models.ForeignKey(
        "territories.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="grants"
    )
    organisation = models.ForeignKey(
        "registry.Organisation", null=True, blank=True, on_delete=models.CASCADE,
        related_name="grants",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="manager") | models.Q(cluster__isnull=False),
                name="grant_manager_has_cluster",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="regional") | models.Q(region__isnull=False),
                name="grant_regional_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="member") | models.Q(organisation__isnull=False),
                name="grant_member_has_organisation",
            ),
            models.UniqueConstraint(  # one grant per target; an absent target counts as one value
                "user", "role", Coalesce("cluster", Value(0)), Coalesce("region", Value("")),
                Coalesce("organisation", Value(0)), name="grant_unique",
            ),
        ]

    def __str__(self) -> str:
        target = self.cluster or self.region or self.organisation or ""
        return f"{self.user} — {self.get_role_display()} {target}".strip()


class ApiToken(models.Model):
    """A bearer token for integrations: only its SHA-256 hash is stored, shown once on creation."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text=_("First characters, to recognise it."))
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
