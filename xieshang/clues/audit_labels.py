"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "clue.send": pgettext_lazy("audit", "Sent a proposal clue"),
    "clue.adopt": pgettext_lazy("audit", "Turned a clue into a proposal draft"),
    "clue.merged_into": pgettext_lazy("audit", "Merged a clue into another"),
}
