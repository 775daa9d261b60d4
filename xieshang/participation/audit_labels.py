"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "room.create": pgettext_lazy("audit", "Opened a consultation room"),
    "room.post": pgettext_lazy("audit", "Posted in a consultation room"),
    "room.post_hide": pgettext_lazy("audit", "Hid a post"),
    "room.summarise": pgettext_lazy("audit", "Summed up a consultation room"),
    "survey.create": pgettext_lazy("audit", "Created a survey"),
    "survey.answer": pgettext_lazy("audit", "Answered a survey"),
    "studio.create": pgettext_lazy("audit", "Set up a members' studio"),
    "studio.event": pgettext_lazy("audit", "Recorded a studio event"),
    "studio.problem": pgettext_lazy("audit", "Recorded a problem raised at a studio"),
    "studio.problem_answer": pgettext_lazy("audit", "Answered a problem raised at a studio"),
    "studio.problem_draft": pgettext_lazy("audit",
                                          "Turned a studio problem into a proposal or report"),
    "studio.problem_route": pgettext_lazy("audit", "Recorded where a studio problem went"),
}
