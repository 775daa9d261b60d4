"""The lifecycles of a public-opinion report and of a public topic (``core.workflow``)."""

from __future__ import annotations

import datetime as dt
from importlib.util import find_spec
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.core import audit, clock
from xieshang.core.models import Committee, Role, RoleAssignment, User
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import scoped
from xieshang.core.workflow import (
    Changes,
    Lifecycle,
    Notice,
    Step,
    StepIn,
    actor_label,
    related,
    require_text,
)
from xieshang.opinions import permissions
from xieshang.opinions.models import (
    AuthorKind,
    OpinionEvent,
    OpinionOutcome,
    OpinionReport,
    OpinionVersion,
    Topic,
    TopicEvent,
)

S = OpinionReport.Status
T = Topic.Status


# --- helpers the steps and the services share -------------------------------------------------

def role_users(committee: Committee, *roles: str) -> list[User]:
    ids = RoleAssignment.objects.filter(committee=committee, role__in=roles,
                                        is_active=True).values_list("user_id", flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True))


def author_users(report: OpinionReport) -> list[User]:
    """The people to tell about the original report (its submitter and the member's login)."""
    root = report.root or report
    users: list[User] = []
    if root.submitted_by is not None:
        users.append(root.submitted_by)
    if root.author_member is not None and root.author_member.user is not None:
        users.append(root.author_member.user)
    return users


def save_version(report: OpinionReport, actor: Actor, note: str = "") -> OpinionVersion:
    last = report.versions.aggregate(n=Max("number"))["n"] or 0
    return OpinionVersion.objects.create(
        committee=report.committee, report=report, number=last + 1, title=report.title,
        situation=report.situation, analysis=report.analysis, suggestion=report.suggestion,
        body=report.body, editor=actor.user, editor_name=actor_label(actor), note=note,
    )


def add_event(report: OpinionReport, actor: Actor, action: str, note: str = "",
              actor_name: str | None = None) -> OpinionEvent:
    """Something done to a report that is not a step of its lifecycle (edited, an outcome…)."""
    return OpinionEvent.objects.create(
        committee=report.committee, report=report, action=action, from_status=report.status,
        to_status=report.status, actor=actor.user,
        actor_name=actor_name if actor_name is not None else actor_label(actor), note=note)


def lineage_ids(report: OpinionReport) -> set[int]:
    """This report, the reports below it in the chain, and reports merged into any of them."""
    seen: set[int] = set()
    todo = [report.pk]
    while todo:
        pk = todo.pop()
        if pk in seen:
            continue
        seen.add(pk)
        row = OpinionReport.objects.filter(pk=pk).values("origin_id").first()
        if row and row["origin_id"]:
            todo.append(row["origin_id"])
        todo.extend(OpinionReport.objects.filter(merged_into_id=pk).values_list("pk", flat=True))
    return seen


# --- report inputs ----------------------------------------------------------------------------

class OpinionNoteIn(StepIn):
    note: str = ""


class OpinionDeclineIn(StepIn):
    reason: str = ""
    note: str = ""


class OpinionMergeIn(StepIn):
    into: int | None = None
    note: str = ""


# --- report guards and runs -------------------------------------------------------------------

def _can_report_up(actor: Actor, report: OpinionReport) -> str | None:
    if report.committee.parent_id is None:
        return _("This committee has no parent committee to report to.")
    if report.reported_up_at is not None:
        return _("This report has already been reported to the parent committee.")
    return None


def _not_sent_to_leaders(actor: Actor, report: OpinionReport) -> str | None:
    if report.sent_to_leaders_at is not None:
        return _("This report has already been sent to the leaders.")
    return None


def _to_author(report: OpinionReport, title: str) -> list[Notice]:
    return [Notice(author_users(report), title)] if report.is_root else []


def _decline(actor: Actor, report: OpinionReport, data: OpinionDeclineIn) -> Changes:
    reason = require_text(data.reason or data.note, "reason",
                          _("Give the reason the report is not used."))
    return Changes(fields={"not_used_reason": reason}, note=reason,
                   notices=_to_author(report, _("Your report “%(t)s” was not used")
                                      % {"t": report.title}))


def _sign_off(actor: Actor, report: OpinionReport, data: OpinionNoteIn) -> Changes:
    return Changes(fields={"signed_off_at": clock.now(), "signed_off_by": actor.user},
                   notices=_to_author(report, _("Your report “%(t)s” was signed off")
                                      % {"t": report.title}))


def _send_leaders(actor: Actor, report: OpinionReport, data: OpinionNoteIn) -> Changes:
    return Changes(fields={"sent_to_leaders_at": clock.now()}, notices=[Notice(
        role_users(report.committee, Role.LEADER),
        _("Public-opinion report for your attention: %(t)s") % {"t": report.title})])


def _publish(actor: Actor, report: OpinionReport, data: OpinionNoteIn) -> Changes:
    return Changes(fields={"published_at": clock.now()})


def _report_up(actor: Actor, report: OpinionReport, data: OpinionNoteIn) -> Changes:
    """Report upward: a new report arrives in the parent committee's inbox, linked to this one."""
    parent = report.committee.parent
    assert parent is not None
    system = Actor.for_system(parent)
    author_name = (report.author_name if report.author_kind == AuthorKind.COMMITTEE
                   else f"{report.committee.name} {report.author_name}")
    copy = OpinionReport.objects.create(
        committee=parent, title=report.title, category=report.category,
        situation=report.situation, analysis=report.analysis, suggestion=report.suggestion,
        body=report.body, author_kind=AuthorKind.COMMITTEE, author_name=author_name[:200],
        source_committee=report.committee, origin=report, root=report.root or report,
    )
    sender = f"{actor_label(actor)}（{report.committee.name}）"
    save_version(copy, system, _("As received from %(c)s") % {"c": report.committee.name})
    OpinionVersion.objects.filter(report=copy).update(editor_name=sender, editor=None)
    OpinionEvent.objects.create(committee=parent, report=copy, action="receive",
                                to_status=copy.status, actor=actor.user, actor_name=sender,
                                note=data.note)
    audit.record(system, "opinion.receive", copy, after={
        **audit.snapshot(copy, ["title", "origin", "root", "source_committee"]),
        "reported_by": actor.user.pk if actor.user else None, "reported_by_name": sender})
    return Changes(fields={"reported_up_at": clock.now()}, notices=[Notice(
        role_users(parent, Role.STAFF_OPINION),
        _("Report received from %(c)s: %(t)s") % {"c": report.committee.name, "t": copy.title},
        body="", url=copy.get_absolute_url(), committee=parent)])


def _merge(actor: Actor, report: OpinionReport, data: OpinionMergeIn) -> Changes:
    into = related(actor, OpinionReport, data.into, "into")
    if into.pk == report.pk:
        raise ValidationError({"into": _("Choose another report of this committee.")})
    if into.status not in (S.SUBMITTED, S.EDITING, S.SIGNED_OFF, S.PUBLISHED, S.SENT):
        raise ValidationError({"into": _("That report cannot take in another one.")})
    add_event(into, actor, "absorb", _("“%(t)s” was merged into this report")
              % {"t": report.title})
    ids = lineage_ids(report)
    for outcome in OpinionOutcome.objects.filter(lineage=into):
        outcome.lineage.add(*ids)
    return Changes(fields={"merged_into": into},
                   note=data.note.strip() or _("Merged into “%(t)s”") % {"t": into.title})


def _report_merge_choices(actor: Actor, report: OpinionReport) -> dict[str, Any]:
    return {"merge_targets": scoped(actor, OpinionReport).filter(
        status__in=[S.SUBMITTED, S.EDITING, S.SIGNED_OFF]).exclude(pk=report.pk)
        .only("id", "title")}


R = permissions
REPORT: Lifecycle[OpinionReport] = Lifecycle(
    name="opinion_report", model=OpinionReport, event_model=OpinionEvent, event_field="report",
    audit_prefix="opinion", schema_prefix="Opinion", url_name="opinions:report-act",
    describe=lambda report: "",  # the notices' titles name the report already
    event_labels={"submit": gettext_lazy("Submitted"), "edit": gettext_lazy("Text edited"),
                  "receive": gettext_lazy("Received from the committee below"),
                  "absorb": gettext_lazy("Took in a merged report"),
                  "outcome": gettext_lazy("Outcome recorded")},
    steps=[
        Step("start_edit", S.SUBMITTED, S.EDITING, R.can_edit_reports,
             gettext_lazy("Start editing"), input=OpinionNoteIn),
        Step("sign_off", S.EDITING, S.SIGNED_OFF, R.can_sign_off, gettext_lazy("Sign off"),
             input=OpinionNoteIn, run=_sign_off),
        Step("reopen", (S.SIGNED_OFF, S.NOT_USED), S.EDITING, R.can_edit_reports,
             gettext_lazy("Reopen for editing"), input=OpinionNoteIn),
        Step("send_leaders", (S.PUBLISHED, S.SENT), S.SENT, R.can_edit_reports,
             gettext_lazy("Send to leaders"), guard=_not_sent_to_leaders, input=OpinionNoteIn,
             run=_send_leaders),
        Step("report_up", (S.PUBLISHED, S.SENT), S.SENT, R.can_edit_reports,
             gettext_lazy("Report to the parent committee"), guard=_can_report_up,
             input=OpinionNoteIn, run=_report_up),
        Step("withdraw", S.SUBMITTED, S.WITHDRAWN, R.is_author,
             pgettext_lazy("opinions", "Withdraw"),
             input=OpinionNoteIn),
        Step("decline", (S.SUBMITTED, S.EDITING), S.NOT_USED, R.can_edit_reports,
             gettext_lazy("Do not use"), input=OpinionDeclineIn, run=_decline),
        Step("merge", (S.SUBMITTED, S.EDITING), S.MERGED, R.can_edit_reports,
             gettext_lazy("Merge into another report"), input=OpinionMergeIn, run=_merge,
             choices=_report_merge_choices),
        # Publishing happens when a bulletin that contains the report is published.
        Step("publish", S.SIGNED_OFF, S.PUBLISHED, R.can_edit_reports,
             pgettext_lazy("opinions", "Publish"),
             input=OpinionNoteIn, run=_publish, only_via=gettext_lazy(
                 "A report is published by publishing a bulletin that contains it.")),
    ])
TRANSITIONS = REPORT.table


# --- topics -----------------------------------------------------------------------------------

class TopicNoteIn(StepIn):
    note: str = ""


class TopicMergeIn(StepIn):
    into: int | None = None
    note: str = ""


def _screened(actor: Actor, topic: Topic) -> dict[str, Any]:
    if topic.status != T.NEW:
        return {}
    return {"screened_by": actor.user, "screened_at": clock.now()}


def _accept(actor: Actor, topic: Topic, data: TopicNoteIn) -> Changes:
    return Changes(fields=_screened(actor, topic), note=data.note.strip())


def _topic_merge(actor: Actor, topic: Topic, data: TopicMergeIn) -> Changes:
    into = related(actor, Topic, data.into, "into")
    if into.pk == topic.pk or into.status in (T.MERGED, T.DECLINED):
        raise ValidationError({"into": _("Choose another open topic of this committee.")})
    return Changes(fields={"merged_into": into, **_screened(actor, topic)},
                   note=data.note.strip() or _("Merged into “%(t)s”") % {"t": into.title})


def _topic_decline(actor: Actor, topic: Topic, data: TopicNoteIn) -> Changes:
    note = require_text(data.note, "note", _("Give the reason; the resident will see it."))
    return Changes(fields={"decline_reason": note, **_screened(actor, topic)}, note=note)


class TopicConsultationIn(StepIn):
    note: str = ""
    start: dt.datetime | None = None
    place: str = ""
    title: str = ""


def _start_consultation(actor: Actor, topic: Topic, data: TopicConsultationIn) -> Changes:
    """Schedule the grassroots consultation (有事好商量): an activity of the type
    "grassroots_consultation" is created in the activities app and linked to the topic."""
    note = data.note.strip()
    if data.start is None:
        raise ValidationError({"start": _("Give the date and time of the consultation.")})
    # (A date already past records a consultation held before it was entered here.)
    start = data.start if timezone.is_aware(data.start) else timezone.make_aware(data.start)
    # Optional app: without activities, the arrangements are kept as a note only.
    if find_spec("xieshang.activities.services") is None:
        return Changes(fields={"consultation_note": note}, note=note)
    from xieshang.activities.models import Category as ActivityCategory
    from xieshang.activities.services import activity_create, activity_types_ensure

    types = activity_types_ensure(topic.committee)
    kind = types.get("grassroots_consultation")
    if kind is None or not kind.is_active:
        kind = next((t for t in types.values()
                     if t.category == ActivityCategory.CONSULTATION and t.is_active), None)
    if kind is None:
        raise ValidationError({"start": _("No activity type for consultations is active.")})
    title = (data.title.strip() or _("Consultation: %(t)s") % {"t": topic.title})[:200]
    activity = activity_create(
        actor=actor, committee=topic.committee, type=kind, title=title, start=start,
        place=(data.place.strip() or topic.place)[:200], topic=topic.description,
        description=note, details={"public_topic": topic.title})
    arranged = _("%(title)s, %(when)s, %(place)s") % {
        "title": title, "when": f"{timezone.localtime(start):%Y-%m-%d %H:%M}",
        "place": activity.place or "—"}
    return Changes(fields={"consultation_note": note or arranged,
                           **consultation_fields(topic, activity)},
                   note=arranged + (f"；{note}" if note else ""))


def consultation_fields(topic: Topic, consultation: Any) -> dict[str, Any]:
    """The topic's link to the consultation held on it (an activity, or another record of the
    committee): for the step start_consultation and ``services.topic_link_consultation``."""
    if getattr(consultation, "committee_id", topic.committee_id) != topic.committee_id:
        raise ValidationError(_("The consultation belongs to another committee."))
    return {"consultation_type": ContentType.objects.get_for_model(consultation),
            "consultation_id": consultation.pk}


def _publish_result(actor: Actor, topic: Topic, data: TopicNoteIn) -> Changes:
    note = require_text(data.note, "note", _("Write the result to publish."))
    return Changes(fields={"result": note, "result_published_at": clock.now()}, note=note)


def _topic_merge_choices(actor: Actor, topic: Topic) -> dict[str, Any]:
    return {"targets": scoped(actor, Topic).exclude(pk=topic.pk).exclude(
        status__in=[T.MERGED, T.DECLINED]).only("id", "title")}


TOPIC: Lifecycle[Topic] = Lifecycle(
    name="topic", model=Topic, event_model=TopicEvent, event_field="topic",
    audit_prefix="topic", schema_prefix="Topic", url_name="opinions:topic-act",
    template_prefix="topic_",
    steps=[
        Step("accept", T.NEW, T.ACCEPTED, R.can_act_on_topic,
             pgettext_lazy("opinions", "Accept"),
             input=TopicNoteIn, run=_accept),
        Step("merge", T.NEW, T.MERGED, R.can_act_on_topic,
             gettext_lazy("Merge into another topic"), input=TopicMergeIn, run=_topic_merge,
             choices=_topic_merge_choices),
        Step("decline", T.NEW, T.DECLINED, R.can_act_on_topic,
             pgettext_lazy("opinions", "Decline"),
             input=TopicNoteIn, run=_topic_decline),
        Step("start_consultation", T.ACCEPTED, T.CONSULTING, R.can_act_on_topic,
             gettext_lazy("Schedule the consultation"), input=TopicConsultationIn,
             run=_start_consultation),
        Step("publish_result", (T.ACCEPTED, T.CONSULTING), T.CONCLUDED, R.can_act_on_topic,
             gettext_lazy("Publish the result"), input=TopicNoteIn, run=_publish_result),
    ])
TOPIC_TRANSITIONS = TOPIC.table
TOPIC_ACTIONS = sorted(TOPIC.steps)
