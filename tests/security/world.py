"""Two committees for the access tests: a victim committee full of records, and an attacker
who holds every role in a neighbouring committee (so only tenancy can stop them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models

from tests.activities.factories import invite, make_activity, member_with_login
from tests.factories import (
    CollectiveBodyFactory,
    HandlingUnitFactory,
    MemberFactory,
    NotificationFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from tests.opinions.factories import published
from tests.opinions.factories import submit as opinion_submit
from tests.proposals.factories import build_world, draft, reach
from xieshang.core.models import ApiToken, Committee, Role, User
from xieshang.proposals.models import Status


@dataclass
class Victim:
    committee: Committee
    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)

    def rows_of(self, model: type[models.Model]) -> list[models.Model]:
        """Rows made for the victim, or any row of the victim committee."""
        if model in self.rows:
            return self.rows[model]
        if any(f.name == "committee" for f in model._meta.concrete_fields):
            return list(model._default_manager.filter(committee=self.committee).order_by("pk")[:1])
        return []


def _max_pks() -> dict[type[models.Model], Any]:
    out = {}
    for model in apps.get_models():
        if isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            out[model] = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
    return out


def build_victim(committee: Committee) -> Victim:
    """Records of every main kind in ``committee``; ``rows`` holds every row created for it."""
    before = _max_pks()
    world = build_world(committee)
    reach(world, Status.REPLIED, title="受害方提案甲VICTIM")
    draft(world, title="受害方草稿乙VICTIM")
    published(committee, title="受害方社情民意丙VICTIM")
    opinion_submit(committee, title="受害方社情民意丁VICTIM")
    activity = make_activity(committee, title="受害方活动戊VICTIM")
    _user, member, _actor = member_with_login(committee, name="受害委员")
    invite(activity, member)
    NotificationFactory(committee=committee, recipient=world.users["member"],
                        title="受害通知VICTIM")
    ApiToken.issue(world.users["member"], "受害令牌")
    victim = Victim(committee=committee, users=world.users)
    for model in _max_pks():
        fresh = list(model._default_manager.filter(pk__gt=before.get(model, 0)).order_by("pk"))
        if fresh:
            victim.rows[model] = fresh
    return victim


def attacker(committee: Committee) -> User:
    """One user holding every role in ``committee`` (with the member, unit and body they need)."""
    user = UserFactory()
    for role in Role.values:
        extra: dict[str, Any] = {}
        if role == Role.MEMBER:
            extra["member"] = MemberFactory(committee=committee, user=user)
        elif role in (Role.UNIT_CLERK, Role.UNIT_LEADER):
            extra["unit"] = HandlingUnitFactory(committee=committee)
        elif role == Role.COLLECTIVE:
            extra["body"] = CollectiveBodyFactory(committee=committee)
        RoleAssignmentFactory(user=user, committee=committee, role=role, **extra)
    return user
