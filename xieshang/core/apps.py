from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xieshang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import checks, integrity, mfa, signals  # noqa: F401  (registers)
        from xieshang.core.navigation import NavItem, register
        from xieshang.core.permissions import can_open_administration
        from xieshang.core.refdata import may_manage_any

        register(NavItem(_("Reference data"), "refdata-index", may_manage_any, order=880))
        # Django's admin writes past the services and the audit log: it is kept for a site
        # superuser's repairs only (the office keeps reference data on the 基础数据 pages).
        from django.contrib import admin

        admin.site.has_permission = superuser_only  # type: ignore[method-assign]
        register(NavItem(_("System administration"), "manage-home", can_open_administration,
                         order=900, icon="settings"))


def superuser_only(request: object) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_active and user.is_superuser)
