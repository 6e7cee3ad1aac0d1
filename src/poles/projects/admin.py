"""Django admin for projects, participations, fundings and calls."""

from django.contrib import admin

from poles.core.admin import RegisterAdmin
from poles.projects import models


class ParticipationInline(admin.TabularInline):
    model = models.Participation
    extra = 0
    raw_id_fields = ["organisation"]


class FundingInline(admin.TabularInline):
    model = models.Funding
    extra = 0


class ClusterLinkInline(admin.TabularInline):
    model = models.ProjectCluster
    extra = 0


@admin.register(models.Project)
class ProjectAdmin(RegisterAdmin):
    list_display = ["acronym", "title", "kind", "status", "start_date", "source", "is_public"]
    list_filter = ["kind", "status", "source", "is_public"]
    search_fields = ["acronym", "title", "key"]
    raw_id_fields = ["call"]
    inlines = [ClusterLinkInline, ParticipationInline, FundingInline]


@admin.register(models.Call)
class CallAdmin(RegisterAdmin):
    list_display = ["title", "funder", "programme", "opens", "closes", "budget"]
    list_filter = ["funder"]
    search_fields = ["title", "code", "programme"]
