from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "xieshang.activities"
    label = "activities"
    verbose_name = _("Consultations, meetings and activities")

    def ready(self) -> None:
        # Imported here, not at the top: these modules load models, which exist only once the
        # app registry is ready.
        from xieshang.activities import figures, permissions, search_source, selectors
        from xieshang.core import figures as figure_registry
        from xieshang.core import navigation, worklist

        figure_registry.register("activities", figures.activities_figures, order=20)
        figure_registry.register("attendance", figures.attendance_figures, order=60)
        search_source.register_source()
        navigation.register(navigation.NavItem(
            _("Meetings and activities"), "activities:list",
            lambda a: permissions.can_view_all(a) or a.member_id is not None, order=40))
        navigation.register(navigation.NavItem(
            _("Learning"), "activities:learning", permissions.can_read_materials, order=45))
        worklist.register(worklist.Card(
            _("Invitations awaiting your reply"), "activities:my-invitations",
            selectors.awaiting_reply_count, lambda a: a.member_id is not None, order=20,
            hint=_("Confirm or ask for leave")))
        worklist.register(worklist.Card(
            _("Leave requests to approve"), "activities:leave-requests",
            lambda a: selectors.leave_requests(a).count(), permissions.can_manage_activities,
            order=30))
        worklist.register(worklist.Card(
            _("Overdue ledger items"), "activities:ledger", selectors.overdue_count,
            permissions.can_keep_ledger, order=35, hint=_("Suggestions without feedback")))
