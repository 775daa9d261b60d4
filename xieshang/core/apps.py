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
        register(NavItem(_("System administration"), "manage-home", can_open_administration,
                         order=900, icon="settings"))
