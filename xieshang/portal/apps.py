from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "xieshang.portal"
    label = "portal"
    verbose_name = _("Public website")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import public_sites
        from xieshang.core.navigation import NavItem, register
        from xieshang.portal import permissions, search_source, selectors

        public_sites.register(selectors.public_site_links)

        search_source.register_source()
        register(NavItem(_("Website"), "portal-manage", permissions.can_edit, order=90))
