"""Helpers to build activities through the services (so the rules apply)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.factories import MemberFactory, user_with_role
from xieshang.activities import services
from xieshang.activities.models import Activity
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor, actor_for

TZ = timezone.get_fixed_timezone(8 * 60)


def at(y: int, m: int, d: int, h: int = 9) -> dt.datetime:
    return dt.datetime(y, m, d, h, 0, tzinfo=TZ)


def started() -> dt.datetime:
    """A start half an hour ago: attendance is recorded only on an activity that has begun."""
    return timezone.now() - dt.timedelta(minutes=30)


def system(committee: Committee) -> Actor:
    return Actor.for_system(committee)


def make_activity(committee: Committee, code: str = "forum", *, start: dt.datetime | None = None,
                  status: str = Activity.Status.PLANNED, actor: Actor | None = None,
                  **fields) -> Activity:
    types = services.activity_types_ensure(committee)
    start = start or timezone.now() + dt.timedelta(days=3)
    if types[code].category in ("counterpart", "supervision") and "units" not in fields:
        from tests.factories import HandlingUnitFactory

        fields["units"] = [HandlingUnitFactory(committee=committee)]
    return services.activity_create(actor=actor or system(committee), committee=committee,
                                    type=types[code], title=fields.pop("title", f"{code} 活动"),
                                    start=start, status=status, **fields)


def member_with_login(committee: Committee, **member_fields):
    """(user, member, actor) for a member who can log in."""
    member = MemberFactory(committee=committee, **member_fields)
    user = user_with_role(committee, Role.MEMBER, member=member)
    member.user = user
    member.save(update_fields=["user"])
    return user, member, actor_for(user, committee)


def invite(activity: Activity, *members) -> list:
    return services.invitations_send(actor=system(activity.committee), activity=activity,
                                     members=list(members), notify_members=False)
