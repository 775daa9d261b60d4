"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "activity.create": pgettext_lazy("audit", "Created an activity"),
    "activity.update": pgettext_lazy("audit", "Changed an activity"),
    "activity.status": pgettext_lazy("audit", "Marked an activity held or cancelled"),
    "activity.file_add": pgettext_lazy("audit", "Added a file to an activity"),
    "activity.invite": pgettext_lazy("audit", "Sent invitations to an activity"),
    "activity.qr_open": pgettext_lazy("audit", "Showed a sign-in code"),
    "activity.qr_close": pgettext_lazy("audit", "Closed the sign-in code"),
    "activity_type.create": pgettext_lazy("audit", "Added an activity type"),
    "activity_type.update": pgettext_lazy("audit", "Changed an activity type"),
    "activity-types.create": pgettext_lazy("audit", "Added an activity type"),
    "invitation.attendance": pgettext_lazy("audit", "Recorded attendance"),
    "invitation.qr_sign_in": pgettext_lazy("audit", "Signed in with the code"),
    "material.create": pgettext_lazy("audit", "Added a learning material"),
    "material.read": pgettext_lazy("audit", "Read a learning material"),
    "plan.create": pgettext_lazy("audit", "Created an annual plan"),
    "plan.approve": pgettext_lazy("audit", "Recorded the approval of the annual plan"),
    "plan.item_add": pgettext_lazy("audit", "Added a plan item"),
    "plan.item_link": pgettext_lazy("audit", "Linked a plan item to its activity"),
    "plan.item_move": pgettext_lazy("audit", "Moved a plan item"),
    "speech.submit": pgettext_lazy("audit", "Submitted a written speech"),
    "speech.oral": pgettext_lazy("audit", "Chose a speech for oral delivery"),
    "suggestion.record": pgettext_lazy("audit", "Recorded a suggestion"),
    "suggestion.follow_up": pgettext_lazy("audit", "Recorded the follow-up of a suggestion"),
    "suggestion.remind": pgettext_lazy("audit", "Reminded a department of a suggestion"),
}
