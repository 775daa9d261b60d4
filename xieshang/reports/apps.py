from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xieshang.reports"
    label = "reports"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        from xieshang.core.navigation import NavItem, register
        from xieshang.reports import dashboard, permissions, providers

        providers.register_all()
        dashboard.register_all()
        register(NavItem(_("Statistics"), "reports-figures", permissions.can_view, order=70))
        register(NavItem(_("Dashboard"), "reports-dashboard", permissions.can_view, order=69))
