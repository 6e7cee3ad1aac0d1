"""Admin pages of the base: the audit trail (read-only), and the base of the register's admins."""

from django.contrib import admin

from poles.core.changes import announce
from poles.core.models import AuditEntry


class RegisterAdmin(admin.ModelAdmin):
    """Admin of register rows: deletions and inline changes announce a register change.

    Saves announce themselves (post_save, `poles.web.apps`); deletions are not hooked on
    post_delete, which would stop Django deleting dependent rows in bulk.
    """

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        announce()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        announce()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        announce()


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
