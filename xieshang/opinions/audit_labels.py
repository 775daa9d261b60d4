"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "opinion.submit": pgettext_lazy("audit", "Submitted a public-opinion report"),
    "opinion.edit": pgettext_lazy("audit", "Edited the text of a report"),
    "opinion.attach": pgettext_lazy("audit", "Attached a file to a report"),
    "opinion.receive": pgettext_lazy("audit", "Received a report from a lower committee"),
    "opinion.outcome": pgettext_lazy("audit", "Recorded an outcome of a report"),
    "opinion.convert_from_proposal": pgettext_lazy("audit", "Made a report of a proposal"),
    "bulletin.create": pgettext_lazy("audit", "Created a bulletin issue"),
    "bulletin.delete": pgettext_lazy("audit", "Deleted a bulletin issue"),
    "bulletin.publish": pgettext_lazy("audit", "Published a bulletin issue"),
    "bulletin.send": pgettext_lazy("audit", "Sent a bulletin issue"),
    "bulletin_recipient.create": pgettext_lazy("audit", "Added a bulletin recipient"),
    "correspondent.create": pgettext_lazy("audit", "Added an invited correspondent"),
    "correspondent.update": pgettext_lazy("audit",
                                          "Switched an invited correspondent on or off"),
    "topic.raise": pgettext_lazy("audit", "Raised a topic"),
    "topic.link": pgettext_lazy("audit", "Linked the consultation held on a topic"),
}
