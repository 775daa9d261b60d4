"""Who may see duty records and scores, and change the rules."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from xieshang.core import policy
from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.duties.models import SelfReport

policy.register("duty_rankings_public", False,
                gettext_lazy("Members may see the ranking of all members' duty scores"))


def has_own_record(actor: Actor) -> bool:
    return actor.member_id is not None


def can_view_all(actor: Actor) -> bool:
    """Rankings and other members' records: staff, leaders, admins — or everyone if published."""
    if actor.committee is None:
        return False
    if actor.is_staff or actor.has(Role.LEADER, Role.ADMIN):
        return True
    return bool(policy.get(actor.committee, "duty_rankings_public")) and actor.insider


def can_manage(actor: Actor) -> bool:
    """Rule sets, manual items, recomputation, warning rules."""
    return actor.has(Role.ADMIN, Role.STAFF_OFFICE, Role.STAFF_COMMITTEE)


# --- yearly self-reports (述职) ----------------------------------------------------------------

SELF_REPORT_REVIEWERS = (Role.STAFF_COMMITTEE, Role.STAFF_OFFICE, Role.ADMIN)


def can_review_self_reports(actor: Actor) -> bool:
    """Staff of the committee collect, read, return and accept every member's self-report."""
    return actor.committee is not None and actor.has(*SELF_REPORT_REVIEWERS)


def is_self_report_author(actor: Actor, report: SelfReport) -> bool:
    return (actor.acts_in(report) and actor.member_id is not None
            and actor.member_id == report.member_id)


def can_edit_self_report(actor: Actor, report: SelfReport) -> bool:
    return is_self_report_author(actor, report) and report.status in (
        SelfReport.Status.DRAFT, SelfReport.Status.RETURNED)


def can_decide_self_report(actor: Actor, report: SelfReport) -> bool:
    return can_review_self_reports(actor) and actor.acts_in(report)
