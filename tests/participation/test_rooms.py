import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.activities.factories import make_activity, member_with_login
from tests.factories import HandlingUnitFactory, user_with_role
from tests.participation.factories import make_room
from xieshang.activities.models import Suggestion
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.duties import facts
from xieshang.participation import selectors, services
from xieshang.participation.models import Post

pytestmark = pytest.mark.django_db


def test_invited_member_posts_replies_and_attaches_a_file(county):
    user, member, actor = member_with_login(county)
    room = make_room(county, members=[member])
    post = services.post_add(actor=actor, room=room, text="建议建设立体停车场")
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    reply = services.post_add(actor=actor, room=room, text="补充：附方案", parent=post,
                              attachment=pdf)
    assert reply.parent == post and reply.attachment_name == "方案.pdf"
    assert reply.member == member and reply.author_name == member.name
    assert AuditLog.objects.filter(action="room.post").count() == 2


def test_a_renamed_file_is_refused_and_nothing_is_saved(county):
    _u, member, actor = member_with_login(county)
    room = make_room(county, members=[member])
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError):
        services.post_add(actor=actor, room=room, text="附件", attachment=fake)
    assert not Post.objects.exists()


def test_a_member_not_invited_neither_sees_nor_posts(county):
    _u, invited, _a = member_with_login(county)
    _u2, _m2, outsider = member_with_login(county)
    room = make_room(county, members=[invited])
    assert room not in selectors.visible_rooms(outsider)
    with pytest.raises(PermissionDenied):
        services.post_add(actor=outsider, room=room, text="我也想说")


def test_officials_of_units_concerned_and_experts_take_part(county):
    unit = HandlingUnitFactory(committee=county)
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=unit)
    other_clerk = user_with_role(county, Role.UNIT_CLERK)
    expert = user_with_role(county, Role.STAFF_PROPOSAL)
    room = make_room(county, units=[unit], experts=[expert])
    assert room in selectors.visible_rooms(actor_for(clerk, county))
    assert room not in selectors.visible_rooms(actor_for(other_clerk, county))
    services.post_add(actor=actor_for(clerk, county), room=room, text="我局正在研究停车规划")
    services.post_add(actor=actor_for(expert, county), room=room, text="专家意见")


def test_a_closed_room_takes_no_posts(county):
    _u, member, actor = member_with_login(county)
    room = make_room(county, members=[member], open_now=False)
    with pytest.raises(PermissionDenied):
        services.post_add(actor=actor, room=room, text="晚了")


def test_staff_of_another_committee_see_nothing(county, other_county):
    room = make_room(county)
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert not selectors.visible_rooms(actor_for(outsider, other_county)).filter(
        pk=room.pk).exists()


def test_moderator_hides_a_post_with_a_reason_audited(county, staff):
    user, member, actor = member_with_login(county)
    room = make_room(county, members=[member])
    post = services.post_add(actor=actor, room=room, text="广告内容")
    with pytest.raises(PermissionDenied):
        services.post_hide(actor=actor, post=post, reason="自己隐藏")
    with pytest.raises(ValidationError):
        services.post_hide(actor=actor_for(staff, county), post=post, reason=" ")
    hidden = services.post_hide(actor=actor_for(staff, county), post=post, reason="与议题无关")
    assert hidden.hidden_at is not None and hidden.hidden_reason == "与议题无关"
    entry = AuditLog.objects.get(action="room.post_hide")
    assert entry.after["reason"] == "与议题无关"


def test_summary_becomes_ledger_items_with_their_feedback_loop(county, staff):
    activity = make_activity(county, "thematic_consultation")
    unit = HandlingUnitFactory(committee=county)
    room = make_room(county, activity=activity)
    made = services.room_summarise(actor=actor_for(staff, county), room=room,
                                   summary="委员们围绕停车难提出三点建议",
                                   suggestions=[("建设立体停车场", unit), ("", None),
                                                ("错时共享停车", None)])
    assert len(made) == 2
    assert set(Suggestion.objects.filter(activity=activity).values_list("text", flat=True)) == {
        "建设立体停车场", "错时共享停车"}
    assert room.suggestions.count() == 2
    room.refresh_from_db()
    assert room.summary.startswith("委员们")


def test_summary_without_an_activity_is_refused_whole(county, staff):
    room = make_room(county)
    with pytest.raises(ValidationError):
        services.room_summarise(actor=actor_for(staff, county), room=room, summary="小结",
                                suggestions=[("建议", None)])
    room.refresh_from_db()
    assert room.summary == "" and not Suggestion.objects.exists()


def test_members_cannot_summarise(county):
    _u, member, actor = member_with_login(county)
    room = make_room(county, members=[member])
    with pytest.raises(PermissionDenied):
        services.room_summarise(actor=actor, room=room, summary="小结", suggestions=[])


def test_taking_part_is_a_duty_fact_once_per_room(county, frozen_clock):
    _u, member, actor = member_with_login(county)
    room = make_room(county, members=[member])
    services.post_add(actor=actor, room=room, text="一")
    services.post_add(actor=actor, room=room, text="二")
    today = dt.date(2026, 11, 26)
    rows = [f for f in facts.collect(county.pk, today - dt.timedelta(days=1), today)
            if f.kind == "room.took_part"]
    assert [(f.member_id, f.kind) for f in rows] == [(member.pk, "room.took_part")]


def test_room_pages_for_member_and_refusal_for_outsider(client, county, staff):
    user, member, _a = member_with_login(county)
    room = make_room(county, members=[member])
    client.force_login(user)
    assert client.get("/participation/rooms/").status_code == 200
    r = client.post(f"/participation/rooms/{room.pk}/", {"text": "页面发言"})
    assert r.status_code == 302 and Post.objects.filter(text="页面发言").exists()
    page = client.get(f"/participation/rooms/{room.pk}/")
    assert "页面发言" in page.content.decode()
    other, _m, _a2 = member_with_login(county)
    client.force_login(other)
    assert client.get(f"/participation/rooms/{room.pk}/").status_code == 404
    assert client.get("/participation/rooms/new/").status_code == 403


def test_staff_open_a_room_from_the_page(client, county, staff):
    _u, member, _a = member_with_login(county)
    client.force_login(staff)
    r = client.post("/participation/rooms/new/", {
        "title": "网络议政：托育服务", "opens_at": "2026-11-01T09:00",
        "closes_at": "2026-11-30T18:00", "member_ids": [member.pk]})
    assert r.status_code == 302
    bad = client.post("/participation/rooms/new/", {
        "title": "倒挂", "opens_at": "2026-11-30T09:00", "closes_at": "2026-11-01T18:00"})
    assert bad.status_code == 200 and "晚于" in bad.content.decode()


def test_staff_invite_an_expert_from_the_page(client, county, staff):
    expert = user_with_role(county, Role.STAFF_PROPOSAL)
    client.force_login(staff)
    r = client.post("/participation/rooms/new/", {
        "title": "网络议政：专家论证", "opens_at": "2026-11-01T09:00",
        "closes_at": "2099-11-30T18:00", "expert_ids": [expert.pk]})
    assert r.status_code == 302
    room = selectors.visible_rooms(actor_for(staff, county)).get(title="网络议政：专家论证")
    assert list(room.experts.all()) == [expert]
