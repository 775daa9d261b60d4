"""Time spent on a learning material, as the reader's page reports it, within bounds.

Opening a material (its page, or its article on the committee's website) gives the page a
signed token: which material, which member, when it was opened. The page reports the seconds
it was visible when the reader leaves it; "mark as read" posts the same token. The server
credits at most the time since the token was issued, at most MAX_VIEW_SECONDS for one
opening, and remembers what it already credited for that token in a counter every worker
process shares (``core.counters``), so a report sent twice, a forged "10 hours" or a tab left
open overnight add no more than the reader could have spent. A member's time on one material
is capped at MAX_MATERIAL_SECONDS in all (``services.reading_report``). The API and the pages
go through the same service.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing

from xieshang.core import clock, counters

SALT = "activities.reading"
MAX_VIEW_SECONDS = 2 * 3600
TOKEN_MAX_AGE = MAX_VIEW_SECONDS + 3600
# The most reading time one member is credited on one material, however often it is opened.
MAX_MATERIAL_SECONDS = 4 * 3600


@dataclass(frozen=True)
class Opening:
    material_id: int
    member_id: int
    opened_at: float
    key: str


def token_for(material_id: int, member_id: int) -> str:
    return signing.dumps({"m": material_id, "u": member_id, "t": clock.timestamp(),
                          "n": secrets.token_hex(6)}, salt=SALT, compress=True)


def opening(token: str, *, material_id: int, member_id: int) -> Opening | None:
    """The opening a token stands for, or None when it is forged, stale or someone else's."""
    try:
        data = signing.loads(token or "", salt=SALT, max_age=TOKEN_MAX_AGE)
        ok = int(data["m"]) == material_id and int(data["u"]) == member_id
        opened_at = float(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if not ok:
        return None
    key = "reading:" + hashlib.sha256(token.encode()).hexdigest()[:32]
    return Opening(material_id, member_id, opened_at, key)


def credit(opened: Opening, claimed: int | None) -> int:
    """Seconds to add for this report: what the page claims (or, without a claim, all the
    time since opening), limited to what is left of the time since opening, and remembered
    so that the same opening is never credited twice."""
    elapsed = max(0, int(clock.timestamp() - opened.opened_at))
    room = min(elapsed, MAX_VIEW_SECONDS)
    wanted = room if claimed is None else max(0, min(int(claimed), room))
    if not wanted:
        return 0
    return counters.add_within(opened.key, wanted, limit=room, seconds=TOKEN_MAX_AGE)
