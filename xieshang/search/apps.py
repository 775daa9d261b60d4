from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "xieshang.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import dictionary as core_dictionary
        from xieshang.core import fulltext
        from xieshang.core import integrity as install_checks
        from xieshang.core.navigation import NavItem, register
        from xieshang.search import dictionary, index, integrity, matching, permissions

        # What the apps below search read through core (they never import search); the kinds of
        # records are registered by their own apps (xieshang.core.searchable).
        core_dictionary.use_source(dictionary.SOURCE)
        fulltext.use_engine(matching.ENGINE)
        index.connect_signals()
        install_checks.register("search index", integrity.figures)
        register(NavItem(_("Search"), "search", lambda a: a.committee is not None, order=95))
        register(NavItem(_("Committee dictionary"), "search-dictionary",
                         permissions.can_edit_dictionary, order=96))
