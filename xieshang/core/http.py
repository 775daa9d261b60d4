"""The request type views receive (``request.actor`` is set by ActingCommitteeMiddleware), and
the parsing of query-string values that pages share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from xieshang.core.models import Committee, User
    from xieshang.core.permissions import Actor


class XRequest(HttpRequest):
    actor: Actor
    committees: list[Committee]
    htmx: HtmxDetails
    user: User


# --- query-string values: a bad one falls back to the default, never a 500 ------------------

# Dates a page computes with (a month before, a day after) stay inside what Python and both
# databases hold; years outside are treated as not given.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def query_int(params: Mapping[str, Any], name: str, default: int, *, low: int,
              high: int) -> int:
    """``params[name]`` as an int in ``low``..``high``; ``default`` when missing or not."""
    raw = str(params.get(name, "") or "").strip()
    if not raw or len(raw) > 12:
        return default
    try:
        value = int(raw)
    except ValueError:
        return default
    return value if low <= value <= high else default


def query_date(params: Mapping[str, Any], name: str) -> dt.date | None:
    """``params[name]`` as an ISO date in FIRST_YEAR..LAST_YEAR; None when missing or not."""
    raw = str(params.get(name, "") or "").strip()[:10]
    try:
        value = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return value if FIRST_YEAR <= value.year <= LAST_YEAR else None


def query_month(params: Mapping[str, Any], name: str) -> tuple[int, int] | None:
    """``params[name]`` as "YYYY-MM" (year in FIRST_YEAR..LAST_YEAR); None when not."""
    year_text, _sep, month_text = str(params.get(name, "") or "").partition("-")
    year = query_int({"y": year_text}, "y", 0, low=FIRST_YEAR, high=LAST_YEAR)
    month = query_int({"m": month_text}, "m", 0, low=1, high=12)
    return (year, month) if year and month else None


def as_id(value: object) -> int | None:
    """A row id from a query or form value: ASCII digits a database integer holds, else None
    (``"²"`` is a digit to ``str.isdigit`` but not to ``int``; 30 digits overflow SQLite)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None
