from django.contrib import admin

from xieshang.core import models


@admin.register(models.Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "level", "parent")
    search_fields = ("name", "code")


@admin.register(models.Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("__str__", "committee", "start_date", "end_date")


@admin.register(models.Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("label", "committee", "start_date", "end_date")


@admin.register(models.CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_workday", "committee")
    list_filter = ("is_workday", "committee")
    date_hierarchy = "date"


@admin.register(models.CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source")
