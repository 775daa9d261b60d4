"""Who may do what with public-opinion reports, bulletins, correspondents and topics."""

from __future__ import annotations

from xieshang.core.models import Role
from xieshang.core.permissions import Actor
from xieshang.opinions.models import Correspondent, OpinionReport, Topic

EDITOR_ROLES = (Role.STAFF_OPINION, Role.ADMIN)
# 签发 is done by the information office head or a committee leader.
SIGNER_ROLES = (Role.STAFF_OPINION, Role.ADMIN, Role.LEADER)
READER_ROLES = (Role.STAFF_OPINION, Role.ADMIN, Role.LEADER)
TOPIC_SCREENER_ROLES = (Role.STAFF_OFFICE, Role.STAFF_COMMITTEE, Role.ADMIN)


def is_correspondent(actor: Actor) -> bool:
    if actor.user is None or actor.committee is None:
        return False
    return Correspondent.objects.filter(committee=actor.committee, user=actor.user,
                                        is_active=True).exists()


def is_editor(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*EDITOR_ROLES)


def can_submit(actor: Actor) -> bool:
    if actor.committee is None or actor.system:
        return actor.system
    return (actor.member_id is not None and actor.has(Role.MEMBER)) or bool(
        actor.body_ids and actor.has(Role.COLLECTIVE)) or is_correspondent(actor)


def is_author(actor: Actor, report: OpinionReport) -> bool:
    if not actor.acts_in(report) or report.author_kind == "committee":
        return False
    if report.author_member_id is not None and report.author_member_id == actor.member_id:
        return True
    if report.author_body_id is not None and report.author_body_id in actor.body_ids:
        return True
    return (report.author_kind == "correspondent" and actor.user is not None
            and report.submitted_by_id == actor.user.pk)


def can_edit_text(actor: Actor, report: OpinionReport) -> bool:
    if not actor.acts_in(report):
        return False
    if report.status == OpinionReport.Status.EDITING:
        return is_editor(actor)
    if report.status == OpinionReport.Status.SUBMITTED:
        return is_author(actor, report)
    return False


def can_add_attachment(actor: Actor, report: OpinionReport) -> bool:
    return can_edit_text(actor, report)


def can_record_outcome(actor: Actor, report: OpinionReport) -> bool:
    return actor.acts_in(report) and is_editor(actor) and report.status in (
        OpinionReport.Status.SIGNED_OFF, OpinionReport.Status.PUBLISHED,
        OpinionReport.Status.SENT)


def can_manage_bulletins(actor: Actor) -> bool:
    return is_editor(actor)


def can_view_bulletins(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*READER_ROLES)


def can_view_quota(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*READER_ROLES)


def can_open_inbox(actor: Actor, name: str) -> bool:
    """The editors' inboxes; the one of reports to sign off also for whoever signs them."""
    if name == "to_sign":
        return actor.committee is not None and actor.has(*SIGNER_ROLES)
    return is_editor(actor)


def can_manage_correspondents(actor: Actor) -> bool:
    return is_editor(actor)


def can_list_reports(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*READER_ROLES)


def can_screen_topics(actor: Actor) -> bool:
    return actor.committee is not None and actor.has(*TOPIC_SCREENER_ROLES)


def can_act_on_topic(actor: Actor, topic: Topic) -> bool:
    return actor.acts_in(topic) and can_screen_topics(actor)


def can_edit_reports(actor: Actor, report: OpinionReport) -> bool:
    """Edit, decline, merge, publish and send on a report of the actor's own committee."""
    return actor.acts_in(report) and is_editor(actor)


def can_sign_off(actor: Actor, report: OpinionReport) -> bool:
    """签发: the information office head or a leader of the report's committee."""
    return actor.acts_in(report) and actor.has(*SIGNER_ROLES)
