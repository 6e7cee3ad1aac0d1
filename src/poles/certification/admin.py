from django.contrib import admin

from poles.certification import models


@admin.register(models.Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("title", "phase", "state", "published_on")
    readonly_fields = ("state", "state_changed_at", "published_on")
    # states move through the transition service only (audited, notified), never by hand here


@admin.register(models.Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ("cluster", "campaign", "state", "outcome", "duration_years")
    list_filter = ("campaign", "state")
    readonly_fields = ("state", "state_changed_at", "submitted_at", "decided_at", "indicators")
