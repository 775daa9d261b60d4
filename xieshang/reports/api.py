"""JSON API of the statistics: the same figures as the page and the command line."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xieshang.core.apiutils import ERRORS, ApiError, actor
from xieshang.core.figures import Scope, compute
from xieshang.core.permissions import require
from xieshang.reports import permissions

router = Router(tags=["reports"])


class FigureOut(Schema):
    key: str
    label: str
    value: float
    unit: str
    section: str
    link: str
    note: str = ""
    definition: str = ""  # what the figure counts


class FiguresOut(Schema):
    committee: str
    start: dt.date = Field(..., alias="from")
    end: dt.date = Field(..., alias="to")
    include_sub: bool
    figures: list[FigureOut]


class FiguresQuery(Schema):
    start: dt.date = Field(..., alias="from", description="First day, YYYY-MM-DD")
    end: dt.date = Field(..., alias="to", description="Last day, YYYY-MM-DD")
    include_sub: bool = Field(False, description="Add the figures of all sub-committees.")


@router.get("/figures", response={200: FiguresOut, **ERRORS}, by_alias=True)
def figures(request: HttpRequest, query: Query[FiguresQuery]) -> dict[str, Any]:
    """Every figure for the acting committee and the period (keys: docs/reports.md)."""
    who = actor(request)
    require(permissions.can_view(who))
    assert who.committee is not None
    if query.end < query.start:
        raise ApiError("invalid", "结束日期早于开始日期。", 400)
    scope = Scope(committee=who.committee, start=query.start, end=query.end,
                  include_sub=query.include_sub)
    return {"committee": who.committee.code, "from": query.start, "to": query.end,
            "include_sub": query.include_sub,
            "figures": [f.as_dict() for f in compute(scope).values()]}
