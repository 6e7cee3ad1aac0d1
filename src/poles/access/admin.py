"""Admin pages for platform administrators: grants (who holds which role) and API tokens."""

from django.contrib import admin

from poles.access.models import ApiToken, Grant
from poles.core import audit


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "cluster", "region", "organisation", "status", "created_at")
    list_filter = ("role", "status")
    search_fields = ("user__username", "user__email", "cluster__name", "organisation__name")
    raw_id_fields = ("user", "cluster", "organisation", "created_by")

    def save_model(self, request, obj, form, change):
        before = audit.snapshot(Grant.objects.get(pk=obj.pk)) if change else {}
        super().save_model(request, obj, form, change)
        audit.record(request.user, "update" if change else "create", obj,
                     audit.diff(before, audit.snapshot(obj)), "admin")

    def delete_model(self, request, obj):
        audit.record(request.user, "delete", obj, audit.diff(audit.snapshot(obj), {}), "admin")
        super().delete_model(request, obj)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "prefix", "created", "last_used", "revoked")
    readonly_fields = ("owner", "name", "prefix", "digest", "created", "last_used")
    search_fields = ("name", "owner__username")

    def has_add_permission(self, request):
        return False
