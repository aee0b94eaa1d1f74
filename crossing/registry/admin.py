"""Administrators maintain the places; people are never edited here (access layer only)."""

from django.contrib import admin

from crossing.access.admin import AuditedAdmin
from crossing.registry.models import Compound, CompoundAlias, CompoundInfrastructure, HoldingFacility


class AliasInline(admin.TabularInline):
    model = CompoundAlias
    extra = 1
    exclude = ["search_key"]


class InfrastructureInline(admin.TabularInline):
    model = CompoundInfrastructure
    extra = 1
    exclude = ["recorded_by"]


@admin.register(Compound)
class CompoundAdmin(AuditedAdmin):
    list_display = ["name", "country", "controlling_group", "estimated_headcount"]
    exclude = ["search_key"]
    inlines = [AliasInline, InfrastructureInline]


@admin.register(HoldingFacility)
class HoldingFacilityAdmin(AuditedAdmin):
    list_display = ["name", "kind", "country", "capacity_men", "capacity_women", "capacity_minors"]
