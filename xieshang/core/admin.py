"""Django's admin, for site superusers and reference data only. Every change made here is
written to the audit log like a service's (``AuditedAdmin``): the admin is no way around it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models as db_models
from django.db import transaction
from django.http import HttpRequest

from xieshang.core import audit, models
from xieshang.core.middleware import client_ip
from xieshang.core.permissions import Actor


def _actor(request: HttpRequest, obj: db_models.Model) -> Actor:
    committee = getattr(obj, "committee", None)
    user = request.user if isinstance(request.user, models.User) else None
    return Actor(user=user, committee=committee if isinstance(committee, models.Committee)
                 else None, ip=client_ip(request))


class AuditedAdmin(admin.ModelAdmin[Any]):
    """Saves and deletions in the admin write an audit row (``admin.<model>.<what>``) in the
    same transaction as the change, with the superuser as the actor."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = audit.snapshot(type(obj)._default_manager.get(pk=obj.pk)) if change else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = audit.snapshot(obj)
            old, new = audit.diff(before, after) if change else ({}, after)
            audit.record(_actor(request, obj),
                         f"admin.{obj._meta.model_name}.{'change' if change else 'add'}",
                         obj, before=old, after=new)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            audit.record(_actor(request, obj), f"admin.{obj._meta.model_name}.delete", obj,
                         before=audit.snapshot(obj))
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            for obj in queryset:
                audit.record(_actor(request, obj), f"admin.{obj._meta.model_name}.delete", obj,
                             before=audit.snapshot(obj))
            super().delete_queryset(request, queryset)


@admin.register(models.Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ("name", "code", "level", "parent")
    search_fields = ("name", "code")


@admin.register(models.Term)
class TermAdmin(AuditedAdmin):
    list_display = ("__str__", "committee", "start_date", "end_date")


@admin.register(models.Session)
class SessionAdmin(AuditedAdmin):
    list_display = ("label", "committee", "start_date", "end_date")


@admin.register(models.CalendarDay)
class CalendarDayAdmin(AuditedAdmin):
    list_display = ("date", "name", "is_workday", "committee")
    list_filter = ("is_workday", "committee")
    date_hierarchy = "date"


@admin.register(models.CalendarYear)
class CalendarYearAdmin(AuditedAdmin):
    list_display = ("year", "source")
