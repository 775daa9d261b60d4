"""Time spent on a learning-library article, as the reader's browser reports it, within bounds.

Opening an article (as a member) gives the page a signed token: which article, which member,
when it was opened. The page's script reports the seconds it was visible when the reader
leaves (or hides) it; "mark as read" posts the same token. The server credits at most the time
since the token was issued, at most MAX_VIEW_SECONDS for one opening, and remembers (in the
cache) what it already credited for that token, so reports sent twice, a forged "10 hours" or a
tab left open overnight do not add up to more than the reader could have spent.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache

from xieshang.core import clock

SALT = "portal.reading"
MAX_VIEW_SECONDS = 2 * 3600
TOKEN_MAX_AGE = MAX_VIEW_SECONDS + 3600


def now() -> float:
    return clock.timestamp()


@dataclass(frozen=True)
class Opening:
    article_id: int
    member_id: int
    opened_at: float
    key: str


def token_for(article_id: int, member_id: int) -> str:
    return signing.dumps({"a": article_id, "m": member_id, "t": now(),
                          "n": secrets.token_hex(6)}, salt=SALT, compress=True)


def opening(token: str, *, article_id: int, member_id: int) -> Opening | None:
    """The opening a token stands for, or None when it is forged, stale or someone else's."""
    try:
        data = signing.loads(token, salt=SALT, max_age=TOKEN_MAX_AGE)
        ok = int(data["a"]) == article_id and int(data["m"]) == member_id
        opened_at = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not ok:
        return None
    key = "portal:reading:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return Opening(article_id, member_id, opened_at, key)


def credit(opened: Opening, claimed: int | None) -> int:
    """Seconds to add for this report: what the browser claims (or, without a claim, all the
    time since opening), limited to what is left of the time since opening."""
    elapsed = max(0, int(now() - opened.opened_at))
    credited = int(cache.get(opened.key, 0))
    room = max(0, min(elapsed, MAX_VIEW_SECONDS) - credited)
    seconds = room if claimed is None else max(0, min(claimed, room))
    if seconds:
        cache.set(opened.key, credited + seconds, TOKEN_MAX_AGE)
    return seconds
