"""The statistics' scheduled job (core.schedule)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext_lazy as _

from xieshang.core.models import Committee
from xieshang.core.schedule import Job, Result


def _precompute(committee: Committee | None, day: dt.date) -> Result:
    """A new day is a new default period: its figures are ready before the first visit."""
    from xieshang.reports import precompute

    assert committee is not None
    if not precompute.enabled():
        return {"stored": 0}
    precompute.store(precompute.default_scope(committee, day))
    return {"stored": 1}


JOBS = [
    Job("reports.precompute", _("Statistics computed ahead"), "5 0 * * *",
        _("Every night at 0:05"), _precompute,
        description=_("Computes the statistics page's and the dashboard's figures for the new "
                      "day, so that the first visit does not wait for them (only with a cache "
                      "shared by the web processes and the worker)."),
        result_labels={"stored": _("committees computed")}),
]
