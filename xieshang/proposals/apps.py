from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "xieshang.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        from xieshang.core import worklist
        from xieshang.core.navigation import NavItem, register
        from xieshang.proposals import permissions, policies, search_source, selectors  # noqa: F401

        search_source.register_source()
        register(NavItem(_("Proposals"), "proposals-home", permissions.can_use_proposals,
                         order=20, icon="file"))
        for wl in selectors.WORKLISTS.values():
            worklist.register(worklist.Card(
                wl.label, f"proposals-{wl.name.replace('_', '-')}",
                count=selectors.counter(wl.query), allowed=wl.allowed, order=wl.order))
