"""The activities area's scheduled jobs (core.schedule)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee
from xieshang.core.schedule import Job, Result


def _overdue_suggestions(committee: Committee | None, day: dt.date) -> Result:
    from xieshang.activities.services import remind_overdue

    assert committee is not None
    return {"reminded": remind_overdue(committee, day)}


JOBS = [
    Job("activities.suggestions_overdue", _("Overdue suggestion feedback"), "30 8 * * mon",
        _("Every Monday at 8:30"), _overdue_suggestions,
        description=_("Reminds departments of suggestion-ledger items whose feedback is past "
                      "its deadline (each item at most once a week)."),
        result_labels={"reminded": _("items reminded")}),
]
