"""Admin page of the audit trail (read-only: entries are appended, never changed)."""

from django.contrib import admin

from poles.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "channel", "action", "model", "object_repr", "cluster_id")
    list_filter = ("channel", "action", "model")
    search_fields = ("object_repr", "object_pk", "user__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
