"""Django admin for nomenclatures (loaded by `poles load_reference`)."""

from django.contrib import admin

from poles.nomenclatures import models


@admin.register(models.NaceCode)
class NaceCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "label"]
    list_filter = ["level"]
    search_fields = ["code", "label"]


@admin.register(models.NafCode)
class NafCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "nace"]
    search_fields = ["code", "label"]


@admin.register(models.Ecosystem)
class EcosystemAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_fr"]
    filter_horizontal = ["nace_divisions"]
