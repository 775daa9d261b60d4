"""分组讨论: groups filled by sector in one action, one group per member, moves, notes to the
ledger, the refusals, the pages and the printed list."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from docx import Document

from tests.factories import user_with_role
from tests.meetings.factories import discussion_group, plenary, with_sectors
from xieshang.activities.models import Suggestion
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.meetings import selectors, services
from xieshang.meetings.models import GroupMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def p(county):
    p = plenary(county, 6)
    # members 0-1 中共, 2 教育界, 3 经济界, 4 no sector, 5 文艺界 (a sector no group takes)
    p.sectors = with_sectors(p, "中共", "中共", "教育界", "经济界", None, "文艺界")
    return p


def _fill(p, *plan):
    """plan: (group, [sector names]) pairs."""
    return services.groups_fill_by_sector(
        actor=p.staff_actor, meeting=p.meeting,
        sectors={g: [p.sectors[n] for n in names] for g, names in plan})


def _group_of(p, i):
    row = GroupMember.objects.filter(meeting=p.meeting, member=p.members[i][1]).first()
    return row.group if row else None


def test_fill_by_sector_places_members_and_lists_the_rest_as_ungrouped(p):
    first = discussion_group(p, "第一组（中共、教育界）")
    second = discussion_group(p, "第二组（经济界）")
    assert _fill(p, (first, ["中共", "教育界"]), (second, ["经济界"])) == 4
    assert [_group_of(p, i) for i in range(4)] == [first, first, first, second]
    ungrouped = set(selectors.ungrouped(p.meeting))
    assert ungrouped == {p.members[4][1], p.members[5][1]}  # no sector; 文艺界 untaken


def test_a_sector_goes_to_one_group_only_and_nothing_is_half_saved(p):
    first = discussion_group(p, "第一组")
    second = discussion_group(p, "第二组")
    with pytest.raises(ValidationError, match="中共"):
        _fill(p, (first, ["中共"]), (second, ["中共", "经济界"]))
    assert not GroupMember.objects.exists()
    assert not first.sectors.exists() and not second.sectors.exists()


def test_a_member_is_in_one_group_per_meeting(p):
    first = discussion_group(p, "第一组")
    second = discussion_group(p, "第二组")
    _fill(p, (first, ["中共"]))
    # a second fill does not move or duplicate anyone already placed
    assert _fill(p, (first, []), (second, ["中共", "教育界"])) == 1
    assert _group_of(p, 0) == first and _group_of(p, 2) == second
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMember.objects.create(committee=p.meeting.committee, meeting=p.meeting,
                                   group=second, member=p.members[0][1])


def test_staff_move_a_member_between_groups_and_out(p):
    first = discussion_group(p, "第一组")
    second = discussion_group(p, "第二组")
    _fill(p, (first, ["中共"]))
    member = p.members[0][1]
    services.group_update(actor=p.staff_actor, group=first, name="第一组", convener=member)
    services.group_member_move(actor=p.staff_actor, meeting=p.meeting, member=member,
                               group=second)
    assert _group_of(p, 0) == second
    first.refresh_from_db()
    assert first.convener is None  # the convener left the group
    services.group_member_move(actor=p.staff_actor, meeting=p.meeting, member=member,
                               group=None)
    assert member in selectors.ungrouped(p.meeting)
    services.group_member_move(actor=p.staff_actor, meeting=p.meeting,
                               member=p.members[4][1], group=first)  # no sector: by hand
    assert _group_of(p, 4) == first


def test_convener_must_be_in_the_group(p):
    first = discussion_group(p, "第一组")
    with pytest.raises(ValidationError):
        services.group_update(actor=p.staff_actor, group=first, name="第一组",
                              convener=p.members[0][1])


def test_a_member_not_at_the_meeting_cannot_be_placed(county, p):
    from tests.activities.factories import member_with_login
    _u, stranger, _a = member_with_login(county)
    first = discussion_group(p, "第一组")
    with pytest.raises(ValidationError):
        services.group_member_move(actor=p.staff_actor, meeting=p.meeting, member=stranger,
                                   group=first)


def test_member_may_not_create_fill_or_move(p):
    first = discussion_group(p, "第一组")
    _u, member, actor = p.members[0]
    with pytest.raises(PermissionDenied):
        services.group_create(actor=actor, meeting=p.meeting, name="我的组")
    with pytest.raises(PermissionDenied):
        services.groups_fill_by_sector(actor=actor, meeting=p.meeting,
                                       sectors={first: [p.sectors["中共"]]})
    with pytest.raises(PermissionDenied):
        services.group_member_move(actor=actor, meeting=p.meeting, member=member, group=first)
    with pytest.raises(PermissionDenied):
        services.group_notes_record(actor=actor, group=first, notes="……")


def test_another_committees_staff_are_refused(other_county, p):
    first = discussion_group(p, "第一组")
    outsider = actor_for(user_with_role(other_county, Role.STAFF_OFFICE), other_county)
    with pytest.raises(PermissionDenied):
        services.group_create(actor=outsider, meeting=p.meeting, name="外组")
    with pytest.raises(PermissionDenied):
        services.groups_fill_by_sector(actor=outsider, meeting=p.meeting,
                                       sectors={first: [p.sectors["中共"]]})
    with pytest.raises(PermissionDenied):
        services.group_member_move(actor=outsider, meeting=p.meeting,
                                   member=p.members[0][1], group=first)


def test_notes_go_to_the_suggestion_ledger_once(p):
    first = discussion_group(p, "第一组")
    notes = "建议加快老旧小区改造。"
    services.group_notes_record(actor=p.staff_actor, group=first, notes=notes, to_ledger=True)
    services.group_notes_record(actor=p.staff_actor, group=first, notes=notes + "补充。",
                                to_ledger=True)
    row = Suggestion.objects.get()
    assert row.activity == p.meeting.activity and "第一组" in row.text
    first.refresh_from_db()
    assert first.notes_suggestion == row and first.notes.endswith("补充。")


def test_empty_notes_are_not_sent_to_the_ledger(p):
    first = discussion_group(p, "第一组")
    with pytest.raises(ValidationError):
        services.group_notes_record(actor=p.staff_actor, group=first, notes="  ",
                                    to_ledger=True)
    assert not Suggestion.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def _client(client, user, committee):
    client.force_login(user)
    session = client.session
    session["xieshang_committee_id"] = committee.pk
    session.save()
    return client


def _two_groups(p):
    first = discussion_group(p, "第一组（中共、教育界）", venue="三楼会议室")
    second = discussion_group(p, "第二组（经济界）", venue="五楼会议室")
    _fill(p, (first, ["中共", "教育界"]), (second, ["经济界"]))
    services.group_update(actor=p.staff_actor, group=first, name=first.name,
                          venue=first.venue, convener=p.members[1][1])
    return first, second


def test_member_sees_own_group_only_on_the_meeting_page(client, county, p):
    _two_groups(p)
    user, _m, _a = p.members[0]
    body = _client(client, user, county).get(
        reverse("meetings:detail", args=[p.meeting.pk])).content.decode()
    assert "第一组（中共、教育界）" in body and "三楼会议室" in body
    # Names as the group's list shows them (a bare "委员3" is also in "本组委员3人").
    assert f"<li>{p.members[1][1].name} " in body and f"<li>{p.members[2][1].name} " in body
    assert "第二组（经济界）" not in body and f"<li>{p.members[3][1].name} " not in body
    assert reverse("meetings:groups", args=[p.meeting.pk]) not in body


def test_ungrouped_member_is_told_so(client, county, p):
    _two_groups(p)
    user, _m, _a = p.members[4]
    body = _client(client, user, county).get(
        reverse("meetings:detail", args=[p.meeting.pk])).content.decode()
    assert "尚未分组" in body


def test_staff_page_fills_moves_and_records(client, county, p):
    first = discussion_group(p, "第一组")
    second = discussion_group(p, "第二组")
    c = _client(client, p.staff, county)
    url = reverse("meetings:groups", args=[p.meeting.pk])
    body = c.get(url).content.decode()
    assert "未分组" in body and "按界别分组" in body
    c.post(reverse("meetings:groups-fill", args=[p.meeting.pk]), {
        f"sector-{p.sectors['中共'].pk}": first.pk,
        f"sector-{p.sectors['经济界'].pk}": second.pk})
    assert _group_of(p, 0) == first and _group_of(p, 3) == second
    c.post(reverse("meetings:group-move", args=[p.meeting.pk]),
           {"member": p.members[0][1].pk, "group": second.pk})
    assert _group_of(p, 0) == second
    r = c.post(reverse("meetings:group-edit", args=[p.meeting.pk]),
               {"group": first.pk, "name": "第一组", "starts_at": "明天下午"}, follow=True)
    assert "请按" in r.content.decode()
    r = c.post(reverse("meetings:groups", args=[p.meeting.pk]), {"name": "第二组"}, follow=True)
    assert r.status_code == 200 and "已有同名" in r.content.decode()
    c.post(reverse("meetings:group-notes", args=[p.meeting.pk]),
           {"group": second.pk, "notes": "建议……", "to_ledger": "1"})
    assert Suggestion.objects.count() == 1


def test_member_and_other_committee_cannot_open_the_staff_pages(client, county, other_county,
                                                                  p):
    first = discussion_group(p, "第一组")
    user, member, _a = p.members[0]
    c = _client(client, user, county)
    assert c.get(reverse("meetings:groups", args=[p.meeting.pk])).status_code == 403
    assert c.post(reverse("meetings:group-move", args=[p.meeting.pk]),
                  {"member": member.pk, "group": first.pk}).status_code == 403
    assert c.get(reverse("meetings:groups-docx", args=[p.meeting.pk])).status_code == 403
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    c = _client(client, outsider, other_county)
    assert c.get(reverse("meetings:groups", args=[p.meeting.pk])).status_code == 404
    assert c.post(reverse("meetings:groups-fill", args=[p.meeting.pk]),
                  {f"sector-{p.sectors['中共'].pk}": first.pk}).status_code == 404
    assert not GroupMember.objects.exists()


def test_group_list_docx(client, county, p):
    _two_groups(p)
    r = _client(client, p.staff, county).get(
        reverse("meetings:groups-docx", args=[p.meeting.pk]))
    assert r.status_code == 200
    text = "\n".join(par.text for par in Document(io.BytesIO(r.content)).paragraphs)
    assert "第一组（中共、教育界）" in text and "三楼会议室" in text
    assert p.members[1][1].name in text  # the convener and the members
    assert "中共、教育界" in text
    assert "未分组" in text and p.members[4][1].name in text


# --- API -----------------------------------------------------------------------------------


def _api(method, path, user, **kw):
    from ninja.testing import TestClient

    from xieshang.api import api
    from xieshang.core.models import ApiToken
    _token, key = ApiToken.issue(user, "test")
    return getattr(TestClient(api), method)("/meetings" + path,
                                            headers={"Authorization": f"Bearer {key}"}, **kw)


def test_groups_through_the_api(county, other_county, p):
    pk = p.meeting.pk
    r = _api("post", f"/{pk}/groups", p.staff, json={"name": "第一组", "venue": "一楼"})
    assert r.status_code == 201, r.json()
    first = r.json()["groups"][0]["id"]
    r = _api("post", f"/{pk}/groups/fill", p.staff,
             json={"sectors": {str(first): [p.sectors["中共"].pk]}})
    assert r.status_code == 200, r.json()
    assert len(r.json()["groups"][0]["members"]) == 2 and len(r.json()["ungrouped"]) == 4
    r = _api("post", f"/{pk}/groups/move", p.staff,
             json={"member_id": p.members[4][1].pk, "group_id": first})
    assert len(r.json()["groups"][0]["members"]) == 3
    # a member reads their own group only, and may not change anything
    member_user = p.members[0][0]
    r = _api("get", f"/{pk}/groups", member_user)
    assert [g["id"] for g in r.json()["groups"]] == [first] and r.json()["ungrouped"] == []
    assert _api("get", f"/{pk}/groups", p.members[3][0]).json()["groups"] == []
    assert _api("post", f"/{pk}/groups/move", member_user,
                json={"member_id": p.members[0][1].pk, "group_id": None}).status_code == 403
    assert _api("post", f"/{pk}/groups", member_user, json={"name": "x"}).status_code == 403
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert _api("get", f"/{pk}/groups", outsider).status_code == 404
    r = _api("post", f"/{pk}/groups", p.staff, json={"name": "  "})
    assert r.status_code == 400 and r.json()["message"]
