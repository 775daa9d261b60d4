from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "xieshang.reports"
    label = "reports"
    verbose_name = _("Statistics and reports")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import figures
        from xieshang.core.navigation import NavItem, register
        from xieshang.reports import dashboard, permissions, precompute, units

        # Each area registers its own figures; the handling units' figures are this app's own.
        figures.register("units", units.units_figures, order=70)
        dashboard.register_all()
        precompute.connect()
        register(NavItem(_("Statistics"), "reports-figures", permissions.can_view, order=70))
        register(NavItem(_("Dashboard"), "reports-dashboard", permissions.can_view, order=69))
