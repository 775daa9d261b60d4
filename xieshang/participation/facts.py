"""Duty facts of the participation channels (registered with the duties app in ``ready()``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.core import clock
from xieshang.duties.facts import Fact
from xieshang.participation.models import Post, Response, StudioEvent

KINDS: dict[str, str | Promise] = {
    "room.took_part": _("Took part in an online consultation room"),
    "survey.answered": _("Answered a members' survey"),
    "studio.event": _("Took part in a studio activity"),
}


def participation_facts(committee_id: int, start: dt.date, end: dt.date) -> Iterator[Fact]:
    """One fact per room a member posted in (on the day of the first post that was not hidden),
    per members' survey counting for duty that they answered, per studio activity they joined."""
    lo, hi = clock.at(start), clock.at(end + dt.timedelta(days=1))
    seen: set[tuple[int, int]] = set()
    posts = (Post.objects.filter(committee_id=committee_id, member__isnull=False,
                                 hidden_at__isnull=True, created_at__gte=lo, created_at__lt=hi)
             .order_by("created_at", "id")
             .values_list("room_id", "member_id", "created_at", "room__title"))
    for room_id, member_id, when, title in posts:
        if (room_id, member_id) in seen:
            continue
        seen.add((room_id, member_id))
        yield Fact(member_id=member_id, kind="room.took_part", date=clock.local(when).date(),
                   ref_type="participation.room", ref_id=f"{room_id}-{member_id}",
                   label=f"参加网络议政“{title}”")
    answers = (Response.objects.filter(committee_id=committee_id, member__isnull=False,
                                       survey__counts_for_duty=True, submitted_at__gte=lo,
                                       submitted_at__lt=hi)
               .values_list("id", "member_id", "submitted_at", "survey__title"))
    for pk, member_id, when, title in answers:
        yield Fact(member_id=member_id, kind="survey.answered", date=clock.local(when).date(),
                   ref_type="participation.response", ref_id=str(pk),
                   label=f"填写问卷“{title}”")
    events = (StudioEvent.members.through.objects.filter(
        studioevent__committee_id=committee_id, studioevent__date__gte=start,
        studioevent__date__lte=end)
        .values_list("id", "member_id", "studioevent__date", "studioevent__studio__name",
                     "studioevent__title"))
    for pk, member_id, day, studio, title in events:
        yield Fact(member_id=member_id, kind="studio.event", date=day,
                   ref_type="participation.studioevent", ref_id=str(pk),
                   label=f"在{studio}参加“{title}”")
