"""Who holds which role (grants) and the API tokens: the data the access layer decides from.

The tables keep their first names (`core_grant`, `core_apitoken`): they moved here from `core`
when the access layer was split off the base (migration `core.0004`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from poles.access.roles import Role


class Grant(models.Model):
    """A role given to a user, bound to a cluster, a region or an organisation when it needs one.

    A grant counts only while active. A member-representative grant on an organisation that already
    has a representative, or that another cluster supplied or counts among its members, waits for
    the consent of a current representative or a programme officer (`access.invitations`).
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        AWAITING = "awaiting", _("awaiting consent")
        REFUSED = "refused", _("refused")

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
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("Who consented to (or refused) a grant that waited for consent."),
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "core_grant"
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
        db_table = "core_apitoken"
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
