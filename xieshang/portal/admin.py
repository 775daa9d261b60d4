"""Sites in Django's admin: where a platform administrator (site superuser) sets the host name
a committee's site answers at (never the committee's own editors; ``Site.clean`` refuses the
platform's own hosts and addresses)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xieshang.core.admin import AuditedAdmin
from xieshang.portal import models


@admin.register(models.Site)
class SiteAdmin(AuditedAdmin):
    list_display = ("title", "committee", "host_name", "is_public")
    search_fields = ("title", "host_name")
    fields = ("committee", "title", "host_name")
    readonly_fields = ("committee", "title")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a site is made with its committee (portal.services.site_ensure)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
