"""Helpers to build the participation channels through their services."""

from __future__ import annotations

import datetime as dt

from xieshang.core import clock
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.participation import services
from xieshang.participation.models import Room, Survey


def system(committee: Committee) -> Actor:
    return Actor.for_system(committee)


def make_room(committee: Committee, *, members=(), units=(), experts=(), open_now: bool = True,
              publish: bool = True, **fields) -> Room:
    now = clock.now()
    opens = now - dt.timedelta(days=1) if open_now else now - dt.timedelta(days=10)
    room = services.room_create(actor=system(committee), title=fields.pop("title", "城区停车难题"),
                                topic="如何缓解老城区停车难", opens_at=opens,
                                closes_at=now + dt.timedelta(days=5), members=members,
                                units=units, experts=experts, publish=publish, **fields)
    if not open_now:  # published while open, then its time ran out
        Room.objects.filter(pk=room.pk).update(closes_at=now - dt.timedelta(days=3))
        room.refresh_from_db()
    return room


QUESTIONS = [
    {"kind": "single", "text": "您对社区养老服务满意吗", "options": ["满意", "一般", "不满意"]},
    {"kind": "multiple", "text": "最需要哪些服务", "options": ["助餐", "助医", "助浴", "日间照料"]},
    {"kind": "scale", "text": "请为服务质量打分", "scale_max": 5},
    {"kind": "text", "text": "其他意见", "required": False},
]


def make_survey(committee: Committee, *, audience: str = "members", counts: bool = False,
                open_now: bool = True, publish: bool = True) -> Survey:
    now = clock.now()
    survey = services.survey_create(actor=system(committee), title="社区养老服务问卷",
                                    opens_at=now - dt.timedelta(days=2),
                                    closes_at=now + dt.timedelta(days=5), questions=QUESTIONS,
                                    audience=audience, counts_for_duty=counts, publish=publish)
    if not open_now:  # published while open, then its time ran out
        Survey.objects.filter(pk=survey.pk).update(closes_at=now - dt.timedelta(hours=1))
        survey.refresh_from_db()
    return survey


def full_answers(survey: Survey) -> dict[str, object]:
    qs = list(survey.questions.order_by("order"))
    return {str(qs[0].pk): "0", str(qs[1].pk): ["0", "2"], str(qs[2].pk): "4",
            str(qs[3].pk): "希望增加夜间照护"}
