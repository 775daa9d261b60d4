"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "duty.manual_item_add": pgettext_lazy("audit", "Recorded a duty item"),
    "duty.manual_item_update": pgettext_lazy("audit", "Corrected a duty item"),
    "duty.manual_item_void": pgettext_lazy("audit", "Withdrew a duty item"),
    "duty.ruleset_create": pgettext_lazy("audit", "Created the year's scoring rules"),
    "duty.rule_save": pgettext_lazy("audit", "Saved a scoring rule"),
    "duty.rule_delete": pgettext_lazy("audit", "Deleted a scoring rule"),
    "duty.self_report_save": pgettext_lazy("audit", "Saved a self-report"),
    "duty.self_reports_remind": pgettext_lazy("audit", "Reminded members of their self-reports"),
    "duty.warning_rule_create": pgettext_lazy("audit", "Added a warning rule"),
    "duty.warning_rule_pause": pgettext_lazy("audit", "Paused a warning rule"),
    "duty.warning_rules_install": pgettext_lazy("audit", "Installed the default warning rules"),
    "duty.warnings_check": pgettext_lazy("audit", "Checked the duty warnings"),
}
