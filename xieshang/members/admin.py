from django.contrib import admin

from xieshang.members import models


@admin.register(models.Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ("name", "committee", "order", "is_active")
    list_filter = ("committee",)


@admin.register(models.HandlingUnit)
class HandlingUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "committee", "contact_name", "is_active")
    list_filter = ("committee", "kind")
    search_fields = ("name",)


@admin.register(models.SpecialCommittee)
class SpecialCommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "committee", "established_on", "dissolved_on")


@admin.register(models.CollectiveBody)
class CollectiveBodyAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "committee")
