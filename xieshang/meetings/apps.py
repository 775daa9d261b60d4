from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "xieshang.meetings"
    label = "meetings"
    verbose_name = _("Plenary and standing committee meetings")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.core import figures as figure_registry
        from xieshang.core import navigation, worklist
        from xieshang.meetings import figures, permissions, selectors

        figure_registry.register("meetings", figures.meetings_figures, order=25)

        navigation.register(navigation.NavItem(
            _("Plenary meetings"), "meetings:list",
            lambda a: permissions.can_manage(a) or a.member_id is not None
            or permissions.can_read_all(a), order=42))
        worklist.register(worklist.Card(
            _("Votes waiting for you"), "meetings:list", selectors.awaiting_my_vote,
            lambda a: a.member_id is not None, order=15,
            hint=_("Open votes and elections at a meeting you are registered at")))
