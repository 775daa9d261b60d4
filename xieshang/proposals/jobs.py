"""The proposals area's scheduled jobs (core.schedule)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee
from xieshang.core.schedule import Job, Result


def _reminders(committee: Committee | None, day: dt.date) -> Result:
    from xieshang.proposals.tasks import remind_committee

    assert committee is not None
    return remind_committee(committee, day)


def _digest(committee: Committee | None, day: dt.date) -> Result:
    from xieshang.proposals.tasks import overdue_digest

    assert committee is not None
    return overdue_digest(committee, day)


def _similar_fit(committee: Committee | None, day: dt.date) -> Result:
    from xieshang.proposals import similar

    assert committee is not None
    fitted = similar.fit(committee.pk)
    return {"proposals": len(fitted.ids) if fitted else 0}


JOBS = [
    Job("proposals.reminders", _("Proposal deadline reminders"), "30 7 * * *",
        _("Every day at 7:30"), _reminders,
        description=_("Reminds units the set number of working days before a reply is due, "
                      "tells them and the proposal office on the first overdue day, and closes "
                      "feedback periods that have ended."),
        result_labels={"reminded": _("reminded"), "overdue": _("newly overdue"),
                       "feedback_closed": _("feedback periods closed")}),
    Job("proposals.overdue_digest", _("Weekly digest of overdue replies"), "0 8 * * mon",
        _("Every Monday at 8:00"), _digest,
        description=_("Sends the proposal office the list of replies past their deadline, "
                      "by unit."),
        result_labels={"overdue": _("overdue replies"), "units": _("units")}),
    Job("proposals.similar_fit", _("Refit the similar-proposal model"), "30 2 * * *",
        _("Every night at 2:30"), _similar_fit,
        description=_("Fits the model that finds similar proposals on the committee's "
                      "archive, so that no page has to."),
        result_labels={"proposals": _("proposals in the model")}),
]
