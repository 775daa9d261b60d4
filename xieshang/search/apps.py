from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "xieshang.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from xieshang.core import integrity as install_checks
        from xieshang.core.navigation import NavItem, register
        from xieshang.search import index, integrity, permissions, sources

        sources.register_all()
        index.connect_signals()
        install_checks.register("search index", integrity.figures)
        register(NavItem(_("Search"), "search", lambda a: a.committee is not None, order=95))
        register(NavItem(_("Committee dictionary"), "search-dictionary",
                         permissions.can_edit_dictionary, order=96))
