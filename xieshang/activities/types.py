"""The kinds of activity every committee starts with (seeded on first use by
``services.activity_types_ensure``; a committee renames or retires them on the 基础数据 pages)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.activities.models import Category

# (code, label, category, counts for duty, points). Labels are stored in the committee's
# language when seeded and may then be renamed by the committee.
DEFAULT_TYPES: list[tuple[str, Any, str, bool, float]] = [
    ("plenary", pgettext_lazy("activities", "Plenary session"), Category.MEETING, True, 2),
    ("standing_meeting", gettext_lazy("Standing committee meeting"), Category.MEETING, True, 2),
    ("chair_meeting", gettext_lazy("Chair meeting"), Category.MEETING, False, 0),
    ("party_group", gettext_lazy("Party group meeting"), Category.MEETING, False, 0),
    ("special_committee_meeting", gettext_lazy("Special committee meeting"), Category.MEETING,
     True, 1),
    ("thematic_consultation", gettext_lazy("Thematic consultation"), Category.CONSULTATION,
     True, 2),
    ("counterpart_consultation", gettext_lazy("Counterpart consultation"), Category.COUNTERPART,
     True, 2),
    ("sector_consultation", gettext_lazy("Sector consultation"), Category.CONSULTATION, True, 2),
    ("proposal_consultation", gettext_lazy("Proposal-handling consultation"),
     Category.CONSULTATION, True, 2),
    ("grassroots_consultation", gettext_lazy("Grassroots consultation (有事好商量)"),
     Category.CONSULTATION, True, 2),
    ("research", gettext_lazy("Research"), Category.RESEARCH, True, 2),
    ("sector_research", gettext_lazy("Sector research"), Category.RESEARCH, True, 2),
    ("inspection", gettext_lazy("Inspection"), Category.INSPECTION, True, 2),
    ("democratic_supervision", gettext_lazy("Democratic supervision"), Category.SUPERVISION,
     True, 2),
    ("forum", gettext_lazy("Forum"), Category.DISCUSSION, True, 1),
    ("seminar", gettext_lazy("Seminar"), Category.DISCUSSION, True, 1),
    ("learning", gettext_lazy("Learning session"), Category.LEARNING, True, 1),
    ("training", gettext_lazy("Training course"), Category.LEARNING, True, 1),
    ("cultural", gettext_lazy("Cultural event"), Category.CULTURE, True, 1),
    ("visit", gettext_lazy("Visit"), Category.SERVICE, True, 1),
    ("volunteer", gettext_lazy("Volunteer service"), Category.SERVICE, True, 1),
    ("other", gettext_lazy("Other"), Category.OTHER, False, 0),
]

DEFAULT_CODES = [row[0] for row in DEFAULT_TYPES]
