from django.contrib import admin

from xieshang.core.admin import AuditedAdmin
from xieshang.members import models


@admin.register(models.Sector)
class SectorAdmin(AuditedAdmin):
    list_display = ("name", "committee", "order", "is_active")
    list_filter = ("committee",)


@admin.register(models.HandlingUnit)
class HandlingUnitAdmin(AuditedAdmin):
    list_display = ("name", "kind", "committee", "contact_name", "is_active")
    list_filter = ("committee", "kind")
    search_fields = ("name",)


@admin.register(models.SpecialCommittee)
class SpecialCommitteeAdmin(AuditedAdmin):
    list_display = ("name", "committee", "established_on", "dissolved_on")


@admin.register(models.CollectiveBody)
class CollectiveBodyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "committee")
