from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "xieshang.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from xieshang.core.navigation import NavItem, register
        from xieshang.search import index, permissions

        # The kinds are registered by their own apps (xieshang.core.searchable).
        index.connect_signals()
        register(NavItem(_("Search"), "search", lambda a: a.committee is not None, order=95))
        register(NavItem(_("Committee dictionary"), "search-dictionary",
                         permissions.can_edit_dictionary, order=96))
