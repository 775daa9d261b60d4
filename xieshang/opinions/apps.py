from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OpinionsConfig(AppConfig):
    name = "xieshang.opinions"
    label = "opinions"
    verbose_name = _("Public-opinion reports")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import figures as figure_registry
        from xieshang.core import navigation, worklist
        from xieshang.opinions import (  # noqa: F401
            figures,
            permissions,
            policies,
            search_source,
            selectors,
        )

        figure_registry.register("opinions", figures.opinions_figures, order=40)
        # 提案转社情民意: converting a proposal creates its report here (proposals is optional).
        from importlib.util import find_spec
        if find_spec("xieshang.proposals.workflow") is not None:
            from xieshang.opinions.conversion import proposal_to_report, report_link
            from xieshang.proposals.models import ConversionTarget
            from xieshang.proposals.workflow import register_conversion_handler
            register_conversion_handler(ConversionTarget.PUBLIC_OPINION, proposal_to_report,
                                        link=report_link)
        search_source.register_sources()
        navigation.register(navigation.NavItem(
            _("Public opinion"), "opinions:home",
            lambda a: a.committee is not None and bool(a.roles), order=40, icon="opinion"))
        navigation.register(navigation.NavItem(
            _("Topics"), "opinions:topic-list", permissions.can_screen_topics, order=45,
            icon="topic"))
        cards = [
            (_("My public-opinion reports"), "opinions:mine",
             lambda a: selectors.my_reports(a).count(),
             lambda a: a.member_id is not None or bool(a.body_ids)
             or permissions.is_correspondent(a), 40),
            (_("Reports to edit"), "opinions:inbox-to_edit",
             lambda a: selectors.inbox(a, "to_edit").count(), permissions.is_editor, 41),
            (_("Reports to sign off"), "opinions:inbox-to_sign",
             lambda a: selectors.inbox(a, "to_sign").count(),
             lambda a: a.committee is not None and a.has(*permissions.SIGNER_ROLES), 42),
            (_("Reports to publish"), "opinions:inbox-to_publish",
             lambda a: selectors.inbox(a, "to_publish").count(), permissions.is_editor, 43),
            (_("Reports received from lower committees"), "opinions:inbox-received",
             lambda a: selectors.inbox(a, "received").count(), permissions.is_editor, 44),
            (_("Topics to screen"), "opinions:topic-list",
             lambda a: selectors.topic_list(a, status="new").count(),
             permissions.can_screen_topics, 46),
        ]
        worklist.register_action(worklist.Action(
            pgettext_lazy("home", "Send a public-opinion report"), "opinions:submit",
            permissions.can_submit, order=20))
        for label, url_name, count, allowed, order in cards:
            worklist.register(worklist.Card(label=label, url_name=url_name, count=count,
                                            allowed=allowed, order=order))
