"""Inputs of the participation channels, declared once for the API and the pages."""

import datetime as dt

from ninja import Schema


class RoomIn(Schema):
    title: str
    topic: str = ""
    opens_at: dt.datetime
    closes_at: dt.datetime
    activity_id: int | None = None
    plan_item_id: int | None = None
    is_public: bool = False
    member_ids: list[int] = []
    unit_ids: list[int] = []
    expert_ids: list[int] = []
    publish: bool = False


class PostIn(Schema):
    text: str
    parent_id: int | None = None


class HideIn(Schema):
    reason: str = ""


class SummaryItem(Schema):
    text: str
    unit_id: int | None = None


class SummaryIn(Schema):
    summary: str
    suggestions: list[SummaryItem] = []


class QuestionIn(Schema):
    kind: str
    text: str
    options: list[str] = []
    scale_max: int = 5
    required: bool = True


class SurveyIn(Schema):
    title: str
    intro: str = ""
    audience: str = "members"
    counts_for_duty: bool = False
    opens_at: dt.datetime
    closes_at: dt.datetime
    questions: list[QuestionIn]
    publish: bool = False


class SurveyHeadIn(Schema):
    """A survey's fields as the page posts them (its questions come in numbered boxes)."""

    title: str
    intro: str = ""
    audience: str = "members"
    counts_for_duty: bool = False
    opens_at: dt.datetime
    closes_at: dt.datetime
    publish: bool = False


class StudioIn(Schema):
    name: str
    place: str
    themes: str = ""
    lead_id: int | None = None
    member_ids: list[int] = []


class StudioEventIn(Schema):
    kind: str
    date: dt.date
    title: str
    notes: str = ""
    residents: int = 0
    member_ids: list[int] = []


class ProblemIn(Schema):
    text: str
    received_on: dt.date
    raised_by: str = ""
    event_id: int | None = None


class RouteIn(Schema):
    route: str
    opinion_id: int | None = None
    proposal_id: int | None = None
    unit_id: int | None = None


class AnswerBackIn(Schema):
    answer: str
    answered_on: dt.date | None = None


class ProblemDraftIn(Schema):
    """Turn a problem into a proposal draft (``kind="proposal"``) or a public-opinion report
    (``kind="opinion"``; title and situation default to the problem's text)."""

    kind: str
    title: str = ""
    category: str = "other"
    situation: str = ""
    analysis: str = ""
    suggestion: str = ""
