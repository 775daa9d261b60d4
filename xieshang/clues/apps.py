from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CluesConfig(AppConfig):
    name = "xieshang.clues"
    label = "clues"
    verbose_name = _("Proposal clues")

    def ready(self) -> None:
        from xieshang.clues import figures, permissions
        from xieshang.core import figures as registry
        from xieshang.core.navigation import NavItem, register

        registry.register("clues", figures.clue_figures, order=25)
        register(NavItem(_("Proposal clues"), "clues:list", permissions.can_browse, order=25))
