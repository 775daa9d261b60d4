"""Two committees for the access tests: a victim committee full of records, and an attacker
who holds every role in a neighbouring committee (so only tenancy can stop them)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models

from tests.activities.factories import invite, make_activity, member_with_login
from tests.factories import (
    CollectiveBodyFactory,
    HandlingUnitFactory,
    MemberFactory,
    NotificationFactory,
    RoleAssignmentFactory,
    SectorFactory,
    UserFactory,
    user_with_role,
)
from tests.opinions.factories import editor, published
from tests.opinions.factories import submit as opinion_submit
from tests.proposals.factories import build_world, draft, reach
from xieshang.activities import services as activity_services
from xieshang.core import clock
from xieshang.core import services as core_services
from xieshang.core.models import ApiToken, Committee, Role, User
from xieshang.core.permissions import Actor, actor_for
from xieshang.duties import services as duty_services
from xieshang.opinions import services as opinion_services
from xieshang.portal import services as portal_services
from xieshang.portal import workflow as portal_workflow
from xieshang.portal.models import Column
from xieshang.proposals import services as proposal_services
from xieshang.proposals.models import Status
from xieshang.search import dictionary


@dataclass
class Victim:
    committee: Committee
    rows: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    world: Any = None  # the proposals' World (units, category, the member who wrote them)

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
    replied = reach(world, Status.REPLIED, title="受害方提案甲VICTIM")
    _excellent(world, replied)
    draft(world, title="受害方草稿乙VICTIM")
    published(committee, title="受害方社情民意丙VICTIM")
    opinion_submit(committee, title="受害方社情民意丁VICTIM")
    activity = make_activity(committee, title="受害方活动戊VICTIM")
    _user, member, _actor = member_with_login(committee, name="受害委员")
    invite(activity, member)
    NotificationFactory(committee=committee, recipient=world.users["member"],
                        title="受害通知VICTIM")
    ApiToken.issue(world.users["member"], "受害令牌")
    _activity_records(committee, activity)
    _meeting_records(committee, member)
    _self_report(committee)
    _opinion_records(committee)
    _portal_records(committee)
    _clue_records(committee)
    _participation_records(committee, activity, member)
    core_services.calendar_day_add(actor=Actor.for_system(committee), committee=committee,
                                   date=dt.date(2026, 5, 6), is_workday=False,
                                   name="受害假日VICTIM")
    staff = actor_for(user_with_role(committee, Role.STAFF_OFFICE), committee)
    dictionary.term_add(actor=staff, word="受害词条")
    victim = Victim(committee=committee, users=world.users, world=world)
    for model in _max_pks():
        fresh = list(model._default_manager.filter(pk__gt=before.get(model, 0)).order_by("pk"))
        if fresh:
            victim.rows[model] = fresh
    return victim


def _meeting_records(committee: Committee, member: Any) -> None:
    """A plenary meeting with an item, a paper, a speaker, an open vote, an open election and a
    discussion group."""
    from xieshang.meetings import services as meeting_services

    staff = actor_for(user_with_role(committee, Role.STAFF_OFFICE), committee)
    # Begins in half an hour: registration (sign-in) opens an hour before the start.
    plenary = make_activity(committee, "plenary", title="受害方全会VICTIM", actor=staff,
                            start=clock.now() + dt.timedelta(minutes=30))
    invite(plenary, member)
    meeting = meeting_services.meeting_create(actor=staff, activity=plenary)
    item = meeting_services.agenda_item_add(actor=staff, meeting=meeting, title="受害议程VICTIM")
    meeting_services.paper_add(actor=staff, item=item, title="受害文件VICTIM",
                               text="受害正文VICTIM")
    meeting_services.register(actor=staff, meeting=meeting, member=member)
    speech = activity_services.speech_submit(actor=_member_actor(committee, member),
                                             activity=plenary, title="受害发言VICTIM",
                                             text="受害发言VICTIM")
    meeting_services.oral_pick(actor=staff, item=item, speech=speech)
    meeting_services.poll_open(actor=staff, poll=meeting_services.poll_create(
        actor=staff, meeting=meeting, title="受害表决VICTIM"))
    meeting_services.election_open(actor=staff, election=meeting_services.election_create(
        actor=staff, meeting=meeting, title="受害选举VICTIM",
        positions=[meeting_services.PositionSpec("受害职务VICTIM", 1, ["受害甲", "受害乙"])]))
    group = meeting_services.group_create(actor=staff, meeting=meeting, name="受害小组VICTIM",
                                          venue="受害会议室VICTIM")
    meeting_services.group_member_move(actor=staff, meeting=meeting, member=member, group=group)
    meeting_services.group_notes_record(actor=staff, group=group, notes="受害纪要VICTIM")


def _member_actor(committee: Committee, member: Any) -> Actor:
    return Actor(user=member.user, committee=committee, roles=frozenset({"member"}),
                 member_id=member.pk)


_IPS = itertools.cycle(range(1, 255))  # the public form allows a few topics per address an hour


def _excellent(world: Any, proposal: Any) -> None:
    """A decided excellent selection (its certificate is a page with the nomination's id)."""
    today = clock.today()
    nomination = proposal_services.excellent_nominate(actor=world.actor("staff"),
                                                      year=today.year, proposal=proposal)
    proposal_services.excellent_decide(actor=world.actor("staff"), nomination=nomination,
                                       selected=True, resolution_no="受害决定VICTIM",
                                       resolution_date=today)


def _file(name: str, head: bytes = b"") -> SimpleUploadedFile:
    """An upload whose bytes carry the marker, so a served file shows the leak."""
    return SimpleUploadedFile(name, head + "受害文件VICTIM\n".encode())


def _png() -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "PNG")
    return SimpleUploadedFile("victim.png", out.getvalue())


def _activity_records(committee: Committee, activity: Any) -> None:
    system = Actor.for_system(committee)
    report = activity_services.activity_file_add(
        actor=system, activity=activity, kind="report", title="受害纪要VICTIM",
        upload=_file("victim.txt"))
    activity_services.suggestion_record(actor=system, activity=activity, text="受害建议VICTIM",
                                        document=report)
    activity_services.material_create(actor=system, committee=committee,
                                      title="受害学习材料VICTIM", text="受害VICTIM",
                                      upload=_file("victim.txt"))
    plan = activity_services.plan_create(actor=system, committee=committee, year=2026,
                                         title="受害计划VICTIM")
    activity_services.plan_item_add(actor=system, plan=plan, type=activity.type,
                                    topic="受害计划项VICTIM", planned_month=6)


def _participation_records(committee: Committee, activity: Any, member: Any) -> None:
    from xieshang.core import clock
    from xieshang.participation import services as participation_services

    system = Actor.for_system(committee)
    now = clock.now()
    room = participation_services.room_create(
        actor=system, title="受害议政室VICTIM", activity=activity, members=[member],
        opens_at=now - dt.timedelta(days=1), closes_at=now + dt.timedelta(days=30),
        publish=True)
    post = participation_services.post_add(actor=system, room=room, text="受害发言VICTIM",
                                           attachment=_file("victim.txt"))
    participation_services.post_add(actor=system, room=room, text="受害回复VICTIM", parent=post)
    participation_services.survey_create(
        actor=system, title="受害问卷VICTIM", opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        questions=[{"kind": "text", "text": "受害题目VICTIM"}], publish=True)
    studio = participation_services.studio_create(actor=system, name="受害工作室VICTIM",
                                                  place="受害地点", lead=member)
    participation_services.studio_event_record(
        actor=system, studio=studio, kind="visit", date=dt.date(2026, 1, 5),
        title="受害走访VICTIM", members=[member])
    participation_services.problem_record(actor=system, studio=studio, text="受害问题VICTIM",
                                          received_on=dt.date(2026, 1, 5))


def _self_report(committee: Committee) -> None:
    _user, member, actor = member_with_login(committee, name="受害述职委员")
    duty_services.self_report_save(actor=actor, member=member, year=2026,
                                   overview="受害述职VICTIM", achievements="受害VICTIM")
    duty_services.manual_item_add(actor=Actor.for_system(committee), member=member,
                                  date=dt.date(2026, 5, 6), code="award",
                                  description="受害表彰VICTIM",
                                  evidence=_file("victim.pdf", b"%PDF-1.4\n"))
    SectorFactory(committee=committee, name="受害界别VICTIM")


def _opinion_records(committee: Committee) -> None:
    author = user_with_role(committee, Role.MEMBER)
    report = opinion_submit(committee, user=author, title="受害附件社情民意VICTIM")
    opinion_services.attachment_add(actor=actor_for(author, committee), report=report,
                                    upload=_file("victim.pdf", b"%PDF-1.4\n"))
    opinion_services.correspondent_create(actor=editor(committee), user=UserFactory(),
                                          name="受害信息员VICTIM")
    opinion_services.topic_raise(committee=committee, title="受害议题VICTIM",
                                 description="受害议题描述VICTIM", name="受害居民",
                                 phone="13800001111", ip=f"10.250.250.{next(_IPS)}")


def _clue_records(committee: Committee) -> None:
    from xieshang.clues import services as clue_services
    from xieshang.clues import workflow as clue_workflow

    office = actor_for(user_with_role(committee, Role.STAFF_PROPOSAL), committee)
    waiting = clue_services.clue_send_public(
        committee=committee, title="受害线索VICTIM", body="受害线索内容VICTIM",
        name="受害居民", phone="13800001111", ip=f"10.250.251.{next(_IPS)}")
    library = clue_services.clue_send_public(
        committee=committee, title="受害库内线索VICTIM", body="受害库内线索内容VICTIM",
        ip=f"10.250.251.{next(_IPS)}")
    clue_workflow.CLUE.take_form(actor=office, obj=library, step="accept",
                                 post={"version": str(library.version)})
    del waiting


def _portal_records(committee: Committee) -> None:
    system = Actor.for_system(committee)
    portal_services.site_ensure(actor=system, committee=committee)
    column = Column.objects.get(committee=committee, slug="news")
    cover = _png()
    article = portal_services.article_save(
        actor=system, committee=committee, column=column, title="受害文章VICTIM",
        body="<p>受害正文VICTIM</p>", attachment=_file("victim.pdf", b"%PDF-1.4\n"),
        cover=cover, cover_alt="受害图片VICTIM")
    office = actor_for(user_with_role(committee, Role.STAFF_OFFICE), committee)
    leader = actor_for(user_with_role(committee, Role.LEADER), committee)  # four eyes
    for who, action in ((office, "submit"), (leader, "publish")):
        article.refresh_from_db()
        portal_workflow.ARTICLE.take(actor=who, obj=article, step=action,
                                     data={"version": article.version})


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
