from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "xieshang.duties"
    label = "duties"
    verbose_name = _("Duty records and assessment")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import figures as figure_registry
        from xieshang.core.navigation import NavItem, register
        from xieshang.duties import figures, permissions, sources, watch

        figure_registry.register("duties", figures.duties_figures, order=30)
        sources.register_builtin()
        watch.connect()
        register(NavItem(_("Duty record"), "duty-mine", permissions.has_own_record, order=60))
        register(NavItem(_("Duty scores"), "duty-ranking", permissions.can_view_all, order=61))
        register(NavItem(_("Self-reports"), "duty-self-reports",
                         permissions.can_review_self_reports, order=62))
