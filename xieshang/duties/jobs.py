"""The duty records' scheduled jobs (core.schedule)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.core.schedule import Job, Result


def _warnings(committee: Committee | None, day: dt.date) -> Result:
    from xieshang.duties.services import warnings_check

    assert committee is not None
    return {"raised": len(warnings_check(actor=Actor.for_system(committee),
                                         committee=committee, today=day))}


def _recompute(committee: Committee | None, day: dt.date) -> Result:
    """A nightly full recompute of this year's scores: every fact that changed during the day
    has queued its own recompute already; this one catches anything a lost task left stale."""
    from xieshang.duties.services import schedule_recompute

    assert committee is not None
    schedule_recompute(committee, day.year)
    return {"years": 1}


def _self_reports(committee: Committee | None, day: dt.date) -> Result:
    from xieshang.duties.services import self_reports_remind

    assert committee is not None
    return {"reminded": self_reports_remind(actor=Actor.for_system(committee),
                                            committee=committee, year=day.year)}


JOBS = [
    Job("duties.warnings", _("Duty warnings"), "0 6 * * *", _("Every day at 6:00"), _warnings,
        description=_("Checks the committee's warning rules (absences without leave, no "
                      "proposal or report in the year …), tells the members concerned and "
                      "the office, and resolves warnings that no longer hold."),
        result_labels={"raised": _("warnings raised")}),
    Job("duties.recompute", _("Recompute this year's duty scores"), "0 3 * * *",
        _("Every night at 3:00"), _recompute,
        description=_("Queues a full recomputation of this year's scores, in case a change "
                      "of the day did not reach them."),
        result_labels={"years": _("years queued")}),
    Job("duties.self_report_reminder", _("Self-report reminder"), "0 9 1,15 12 *",
        _("1 and 15 December at 9:00"), _self_reports,
        description=_("Reminds every member who has not yet submitted this year's "
                      "self-report."),
        result_labels={"reminded": _("members reminded")}),
]
