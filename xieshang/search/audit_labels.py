"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "dictionary.add": pgettext_lazy("audit", "Added a word to the search dictionary"),
    "dictionary.remove": pgettext_lazy("audit", "Removed a word from the search dictionary"),
}
