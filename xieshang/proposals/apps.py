from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProposalsConfig(AppConfig):
    name = "xieshang.proposals"
    label = "proposals"
    verbose_name = _("Proposals")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from django.db.models.signals import post_save

        from xieshang.core import figures as figure_registry
        from xieshang.core import worklist
        from xieshang.core.dictionary import dictionary_changed
        from xieshang.core.models import Session
        from xieshang.core.navigation import NavItem, register
        from xieshang.proposals import (  # noqa: F401
            figures,
            permissions,
            policies,
            search_source,
            selectors,
            signals,
            tasks,
        )

        figure_registry.register("proposals", figures.proposals_figures, order=50)
        dictionary_changed.connect(tasks.on_dictionary_changed,
                                   dispatch_uid="xieshang.proposals.dictionary")

        post_save.connect(signals.session_saved, sender=Session,
                          dispatch_uid="xieshang.proposals.session_start")
        search_source.register_source()
        register(NavItem(_("Proposals"), "proposals-home", permissions.can_use_proposals,
                         order=20, icon="file"))
        register(NavItem(_("Excellent proposals"), "proposal-excellent",
                         permissions.can_nominate_excellent, order=22, icon="file"))
        worklist.register(worklist.Card(
            _("Excellent nominations awaiting the decision"), "proposal-excellent",
            count=lambda a: selectors.visible_nominations(a).filter(
                decided_at__isnull=True).count(),
            allowed=permissions.can_manage_excellent, order=29))
        worklist.register_action(worklist.Action(
            pgettext_lazy("home", "Write a proposal"), "proposal-new", permissions.can_submit,
            order=10))
        for wl in selectors.WORKLISTS.values():
            worklist.register(worklist.Card(
                wl.label, f"proposals-{wl.name.replace('_', '-')}",
                count=selectors.counter(wl.query), allowed=wl.allowed, order=wl.order))
