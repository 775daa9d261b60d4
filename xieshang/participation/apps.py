from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "xieshang.participation"
    label = "participation"
    verbose_name = _("Online consultation, surveys and studios")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import figures as figure_registry
        from xieshang.core import navigation, worklist
        from xieshang.duties.facts import register_source
        from xieshang.participation import facts, figures, permissions, selectors

        figure_registry.register("participation", figures.participation_figures, order=80)
        register_source("participation", facts.participation_facts, facts.KINDS)
        navigation.register(navigation.NavItem(
            _("Online consultation"), "participation:rooms", permissions.can_open_channels,
            order=46))
        navigation.register(navigation.NavItem(
            _("Surveys"), "participation:surveys", permissions.can_open_channels, order=47))
        navigation.register(navigation.NavItem(
            _("Members' studios"), "participation:studios", permissions.can_open_channels,
            order=48))
        worklist.register(worklist.Card(
            _("Surveys awaiting your answer"), "participation:surveys", selectors.surveys_awaiting,
            lambda a: a.member_id is not None, order=25))
        worklist.register(worklist.Card(
            _("Online consultations open to you"), "participation:rooms", selectors.rooms_open_to,
            lambda a: a.member_id is not None, order=26, hint=_("Take part before they close")))
        worklist.register(worklist.Card(
            _("Online consultations and surveys to publish"), "participation:rooms",
            selectors.drafts_to_publish_count, permissions.can_keep, order=27,
            hint=_("Drafts: members see them once published"),
            items=selectors.drafts_to_publish))
