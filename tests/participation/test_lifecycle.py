"""Rooms and surveys on the workflow engine: draft → published → ended early (→ reopened)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from ninja.testing import TestClient

from tests.activities.factories import member_with_login
from tests.factories import HandlingUnitFactory, user_with_role
from tests.participation.factories import full_answers, make_room, make_survey
from xieshang.core import clock
from xieshang.core.figures import Scope, compute
from xieshang.core.models import ApiToken, AuditLog, Notification, Role
from xieshang.core.permissions import actor_for
from xieshang.core.workflow import transition
from xieshang.participation import permissions, selectors, services, workflow
from xieshang.participation.models import Room, RoomEvent, Survey

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api():
    from xieshang.api import api

    return TestClient(api)


def call(api, path, user, **kw):
    _token, key = ApiToken.issue(user, "test")
    return api.post("/participation" + path, headers={"Authorization": f"Bearer {key}"}, **kw)


def get(api, path, user):
    _token, key = ApiToken.issue(user, "test")
    return api.get("/participation" + path, headers={"Authorization": f"Bearer {key}"})


def _refused(county, other_county):
    """A member, a unit clerk, a leader and a staff member of another committee."""
    return {"member": user_with_role(county, Role.MEMBER),
            "clerk": user_with_role(county, Role.UNIT_CLERK),
            "leader": user_with_role(county, Role.LEADER),
            "other staff": user_with_role(other_county, Role.STAFF_OFFICE)}


# --- draft ---------------------------------------------------------------------------------


def test_a_new_room_is_a_draft_the_invited_member_does_not_see(client, api, county, staff):
    user, member, actor = member_with_login(county)
    room = make_room(county, members=[member], publish=False, title="草稿议政室")
    assert room.status == Room.Status.DRAFT and not room.is_open
    assert room in selectors.visible_rooms(actor_for(staff, county))
    assert room not in selectors.visible_rooms(actor)
    assert selectors.rooms_open_to(actor) == 0
    with pytest.raises(PermissionDenied):
        services.post_add(actor=actor, room=room, text="抢先发言")
    client.force_login(user)
    assert "草稿议政室" not in client.get("/participation/rooms/").content.decode()
    assert client.get(f"/participation/rooms/{room.pk}/").status_code == 404
    assert get(api, f"/rooms/{room.pk}", user).status_code == 404
    assert get(api, "/rooms", user).json()["items"] == []


def test_a_draft_survey_is_not_offered_to_members_anywhere(client, api, county, staff):
    user, _member, actor = member_with_login(county)
    survey = make_survey(county, publish=False)
    public = make_survey(county, audience="public", publish=False)
    assert survey not in selectors.visible_surveys(actor)
    assert selectors.surveys_awaiting(actor) == 0
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=actor, survey=survey, answers=full_answers(survey))
    client.force_login(user)
    assert "社区养老服务问卷" not in client.get("/participation/surveys/").content.decode()
    assert client.get(f"/participation/surveys/{survey.pk}/").status_code == 404
    assert get(api, f"/surveys/{survey.pk}", user).status_code == 404
    assert get(api, "/surveys", user).json()["items"] == []
    client.logout()
    assert client.get(f"/participation/s/{public.pk}/").status_code == 404
    # Leaders read every published survey, but a draft is the office's work in progress.
    leader = actor_for(user_with_role(county, Role.LEADER), county)
    assert survey not in selectors.visible_surveys(leader)


# --- publish -------------------------------------------------------------------------------


def test_publishing_a_room_opens_it_and_tells_the_invited(county, staff,
                                                          django_capture_on_commit_callbacks):
    user, member, actor = member_with_login(county)
    expert = user_with_role(county, Role.STAFF_PROPOSAL)
    with django_capture_on_commit_callbacks(execute=True):
        room = make_room(county, members=[member], experts=[expert], publish=False)
    assert not Notification.objects.exists()  # a draft tells nobody
    with django_capture_on_commit_callbacks(execute=True):  # people are told after the commit
        room = workflow.ROOM.take(actor=actor_for(staff, county), obj=room, step="publish",
                                  data={"version": room.version})
    assert room.status == Room.Status.PUBLISHED and room.is_open
    assert room in selectors.visible_rooms(actor) and selectors.rooms_open_to(actor) == 1
    assert Notification.objects.filter(recipient=user, title__contains=room.title).exists()
    assert Notification.objects.filter(recipient=expert).exists()
    assert RoomEvent.objects.filter(room=room, action="publish").count() == 1
    assert AuditLog.objects.filter(action="room.publish").exists()
    services.post_add(actor=actor, room=room, text="建议")


def test_the_form_publishes_at_once_when_asked(client, county, staff):
    client.force_login(staff)
    r = client.post("/participation/surveys/new/", {
        "title": "立即发布的问卷", "audience": "members", "opens_at": "2020-01-01T09:00",
        "closes_at": "2099-01-01T09:00", "q1_text": "满意吗", "q1_kind": "single",
        "q1_options": "满意\n不满意", "q1_required": "1", "publish": "true"})
    assert r.status_code == 302
    assert Survey.objects.get(title="立即发布的问卷").status == Survey.Status.PUBLISHED
    client.post("/participation/surveys/new/", {
        "title": "先存草稿", "audience": "members", "opens_at": "2020-01-01T09:00",
        "closes_at": "2099-01-01T09:00", "q1_text": "满意吗", "q1_kind": "text"})
    assert Survey.objects.get(title="先存草稿").status == Survey.Status.DRAFT


def test_a_draft_whose_closing_time_has_passed_cannot_be_published(county, staff):
    room = make_room(county, publish=False)
    Room.objects.filter(pk=room.pk).update(closes_at=clock.now() - dt.timedelta(hours=1))
    room.refresh_from_db()
    with pytest.raises(ValidationError):
        transition(workflow.ROOM, actor=actor_for(staff, county), obj=room, step="publish",
                   version=room.version)


@pytest.mark.parametrize("kind", ["room", "survey"])
def test_only_the_committees_staff_publish_close_and_reopen(client, api, county, other_county,
                                                            staff, kind):
    unit = HandlingUnitFactory(committee=county)
    _u, member, _a = member_with_login(county)
    make = (lambda: make_room(county, members=[member], units=[unit], is_public=True,
                              publish=False)) if kind == "room" else (
        lambda: make_survey(county, publish=False))
    lifecycle = workflow.ROOM if kind == "room" else workflow.SURVEY
    close_in = workflow.RoomCloseIn if kind == "room" else workflow.SurveyCloseIn
    path = "rooms" if kind == "room" else "surveys"
    draft = make()
    for name, user in _refused(county, other_county).items():
        a = actor_for(user, other_county if name == "other staff" else county)
        assert not permissions.can_manage_channel(a, draft), name
        assert lifecycle.allowed_names(a, draft) == [], name
        with pytest.raises(PermissionDenied):
            transition(lifecycle, actor=a, obj=draft, step="publish", version=draft.version)
        client.force_login(user)
        r = client.post(f"/participation/{path}/{draft.pk}/act/publish/", {"version": "0"})
        assert r.status_code in (403, 404), name
        assert call(api, f"/{path}/{draft.pk}/actions/publish", user,
                    json={"version": 0}).status_code in (403, 404), name
    draft.refresh_from_db()
    assert draft.status == "draft"
    published = make()
    transition(lifecycle, actor=actor_for(staff, county), obj=published, step="publish",
               version=0)
    published.refresh_from_db()
    for name, user in _refused(county, other_county).items():
        a = actor_for(user, other_county if name == "other staff" else county)
        with pytest.raises(PermissionDenied):
            transition(lifecycle, actor=a, obj=published, step="close", version=1,
                       data=close_in(version=1, note="不需要了"))
        r = call(api, f"/{path}/{published.pk}/actions/close", user,
                 json={"version": 1, "note": "x"})
        assert r.status_code in (403, 404), name
    closed = transition(lifecycle, actor=actor_for(staff, county), obj=published, step="close",
                        version=1, data=close_in(version=1, note="议题已办结"))
    for name, user in _refused(county, other_county).items():
        a = actor_for(user, other_county if name == "other staff" else county)
        with pytest.raises(PermissionDenied):
            transition(lifecycle, actor=a, obj=closed, step="reopen", version=2)


# --- ending early --------------------------------------------------------------------------


def test_ending_a_room_early_needs_a_reason_and_stops_posting(client, county, staff):
    _u, member, actor = member_with_login(county)
    room = make_room(county, members=[member])
    keeper = actor_for(staff, county)
    with pytest.raises(ValidationError):
        workflow.ROOM.take(actor=keeper, obj=room, step="close",
                           data={"version": room.version, "note": " "})
    room = workflow.ROOM.take(actor=keeper, obj=room, step="close",
                              data={"version": room.version, "note": "议题已提交协商会"})
    assert room.status == Room.Status.CLOSED and not room.is_open and room.has_ended
    assert room.close_reason == "议题已提交协商会" and room.closed_at is not None
    assert room in selectors.visible_rooms(actor)  # still read, no longer written in
    with pytest.raises(PermissionDenied):
        services.post_add(actor=actor, room=room, text="还想说")
    assert selectors.rooms_open_to(actor) == 0
    client.force_login(staff)
    page = client.get(f"/participation/rooms/{room.pk}/").content.decode()
    assert "议题已提交协商会" in page and 'data-action="reopen"' in page
    room = workflow.ROOM.take(actor=keeper, obj=room, step="reopen",
                              data={"version": room.version})
    assert room.is_open and room.close_reason == "" and room.closed_at is None


def test_ending_a_survey_early_stops_answers(county, staff):
    _u, _m, actor = member_with_login(county)
    survey = make_survey(county)
    survey = workflow.SURVEY.take(actor=actor_for(staff, county), obj=survey, step="close",
                                  data={"version": survey.version, "note": "样本已足够"})
    assert selectors.surveys_awaiting(actor) == 0
    with pytest.raises(PermissionDenied):
        services.survey_answer(actor=actor, survey=survey, answers=full_answers(survey))


def test_past_its_closing_time_a_room_shows_as_ended_and_cannot_be_closed_or_reopened(county,
                                                                                    staff):
    room = make_room(county, open_now=False)
    assert room.status == Room.Status.PUBLISHED and room.has_ended
    assert room.stage == str(Room.Status.CLOSED.label)
    assert workflow.ROOM.allowed_names(actor_for(staff, county), room) == []


def test_pages_offer_the_steps_to_the_staff_only(client, county, staff):
    user, member, _a = member_with_login(county)
    room = make_room(county, members=[member], publish=False)
    client.force_login(staff)
    page = client.get(f"/participation/rooms/{room.pk}/").content.decode()
    assert 'data-action="publish"' in page and "data-confirm" in page
    r = client.post(f"/participation/rooms/{room.pk}/act/publish/", {"version": "0"})
    assert r.status_code == 302
    room.refresh_from_db()
    assert room.status == Room.Status.PUBLISHED
    page = client.get(f"/participation/rooms/{room.pk}/").content.decode()
    assert 'data-action="close"' in page and "data-confirm" in page
    client.force_login(user)
    page = client.get(f"/participation/rooms/{room.pk}/").content.decode()
    assert "data-action" not in page


def test_the_staff_list_offers_results_only_once_a_survey_is_published(client, county, staff):
    draft = make_survey(county, publish=False)
    client.force_login(staff)
    results = f"/participation/surveys/{draft.pk}/results/"
    assert reverse("participation:survey-results", args=[draft.pk]) == results
    assert results not in client.get("/participation/surveys/").content.decode()
    transition(workflow.SURVEY, actor=actor_for(staff, county), obj=draft, step="publish",
               version=draft.version)
    assert results in client.get("/participation/surveys/").content.decode()


# --- figures -------------------------------------------------------------------------------


def test_drafts_do_not_count_in_the_figures(county):
    today = clock.today()
    scope = Scope(county, today - dt.timedelta(days=30), today)
    make_room(county, publish=False)
    make_survey(county, publish=False)
    figures = compute(scope)
    assert figures["participation.rooms"].value == 0
    assert figures["participation.surveys"].value == 0
    make_room(county)
    make_survey(county)
    closed = make_survey(county)
    workflow.SURVEY.take(actor=actor_for(user_with_role(county, Role.STAFF_OFFICE), county),
                         obj=closed, step="close", data={"version": 1, "note": "提前结束"})
    figures = compute(Scope(county, today - dt.timedelta(days=30), today))
    assert figures["participation.rooms"].value == 1
    assert figures["participation.surveys"].value == 2
