"""The lifecycle of a yearly self-report (述职), run by ``core.workflow``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from pydantic import Field

from xieshang.core import clock
from xieshang.core.models import Role, RoleAssignment
from xieshang.core.permissions import Actor
from xieshang.core.workflow import Changes, Lifecycle, Notice, Step, StepIn, require_text
from xieshang.duties import permissions
from xieshang.duties.models import SelfReport, SelfReportEvent
from xieshang.duties.selectors import record_figures

S = SelfReport.Status


class SelfReportNoteIn(StepIn):
    note: str = Field("", max_length=500)


def _submit(actor: Actor, report: SelfReport, data: SelfReportNoteIn) -> Changes:
    """Submit: the record's figures of that moment are kept with the report."""
    if not (report.overview.strip() and report.achievements.strip()):
        raise ValidationError(_("Write at least how you performed your duties and the main "
                                "results before submitting."))
    reviewers = [ra.user for ra in RoleAssignment.objects.filter(
        committee_id=report.committee_id, role__in=[Role.STAFF_OFFICE, Role.STAFF_COMMITTEE],
        is_active=True).select_related("user")]
    return Changes(
        fields={"figures": record_figures(report.member, report.year),
                "submitted_at": clock.now(), "return_note": ""},
        notices=[Notice(reviewers, _("Self-report submitted: %(name)s %(year)s")
                        % {"name": report.member.name, "year": report.year}, body="",
                        email=False)])


def _return(actor: Actor, report: SelfReport, data: SelfReportNoteIn) -> Changes:
    note = require_text(data.note, "note", _("Say what should be revised."))
    url = reverse("duty-my-self-report") + "?" + urlencode({"year": report.year})
    return Changes(fields={"return_note": note[:500]}, note=note, notices=[Notice(
        [report.member.user], _("Your %(year)s self-report was returned for revision")
        % {"year": report.year}, body=note, url=url)])


SELF_REPORT: Lifecycle[SelfReport] = Lifecycle(
    name="self_report", model=SelfReport, event_model=SelfReportEvent, event_field="report",
    audit_prefix="duty.self_report", schema_prefix="SelfReport", url_name="duty-self-report-act",
    steps=[
        Step("submit", (S.DRAFT, S.RETURNED), S.SUBMITTED, permissions.is_self_report_author,
             gettext_lazy("Submit"), input=SelfReportNoteIn, run=_submit,
             done=gettext_lazy("Self-report submitted.")),
        Step("return", (S.SUBMITTED, S.ACCEPTED), S.RETURNED, permissions.can_decide_self_report,
             gettext_lazy("Return for revision"), input=SelfReportNoteIn, run=_return,
             done=gettext_lazy("Returned for revision.")),
        Step("accept", S.SUBMITTED, S.ACCEPTED, permissions.can_decide_self_report,
             pgettext_lazy("duties", "Accept"), input=SelfReportNoteIn,
             done=gettext_lazy("Accepted.")),
    ])
TRANSITIONS = SELF_REPORT.table
