"""Helpers that build opinion states through the services (never by setting status)."""

from __future__ import annotations

from tests.factories import user_with_role
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import actor_for
from xieshang.opinions import services, workflow
from xieshang.opinions.models import OpinionReport, Topic

TEXT = {
    "situation": "县城老旧小区加装电梯进展缓慢，居民意见较大。",
    "analysis": "资金分摊机制不明确，低层住户顾虑较多。",
    "suggestion": "建议出台加装电梯财政补贴和分摊指导办法。",
}


def submit(committee: Committee, user=None, title: str = "关于加快老旧小区加装电梯的建议",
           **text: str) -> OpinionReport:
    user = user or user_with_role(committee, Role.MEMBER)
    return services.report_submit(actor=actor_for(user, committee), title=title,
                                  **{"category": "society", **TEXT, **text})


def editor(committee: Committee):
    return actor_for(user_with_role(committee, Role.STAFF_OPINION), committee)


def _inputs(version: int, kw: dict) -> dict:
    return {"version": version, **{k: getattr(v, "pk", v) for k, v in kw.items()}}


def act(actor, report: OpinionReport, action: str, **kw) -> OpinionReport:
    """Take a step of a report as a page or the API would (the version just read)."""
    report.refresh_from_db()
    return workflow.REPORT.take(actor=actor, obj=report, step=action,
                                data=_inputs(report.version, kw))


def topic_act(actor, topic: Topic, action: str, **kw) -> Topic:
    topic.refresh_from_db()
    return workflow.TOPIC.take(actor=actor, obj=topic, step=action,
                               data=_inputs(topic.version, kw))


def signed_off(committee: Committee, **kw) -> OpinionReport:
    report = submit(committee, **kw)
    ed = editor(committee)
    act(ed, report, "start_edit")
    return act(ed, report, "sign_off")


def published(committee: Committee, **kw) -> OpinionReport:
    report = signed_off(committee, **kw)
    ed = editor(committee)
    bulletin = services.bulletin_create(actor=ed, kind="single", reports=[report])
    services.bulletin_publish(actor=ed, bulletin=bulletin)
    report.refresh_from_db()
    return report
