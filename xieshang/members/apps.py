from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class MembersConfig(AppConfig):
    name = "xieshang.members"
    label = "members"
    verbose_name = _("Members and organisation")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import figures as figure_registry
        from xieshang.core.navigation import NavItem, register
        from xieshang.members import figures, permissions, search_source

        figure_registry.register("members", figures.members_figures, order=10)
        search_source.register_sources()
        register(
            NavItem(
                pgettext_lazy("members", "Members"),
                "member-list",
                permissions.can_view_directory,
                order=80,
            )
        )
        register(NavItem(_("Handling units"), "unit-list", permissions.can_view_directory,
                         order=85))
