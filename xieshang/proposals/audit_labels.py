"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "proposal.save_draft": pgettext_lazy("audit", "Saved a proposal draft"),
    "proposal.cosign": pgettext_lazy("audit", "Confirmed co-signing a proposal"),
    "proposal.cosign_decline": pgettext_lazy("audit", "Declined to co-sign a proposal"),
    "proposal.attachment_add": pgettext_lazy("audit", "Added an attachment to a proposal"),
    "proposal.attachment_delete": pgettext_lazy("audit", "Removed an attachment of a proposal"),
    "proposal.supervise": pgettext_lazy("audit", "Recorded supervision of a proposal"),
    "proposal.excellent_nominate": pgettext_lazy("audit", "Nominated an excellent proposal"),
    "proposal.excellent_decide": pgettext_lazy("audit", "Decided on an excellent nomination"),
    "proposal.excellent_list": pgettext_lazy("audit",
                                             "Decided the year's excellent proposals"),
    "proposal_category.create": pgettext_lazy("audit", "Added a proposal category"),
}
