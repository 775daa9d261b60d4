from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "xieshang.members"
    label = "members"
    verbose_name = _("Members and organisation")

    def ready(self) -> None:
        from xieshang.core.navigation import NavItem, register
        from xieshang.members import permissions, search_source

        search_source.register_sources()
        register(NavItem(_("Members"), "member-list", permissions.can_view_directory, order=80))
        register(NavItem(_("Handling units"), "unit-list", permissions.can_view_directory,
                         order=85))
