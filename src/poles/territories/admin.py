"""Django admin for territories (read mostly: they come from `poles load_reference`)."""

from django.contrib import admin

from poles.territories import models


@admin.register(models.Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "nuts", "overseas"]
    search_fields = ["name", "code"]


@admin.register(models.Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region", "nuts"]
    search_fields = ["name", "code"]


@admin.register(models.Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "departement", "population"]
    search_fields = ["name", "code", "postcodes__code"]


@admin.register(models.NutsRegion)
class NutsRegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "country"]
    list_filter = ["level", "country"]
    search_fields = ["code", "name"]
