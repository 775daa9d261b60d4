from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "xieshang.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from xieshang.core import checks, integrity, mfa, signals  # noqa: F401  (registers keys/checks)
        from xieshang.core.navigation import NavItem, register
        from xieshang.core.permissions import can_open_administration

        register(NavItem(_("System administration"), "manage-home", can_open_administration,
                         order=900, icon="settings"))
