"""The daily reminder run: deadlines coming up, deadlines missed, feedback periods ended."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core import clock
from xieshang.core.calendar import WorkCalendar
from xieshang.core.models import Committee
from xieshang.core.notifications import notify_on_commit
from xieshang.core.permissions import Actor
from xieshang.proposals import policies, routing, services, similar
from xieshang.proposals.models import Assignment, Proposal, Status


def run_reminders(today: dt.date | None = None, committee_code: str = "") -> dict[str, int]:
    """The reminders of every active committee (or of one, by code)."""
    counts = {"reminded": 0, "overdue": 0, "feedback_closed": 0}
    committees = Committee.objects.filter(is_active=True)
    if committee_code:
        committees = committees.filter(code=committee_code)
    for committee in committees:
        for key, n in remind_committee(committee, today).items():
            counts[key] += n
    return counts


def remind_committee(committee: Committee, today: dt.date | None = None) -> dict[str, int]:
    """Remind units N working days before a deadline, and on the first overdue day tell them and
    escalate to the proposal office; close feedback periods that have ended (default rating).
    Each reminder is sent once (``reminded_on`` / ``overdue_notified_on``)."""
    today = today or clock.today()
    counts = {"reminded": 0, "overdue": 0, "feedback_closed": 0}
    days = int(policies.get(committee, "remind_days"))
    horizon = WorkCalendar(committee).add_working_days(today, days).date
    open_rows = (Assignment.objects.filter(committee=committee,
                                           state__in=Assignment.OPEN_STATES)
                 .select_related("unit", "proposal"))
    for a in open_rows.filter(due_date__gte=today, due_date__lte=horizon,
                              reminded_on__isnull=True):
        with transaction.atomic():
            notify_on_commit(
                recipients=services.unit_users([a.unit_id]), committee=committee,
                title=_("A proposal is due on %(d)s") % {"d": a.due_date.isoformat()},
                body=f"{a.proposal.number} {a.proposal.title}",
                url=a.proposal.get_absolute_url())
            Assignment.objects.filter(pk=a.pk).update(reminded_on=today)
        counts["reminded"] += 1
    for a in open_rows.filter(due_date__lt=today, overdue_notified_on__isnull=True):
        with transaction.atomic():
            body = f"{a.unit.name}：{a.proposal.number} {a.proposal.title}"
            notify_on_commit(recipients=services.unit_users([a.unit_id]),
                             committee=committee, title=_("A proposal is overdue"),
                             body=body, url=a.proposal.get_absolute_url())
            notify_on_commit(recipients=services.staff_users(committee),
                             committee=committee,
                             title=_("A unit has missed a proposal deadline"), body=body,
                             url=a.proposal.get_absolute_url())
            Assignment.objects.filter(pk=a.pk).update(overdue_notified_on=today)
        counts["overdue"] += 1
    system = Actor.for_system(committee)
    for p in Proposal.objects.filter(committee=committee, status=Status.REPLIED,
                                     feedback_due__lt=today):
        services.feedback_close(actor=system, proposal=p, version=None)
        counts["feedback_closed"] += 1
    return counts


def overdue_digest(committee: Committee, today: dt.date | None = None) -> dict[str, int]:
    """The weekly digest for the proposal office: every reply past its deadline, by unit."""
    today = today or clock.today()
    overdue = list(Assignment.objects.filter(committee=committee,
                                             state__in=Assignment.OPEN_STATES,
                                             due_date__lt=today)
                   .select_related("unit").order_by("unit__name", "due_date"))
    if not overdue:
        return {"overdue": 0, "units": 0}
    by_unit: dict[str, int] = {}
    for a in overdue:
        by_unit[a.unit.name] = by_unit.get(a.unit.name, 0) + 1
    lines = [_("%(unit)s: %(n)s overdue") % {"unit": unit, "n": n}
             for unit, n in sorted(by_unit.items(), key=lambda kv: (-kv[1], kv[0]))]
    notify_on_commit(recipients=services.staff_users(committee), committee=committee,
                     title=_("%(n)s proposals are past their reply deadline")
                     % {"n": len(overdue)},
                     body="\n".join(lines), url=reverse("proposals-overdue"), email=True)
    return {"overdue": len(overdue), "units": len(by_unit)}


@task()
def send_reminders(committee_code: str = "") -> dict[str, int]:
    return run_reminders(committee_code=committee_code)


def on_dictionary_changed(sender: object, committee_id: int, **kwargs: object) -> str:
    """``core.dictionary.dictionary_changed``: the committee's own terms changed, so its router
    is retrained and its similarity model refitted with them (in the dictionary's task)."""
    trained = routing.retrain.call(committee_id)
    similar.fit(committee_id)
    return f"{trained}; similarity refitted"
