"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "demo.build": pgettext_lazy("audit", "Built the demonstration data"),
    "scale.proposals": pgettext_lazy("audit", "Generated proposals for a scale test"),
    "scale.opinions": pgettext_lazy("audit", "Generated reports for a scale test"),
    "scale.activities": pgettext_lazy("audit", "Generated activities for a scale test"),
}
