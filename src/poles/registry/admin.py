"""Django admin for the register (platform admins only)."""

from django.contrib import admin

from poles.core.admin import RegisterAdmin
from poles.registry import models


class ClusterYearInline(admin.TabularInline):
    model = models.ClusterYear
    extra = 0


class ContactInline(admin.TabularInline):
    model = models.ClusterContact
    extra = 0


class EUProjectInline(admin.TabularInline):
    model = models.ClusterEUProject
    extra = 0


class CertificationInline(admin.TabularInline):
    model = models.Certification
    extra = 0


@admin.register(models.Cluster)
class ClusterAdmin(RegisterAdmin):
    list_display = ["name", "short_name", "status", "founded", "is_generated"]
    list_filter = ["status", "is_generated", "regions"]
    search_fields = ["name", "short_name", "slug", "siren"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["regions", "ecosystems"]
    autocomplete_fields = ["head_office"]
    inlines = [ClusterYearInline, ContactInline, EUProjectInline, CertificationInline]


class FiguresInline(admin.TabularInline):
    model = models.OrganisationFigures
    extra = 0


@admin.register(models.Organisation)
class OrganisationAdmin(RegisterAdmin):
    list_display = ["name", "kind", "size_category", "siren", "pic", "city", "country", "source"]
    list_filter = ["kind", "size_category", "source", "country", "is_generated"]
    search_fields = ["name", "siren", "pic", "key", "city"]
    readonly_fields = ["size_category", "size_year", "key"]
    raw_id_fields = ["group_head", "commune", "naf"]
    inlines = [FiguresInline]


@admin.register(models.Membership)
class MembershipAdmin(RegisterAdmin):
    list_display = ["organisation", "cluster", "year", "status", "fee_invoiced", "fee_paid"]
    list_filter = ["year", "status", "cluster"]
    search_fields = ["organisation__name", "cluster__name"]
    raw_id_fields = ["organisation"]


@admin.register(models.Phase)
class PhaseAdmin(RegisterAdmin):
    list_display = ["code", "number", "start_year", "end_year", "required_label"]


@admin.register(models.Certification)
class CertificationAdmin(RegisterAdmin):
    list_display = ["cluster", "phase", "outcome", "duration_years", "decision_date"]
    list_filter = ["phase", "outcome"]


@admin.register(models.Label)
class LabelAdmin(RegisterAdmin):
    list_display = ["name", "level", "kind", "issuer", "awarded", "expires", "cluster", "organisation"]
    list_filter = ["kind", "level"]
    raw_id_fields = ["organisation"]
