from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "xieshang.duties"
    label = "duties"
    verbose_name = _("Duty records and assessment")

    def ready(self) -> None:
        from xieshang.core.navigation import NavItem, register
        from xieshang.duties import permissions, sources

        sources.register_builtin()
        register(NavItem(_("Duty record"), "duty-mine", permissions.has_own_record, order=60))
        register(NavItem(_("Duty scores"), "duty-ranking", permissions.can_view_all, order=61))
        register(NavItem(_("Self-reports"), "duty-self-reports",
                         permissions.can_review_self_reports, order=62))
