"""What the audit log shows for the codes this app's services write (``core.audit_labels``;
workflow steps are labelled by their lifecycle)."""

from django.utils.translation import pgettext_lazy

LABELS = {
    "member.create": pgettext_lazy("audit", "Added a member"),
    "member.bulk_create": pgettext_lazy("audit", "Added members in bulk"),
    "member.update": pgettext_lazy("audit", "Changed a member's details"),
    "member.groups": pgettext_lazy("audit", "Changed a member's activity groups"),
    "member.leave": pgettext_lazy("audit", "Recorded a member leaving"),
    "roster.import": pgettext_lazy("audit", "Imported a roster"),
    "roster.export": pgettext_lazy("audit", "Exported the roster"),
    "sector.create": pgettext_lazy("audit", "Added a sector"),
    "group.create": pgettext_lazy("audit", "Added an activity group"),
    "position.assign": pgettext_lazy("audit", "Assigned a leadership position"),
    "collective_body.create": pgettext_lazy("audit", "Added a collective proposer"),
    "unit.create": pgettext_lazy("audit", "Added a handling unit"),
    "unit.update": pgettext_lazy("audit", "Changed a handling unit"),
    "special_committee.create": pgettext_lazy("audit", "Set up a special committee"),
    "special_committee.rename": pgettext_lazy("audit", "Renamed a special committee"),
    "special_committee.merge": pgettext_lazy("audit", "Merged special committees"),
    "special_committee.join": pgettext_lazy("audit", "Joined a member to a special committee"),
    "special_committee.leave": pgettext_lazy("audit", "Ended a special committee membership"),
}
