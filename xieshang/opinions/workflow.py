"""The lifecycles of a public-opinion report and of a public topic, as tables.

Every status change goes through ``transition()`` (reports) or ``topic_transition()`` (topics):
look the (status, action) pair up in the table, check who may take it, lock the row, check the
version the user saw, save with ``update_fields``, append one event, audit, and queue the
notifications for after the commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieshang.core import audit, clock
from xieshang.core.models import User
from xieshang.core.notifications import notify
from xieshang.core.permissions import Actor
from xieshang.opinions import permissions
from xieshang.opinions.models import OpinionEvent, OpinionReport, Topic, TopicEvent

S = OpinionReport.Status
T = Topic.Status


class StaleVersion(ValidationError):
    """The row changed since the user loaded it (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(_("Someone else has changed this; please refresh and try again."),
                         code="stale")


@dataclass(frozen=True)
class Step:
    to: str
    who: str  # a key of permissions.RULES (reports) or "screener" (topics)
    label: Any


TRANSITIONS: dict[tuple[str, str], Step] = {
    (S.SUBMITTED, "start_edit"): Step(S.EDITING, "editor", gettext_lazy("Start editing")),
    (S.SUBMITTED, "withdraw"): Step(S.WITHDRAWN, "author", gettext_lazy("Withdraw")),
    (S.SUBMITTED, "decline"): Step(S.NOT_USED, "editor", gettext_lazy("Do not use")),
    (S.SUBMITTED, "merge"): Step(S.MERGED, "editor", gettext_lazy("Merge into another report")),
    (S.EDITING, "sign_off"): Step(S.SIGNED_OFF, "signer", gettext_lazy("Sign off")),
    (S.EDITING, "decline"): Step(S.NOT_USED, "editor", gettext_lazy("Do not use")),
    (S.EDITING, "merge"): Step(S.MERGED, "editor", gettext_lazy("Merge into another report")),
    (S.SIGNED_OFF, "reopen"): Step(S.EDITING, "editor", gettext_lazy("Reopen for editing")),
    (S.NOT_USED, "reopen"): Step(S.EDITING, "editor", gettext_lazy("Reopen for editing")),
    # Publishing happens when a bulletin that contains the report is published.
    (S.SIGNED_OFF, "publish"): Step(S.PUBLISHED, "editor", gettext_lazy("Publish")),
    (S.PUBLISHED, "send_leaders"): Step(S.SENT, "editor", gettext_lazy("Send to leaders")),
    (S.PUBLISHED, "report_up"): Step(S.SENT, "editor",
                                     gettext_lazy("Report to the parent committee")),
    (S.SENT, "send_leaders"): Step(S.SENT, "editor", gettext_lazy("Send to leaders")),
    (S.SENT, "report_up"): Step(S.SENT, "editor", gettext_lazy("Report to the parent committee")),
}

# Actions the report page offers as buttons; "publish" and "merge" have their own forms.
BUTTON_ACTIONS = ("start_edit", "sign_off", "reopen", "send_leaders", "report_up", "withdraw")
ACTIONS = sorted({action for _status, action in TRANSITIONS})


def _guard(report: OpinionReport, action: str) -> str | None:
    """A reason the action cannot be taken now even though the table allows it."""
    if action == "report_up":
        if report.committee.parent_id is None:
            return _("This committee has no parent committee to report to.")
        if report.reported_up_at is not None:
            return _("This report has already been reported to the parent committee.")
    if action == "send_leaders" and report.sent_to_leaders_at is not None:
        return _("This report has already been sent to the leaders.")
    return None


def may(actor: Actor, report: OpinionReport, action: str) -> bool:
    step = TRANSITIONS.get((report.status, action))
    if step is None:
        return False
    return bool(permissions.RULES[step.who](actor, report)) and _guard(report, action) is None


def allowed_actions(actor: Actor, report: OpinionReport) -> list[tuple[str, str]]:
    return [(action, str(step.label)) for (status, action), step in TRANSITIONS.items()
            if status == report.status and may(actor, report, action)]


def actor_label(actor: Actor) -> str:
    if actor.user is not None:
        return str(actor.user)
    return "system" if actor.system else ""


def transition(
    *,
    actor: Actor,
    report: OpinionReport,
    action: str,
    expected_version: int | None,
    note: str = "",
    changes: dict[str, Any] | None = None,
    notify_users: Iterable[User] = (),
    notify_title: str = "",
    notify_url: str = "",
    on_behalf_of: Actor | None = None,
) -> OpinionReport:
    """Take ``action`` on ``report``; returns the saved row (a fresh instance).

    ``on_behalf_of`` is the real person when the platform acts for them (a system actor of the
    parent committee receiving a report): the event names them.
    """
    with transaction.atomic():
        locked = (OpinionReport.objects.select_for_update(of=("self",))
                  .select_related("committee").get(pk=report.pk))
        step = TRANSITIONS.get((locked.status, action))
        if step is None:
            raise ValidationError(_("This action is not possible while the report is “%(s)s”.")
                                  % {"s": locked.get_status_display()}, code="invalid_state")
        if not permissions.RULES[step.who](actor, locked):
            raise PermissionDenied(_("You are not allowed to do this."))
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion()
        reason = _guard(locked, action)
        if reason:
            raise ValidationError(reason, code="guard")
        before = audit.snapshot(locked, ["status", "version", *(changes or {})])
        from_status = locked.status
        for field, value in (changes or {}).items():
            setattr(locked, field, value)
        locked.status = step.to
        locked.version += 1
        locked.save(update_fields=["status", "version", "updated_at", *(changes or {})])
        who = on_behalf_of or actor
        OpinionEvent.objects.create(
            committee=locked.committee, report=locked, action=action, from_status=from_status,
            to_status=step.to, actor=who.user, actor_name=actor_label(who), note=note,
        )
        audit.record(actor, f"opinion.{action}", locked, before=before,
                     after=audit.snapshot(locked, list(before)))
        users = [u for u in notify_users if u is not None]
        if users and notify_title:
            committee = locked.committee
            transaction.on_commit(lambda: notify(recipients=users, committee=committee,
                                                 title=notify_title, body=note,
                                                 url=notify_url))
    return locked


# --- topics -----------------------------------------------------------------

TOPIC_TRANSITIONS: dict[tuple[str, str], Step] = {
    (T.NEW, "accept"): Step(T.ACCEPTED, "screener", gettext_lazy("Accept")),
    (T.NEW, "merge"): Step(T.MERGED, "screener", gettext_lazy("Merge into another topic")),
    (T.NEW, "decline"): Step(T.DECLINED, "screener", gettext_lazy("Decline")),
    (T.ACCEPTED, "start_consultation"): Step(T.CONSULTING, "screener",
                                             gettext_lazy("Schedule the consultation")),
    (T.ACCEPTED, "publish_result"): Step(T.CONCLUDED, "screener",
                                         gettext_lazy("Publish the result")),
    (T.CONSULTING, "publish_result"): Step(T.CONCLUDED, "screener",
                                           gettext_lazy("Publish the result")),
}
TOPIC_ACTIONS = sorted({action for _status, action in TOPIC_TRANSITIONS})

TOPIC_RULES: dict[str, Callable[[Actor, Topic], bool]] = {
    "screener": permissions.can_act_on_topic,
}


def topic_allowed_actions(actor: Actor, topic: Topic) -> list[tuple[str, str]]:
    return [(action, str(step.label)) for (status, action), step in TOPIC_TRANSITIONS.items()
            if status == topic.status and TOPIC_RULES[step.who](actor, topic)]


def topic_transition(
    *, actor: Actor, topic: Topic, action: str, expected_version: int | None, note: str = "",
    changes: dict[str, Any] | None = None,
) -> Topic:
    with transaction.atomic():
        locked = (Topic.objects.select_for_update(of=("self",)).select_related("committee")
                  .get(pk=topic.pk))
        if not TOPIC_RULES["screener"](actor, locked):
            raise PermissionDenied(_("You are not allowed to do this."))
        step = TOPIC_TRANSITIONS.get((locked.status, action))
        if step is None:
            raise ValidationError(_("This action is not possible while the topic is “%(s)s”.")
                                  % {"s": locked.get_status_display()}, code="invalid_state")
        if not TOPIC_RULES[step.who](actor, locked):
            raise PermissionDenied(_("You are not allowed to do this."))
        if expected_version is not None and locked.version != expected_version:
            raise StaleVersion()
        before = audit.snapshot(locked, ["status", "version", *(changes or {})])
        from_status = locked.status
        for field, value in (changes or {}).items():
            setattr(locked, field, value)
        locked.status = step.to
        locked.version += 1
        fields = ["status", "version", *(changes or {})]
        if from_status == T.NEW:
            locked.screened_by = actor.user
            locked.screened_at = clock.now()
            fields += ["screened_by", "screened_at"]
        locked.save(update_fields=fields)
        TopicEvent.objects.create(committee=locked.committee, topic=locked, action=action,
                                  from_status=from_status, to_status=step.to, actor=actor.user,
                                  actor_name=actor_label(actor), note=note)
        audit.record(actor, f"topic.{action}", locked, before=before,
                     after=audit.snapshot(locked, list(before)))
    return locked
