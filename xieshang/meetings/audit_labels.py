"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "meeting.create": pgettext_lazy("audit", "Set up a meeting"),
    "meeting.agenda_add": pgettext_lazy("audit", "Added an agenda item"),
    "meeting.paper_add": pgettext_lazy("audit", "Added a meeting paper"),
    "meeting.paper_read": pgettext_lazy("audit", "Confirmed reading a meeting paper"),
    "meeting.project": pgettext_lazy("audit", "Changed what the projector shows"),
    "meeting.oral_pick": pgettext_lazy("audit", "Chose a speech for the floor"),
    "meeting.speaker_request": pgettext_lazy("audit", "Asked to speak"),
    "meeting.speaker_move": pgettext_lazy("audit", "Moved a speaker on the list"),
    "meeting.speaker_remove": pgettext_lazy("audit", "Took a speaker off the list"),
    "meeting.speaker_start": pgettext_lazy("audit", "Gave the floor"),
    "meeting.speaker_stop": pgettext_lazy("audit", "Ended a speech"),
    "meeting.group_create": pgettext_lazy("audit", "Created a discussion group"),
    "meeting.group_update": pgettext_lazy("audit", "Changed a discussion group"),
    "meeting.groups_fill": pgettext_lazy("audit", "Filled the discussion groups by sector"),
    "meeting.group_move": pgettext_lazy("audit", "Moved a member between discussion groups"),
    "meeting.group_notes": pgettext_lazy("audit", "Recorded a group's discussion notes"),
    "poll.create": pgettext_lazy("audit", "Created a vote"),
    "poll.vote": pgettext_lazy("audit", "Voted"),
    "poll.paper_box": pgettext_lazy("audit", "Entered the count of a ballot box"),
    "election.create": pgettext_lazy("audit", "Created an election"),
    "election.ballot": pgettext_lazy("audit", "Cast a ballot"),
    "meeting.publish": pgettext_lazy("audit", "Put a meeting result or text on the website"),
}
