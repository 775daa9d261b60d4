import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.activities.factories import (
    invite,
    make_activity,
    member_with_login,
    started,
    system,
)
from tests.factories import (
    ActivityGroupFactory,
    MemberFactory,
    SectorFactory,
    SpecialCommitteeFactory,
    user_with_role,
)
from xieshang.activities import services, workflow
from xieshang.activities.models import ActivityEvent, Invitation
from xieshang.core.models import Notification, Role
from xieshang.core.permissions import actor_for
from xieshang.members.models import Member, SpecialCommitteeMembership

pytestmark = pytest.mark.django_db


def _invited(activity):
    return set(activity.invitations.values_list("member_id", flat=True))


def test_invite_by_list(county, staff):
    a, b, _c = MemberFactory.create_batch(3, committee=county)
    activity = make_activity(county)
    rows = services.invitations_send(actor=actor_for(staff, county), activity=activity,
                                     members=[a, b])
    assert len(rows) == 2 and _invited(activity) == {a.pk, b.pk}


def test_invite_by_sector(county, staff):
    sector = SectorFactory(committee=county)
    inside = MemberFactory.create_batch(2, committee=county, sector=sector)
    MemberFactory(committee=county)
    activity = make_activity(county)
    services.invitations_send(actor=actor_for(staff, county), activity=activity,
                              sector_ids=[sector.pk])
    assert _invited(activity) == {m.pk for m in inside}


def test_invite_by_special_committee_takes_current_members_only(county, staff):
    sc = SpecialCommitteeFactory(committee=county)
    current, former = MemberFactory.create_batch(2, committee=county)
    SpecialCommitteeMembership.objects.create(committee=county, member=current,
                                              special_committee=sc)
    SpecialCommitteeMembership.objects.create(committee=county, member=former,
                                              special_committee=sc, end_date=dt.date(2024, 1, 1))
    activity = make_activity(county)
    services.invitations_send(actor=actor_for(staff, county), activity=activity,
                              special_committee_ids=[sc.pk])
    assert _invited(activity) == {current.pk}


def test_invite_by_group(county, staff):
    group = ActivityGroupFactory(committee=county)
    m1, m2, _m3 = MemberFactory.create_batch(3, committee=county)
    group.members.add(m1, m2)
    activity = make_activity(county)
    services.invitations_send(actor=actor_for(staff, county), activity=activity,
                              group_ids=[group.pk])
    assert _invited(activity) == {m1.pk, m2.pk}


def test_invite_all_serving_members_skips_those_who_left_and_other_counties(county,
                                                                             other_county,
                                                                             staff):
    serving = MemberFactory.create_batch(3, committee=county)
    MemberFactory(committee=county, status=Member.Status.LEFT)
    MemberFactory(committee=other_county)
    activity = make_activity(county)
    services.invitations_send(actor=actor_for(staff, county), activity=activity, everyone=True)
    assert _invited(activity) == {m.pk for m in serving}


def test_inviting_twice_invites_nobody_twice(county, staff):
    members = MemberFactory.create_batch(2, committee=county)
    activity = make_activity(county)
    actor = actor_for(staff, county)
    services.invitations_send(actor=actor, activity=activity, members=members)
    assert services.invitations_send(actor=actor, activity=activity, everyone=True) == []
    assert activity.invitations.count() == 2


def test_invited_member_is_notified(county, staff, django_capture_on_commit_callbacks):
    user, member, _ = member_with_login(county)
    activity = make_activity(county)
    with django_capture_on_commit_callbacks(execute=True):  # people are told after the commit
        services.invitations_send(actor=actor_for(staff, county), activity=activity,
                                  members=[member])
    assert Notification.objects.filter(recipient=user).exists()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.UNIT_CLERK])
def test_only_staff_invite(county, role):
    activity = make_activity(county)
    with pytest.raises(PermissionDenied):
        services.invitations_send(actor=actor_for(user_with_role(county, role), county),
                                  activity=activity, everyone=True)


def test_members_of_another_county_cannot_be_invited(county, other_county, staff):
    activity = make_activity(county)
    with pytest.raises(ValidationError):
        services.invitations_send(actor=actor_for(staff, county), activity=activity,
                                  members=[MemberFactory(committee=other_county)])


def test_member_confirms(county):
    _user, member, actor = member_with_login(county)
    activity = make_activity(county)
    [inv] = invite(activity, member)
    assert workflow.INVITATION.allowed_names(actor, inv) == ["confirm", "request_leave"]
    inv = services.invitation_reply(actor=actor, invitation=inv, action="confirm")
    assert inv.status == Invitation.Status.CONFIRMED


def test_leave_request_and_approval(county, staff, django_capture_on_commit_callbacks):
    user, member, actor = member_with_login(county)
    activity = make_activity(county, actor=actor_for(staff, county))
    [inv] = invite(activity, member)
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.invitation_reply(actor=actor, invitation=inv, action="request_leave",
                                        reason="外出学习")
    assert inv.status == Invitation.Status.LEAVE_REQUESTED and inv.leave_reason == "外出学习"
    assert Notification.objects.filter(recipient=staff, title__contains="请假").exists()
    with django_capture_on_commit_callbacks(execute=True):
        inv = services.leave_decide(actor=actor_for(staff, county), invitation=inv,
                                    approve=True)
    assert inv.status == Invitation.Status.LEAVE_APPROVED
    assert list(ActivityEvent.objects.filter(invitation=inv).values_list("action", flat=True)) \
        == ["request_leave", "approve_leave"]
    assert Notification.objects.filter(recipient=user).exists()


def test_refused_leave_lets_the_member_confirm_again(county, staff):
    _user, member, actor = member_with_login(county)
    activity = make_activity(county)
    [inv] = invite(activity, member)
    inv = services.invitation_reply(actor=actor, invitation=inv, action="request_leave",
                                    reason="出差")
    inv = services.leave_decide(actor=actor_for(staff, county), invitation=inv, approve=False)
    assert inv.status == Invitation.Status.LEAVE_REFUSED
    assert workflow.INVITATION.allowed_names(actor, inv) == ["confirm"]
    assert services.invitation_reply(actor=actor, invitation=inv,
                                     action="confirm").status == "confirmed"


def test_leave_needs_a_reason(county):
    _user, member, actor = member_with_login(county)
    [inv] = invite(make_activity(county), member)
    with pytest.raises(ValidationError):
        services.invitation_reply(actor=actor, invitation=inv, action="request_leave",
                                  reason="  ")
    inv.refresh_from_db()
    assert inv.status == Invitation.Status.INVITED


def test_member_cannot_reply_for_another_member(county):
    _u, other_member, _a = member_with_login(county)
    _u2, _m2, actor = member_with_login(county)
    [inv] = invite(make_activity(county), other_member)
    with pytest.raises(PermissionDenied):
        services.invitation_reply(actor=actor, invitation=inv, action="confirm")


def test_staff_cannot_reply_for_a_member_and_member_cannot_approve_leave(county, staff):
    _u, member, actor = member_with_login(county)
    [inv] = invite(make_activity(county), member)
    with pytest.raises(PermissionDenied):
        services.invitation_reply(actor=actor_for(staff, county), invitation=inv,
                                  action="confirm")
    inv = services.invitation_reply(actor=actor, invitation=inv, action="request_leave",
                                    reason="病假")
    with pytest.raises(PermissionDenied):
        services.leave_decide(actor=actor, invitation=inv, approve=True)
    for role in (Role.LEADER, Role.UNIT_CLERK, Role.STAFF_PROPOSAL):
        with pytest.raises(PermissionDenied):
            services.leave_decide(actor=actor_for(user_with_role(county, role), county),
                                  invitation=inv, approve=True)


def test_approving_twice_is_refused(county, staff):
    _u, member, actor = member_with_login(county)
    [inv] = invite(make_activity(county), member)
    inv = services.invitation_reply(actor=actor, invitation=inv, action="request_leave",
                                    reason="病假")
    services.leave_decide(actor=actor_for(staff, county), invitation=inv, approve=True)
    with pytest.raises(ValidationError):
        services.leave_decide(actor=actor_for(staff, county), invitation=inv, approve=False)


def test_replies_close_when_the_activity_is_over(county):
    _u, member, actor = member_with_login(county)
    activity = make_activity(county, start=timezone.now() - dt.timedelta(days=2))
    [inv] = invite(activity, member)
    with pytest.raises(ValidationError):
        services.invitation_reply(actor=actor, invitation=inv, action="confirm")


def test_staff_record_attendance_and_rates(county, staff):
    from xieshang.activities import selectors

    members = MemberFactory.create_batch(4, committee=county)
    activity = make_activity(county, actor=actor_for(staff, county), start=started())
    invs = invite(activity, *members)
    actor = actor_for(staff, county)
    services.attendance_record(actor=actor, invitation=invs[0], attendance="attended")
    services.attendance_record(actor=actor, invitation=invs[1], attendance="late")
    services.attendance_record(actor=actor, invitation=invs[2], attendance="absent")
    stats = selectors.attendance_by_activity(activity)
    assert stats == {"invited": 4, "present": 2, "late": 1, "absent": 1, "leave": 0,
                     "rate": 50}
    with pytest.raises(ValidationError):
        services.attendance_record(actor=actor, invitation=invs[3], attendance="maybe")


def test_member_cannot_record_attendance(county):
    _u, member, actor = member_with_login(county)
    [inv] = invite(make_activity(county), member)
    with pytest.raises(PermissionDenied):
        services.attendance_record(actor=actor, invitation=inv, attendance="attended")


def _xlsx(rows):
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_attendance_import(county, staff):
    a = MemberFactory(committee=county, name="张三")
    b = MemberFactory(committee=county, name="李四")
    activity = make_activity(county, start=started())
    invite(activity, a, b)
    n = services.attendance_import(actor=actor_for(staff, county), activity=activity,
                                   fh=_xlsx([["姓名", "出勤"], ["张三", "出席"], ["李四", "缺席"]]))
    assert n == 2
    got = dict(activity.invitations.values_list("member__name", "attendance"))
    assert got == {"张三": "attended", "李四": "absent"}
    assert set(activity.invitations.values_list("attendance_source", flat=True)) == {"import"}


def test_attendance_import_is_all_or_nothing(county, staff):
    a = MemberFactory(committee=county, name="张三")
    activity = make_activity(county, start=started())
    invite(activity, a)
    with pytest.raises(ValidationError) as exc:
        services.attendance_import(actor=actor_for(staff, county), activity=activity,
                                   fh=_xlsx([["姓名", "出勤"], ["张三", "出席"], ["王五", "出席"]]))
    assert "王五" in str(exc.value)
    assert activity.invitations.get().attendance == ""


def test_speech_before_the_consultation(county):
    _u, member, actor = member_with_login(county)
    activity = make_activity(county, "thematic_consultation")
    invite(activity, member)
    speech = services.speech_submit(actor=actor, activity=activity, title="关于营商环境",
                                    text="建议……")
    assert speech.member == member


def test_speech_refused_from_members_not_invited_and_after_start(county):
    _u, _member, actor = member_with_login(county)
    activity = make_activity(county, "thematic_consultation")
    with pytest.raises(PermissionDenied):
        services.speech_submit(actor=actor, activity=activity, title="t", text="x")
    _u2, member2, actor2 = member_with_login(county)
    past = make_activity(county, "thematic_consultation",
                         start=timezone.now() - dt.timedelta(hours=1))
    invite(past, member2)
    with pytest.raises(ValidationError):
        services.speech_submit(actor=actor2, activity=past, title="t", text="x")
    assert system(county).system


def test_attendance_is_refused_on_an_activity_that_has_not_begun(county, staff, client):
    """Issue #16: the demo had 262 "attended" on future activities."""
    member = MemberFactory(committee=county)
    activity = make_activity(county)  # three days ahead
    [inv] = invite(activity, member)
    actor = actor_for(staff, county)
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(actor=actor, invitation=inv, attendance="attended")
    assert "尚未开始" in str(exc.value.messages[0]) or "has not begun" in str(exc.value)
    with pytest.raises(ValidationError):
        services.bulk_attendance(actor=actor, activity=activity, values={inv.pk: "attended"})
    with pytest.raises(ValidationError):
        services.attendance_import(actor=actor, activity=activity,
                                   fh=_xlsx([["姓名", "出勤"], [member.name, "出席"]]))
    inv.refresh_from_db()
    assert inv.attendance == ""
    # the page says why, in Chinese, and nothing is saved
    client.force_login(staff)
    response = client.post(reverse("activities:attendance", args=[activity.pk]),
                           {f"att_{inv.pk}": "attended"}, follow=True)
    assert response.status_code == 200
    assert "尚未开始" in response.content.decode()
    inv.refresh_from_db()
    assert inv.attendance == ""


def test_leave_is_not_offered_or_accepted_once_the_activity_has_begun(county):
    _u, member, actor = member_with_login(county)
    [inv] = invite(make_activity(county, start=started()), member)
    assert "request_leave" not in workflow.INVITATION.allowed_names(actor, inv)
    with pytest.raises(ValidationError):
        services.invitation_reply(actor=actor, invitation=inv, action="request_leave",
                                  reason="出差")
    inv.refresh_from_db()
    assert inv.status == "invited"
