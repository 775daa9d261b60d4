"""Factories for every model. Build through these; build workflow states through the services."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from xieshang.core.models import (
    Committee,
    Notification,
    Role,
    RoleAssignment,
    Session,
    Term,
    User,
)
from xieshang.members.models import (
    ActivityGroup,
    CollectiveBody,
    HandlingUnit,
    Member,
    Sector,
    SpecialCommittee,
)


class CommitteeFactory(DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"测试县{n}政协")
    short_name = factory.LazyAttribute(lambda o: o.name)
    code = factory.Sequence(lambda n: f"c{n:04d}")
    level = Committee.Level.COUNTY
    parent = None


class TermFactory(DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("committee", "number")

    committee = factory.SubFactory(CommitteeFactory)
    number = 14
    start_date = dt.date(2022, 1, 1)
    end_date = dt.date(2026, 12, 31)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    term = factory.SubFactory(TermFactory)
    committee = factory.LazyAttribute(lambda o: o.term.committee)
    number = 1
    start_date = dt.date(2022, 1, 10)
    end_date = dt.date(2022, 1, 13)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "Passw0rd!x")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class SectorFactory(DjangoModelFactory):
    class Meta:
        model = Sector

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"界别{n}")


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"委员{n}")
    gender = Member.Gender.MALE
    sector = factory.SubFactory(SectorFactory, committee=factory.SelfAttribute("..committee"))
    phone = factory.Sequence(lambda n: f"138{n:08d}")
    id_number = "11010519491231002X"
    joined_on = dt.date(2022, 1, 1)


class HandlingUnitFactory(DjangoModelFactory):
    class Meta:
        model = HandlingUnit

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"县第{n}局")
    kind = HandlingUnit.Kind.GOVERNMENT


class SpecialCommitteeFactory(DjangoModelFactory):
    class Meta:
        model = SpecialCommittee

    committee = factory.SubFactory(CommitteeFactory)
    term = factory.SubFactory(TermFactory, committee=factory.SelfAttribute("..committee"))
    name = factory.Sequence(lambda n: f"专委会{n}")
    established_on = dt.date(2022, 1, 1)


class ActivityGroupFactory(DjangoModelFactory):
    class Meta:
        model = ActivityGroup

    committee = factory.SubFactory(CommitteeFactory)
    term = factory.SubFactory(TermFactory, committee=factory.SelfAttribute("..committee"))
    name = factory.Sequence(lambda n: f"活动组{n}")


class CollectiveBodyFactory(DjangoModelFactory):
    class Meta:
        model = CollectiveBody

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"民主党派{n}")
    kind = CollectiveBody.Kind.PARTY


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    committee = factory.SubFactory(CommitteeFactory)
    role = Role.STAFF_OFFICE


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    committee = factory.SubFactory(CommitteeFactory)
    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"通知{n}")


def user_with_role(committee: Committee, role: str, **extra: object) -> User:
    """A user holding ``role`` in ``committee``, with the member/unit/body record it needs."""
    user = UserFactory()
    kwargs: dict[str, object] = {}
    if role == Role.MEMBER:
        kwargs["member"] = extra.get("member") or MemberFactory(committee=committee, user=user)
    elif role in (Role.UNIT_CLERK, Role.UNIT_LEADER):
        kwargs["unit"] = extra.get("unit") or HandlingUnitFactory(committee=committee)
    elif role == Role.COLLECTIVE:
        kwargs["body"] = extra.get("body") or CollectiveBodyFactory(committee=committee)
    RoleAssignmentFactory(user=user, committee=committee, role=role, **kwargs)
    return user
