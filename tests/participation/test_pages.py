"""Every participation page as each role: never an error page, and no English UI text."""

import datetime as dt
import re
from pathlib import Path

import polib
import pytest

from tests.activities.factories import make_activity, member_with_login
from tests.factories import HandlingUnitFactory, user_with_role
from tests.participation.factories import full_answers, make_room, make_survey
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.participation import services, workflow

pytestmark = pytest.mark.django_db

PO = (Path(__file__).resolve().parents[2] / "xieshang" / "participation" / "locale" / "zh_Hans"
      / "LC_MESSAGES" / "django.po")


def _english() -> list[str]:
    """The app's English messages long enough not to be part of other text."""
    return [e.msgid for e in polib.pofile(str(PO))
            if len(e.msgid) > 8 and "%" not in e.msgid and re.search(r"[a-z] [a-z]", e.msgid)]


def test_every_page_for_every_role_is_clean(client, county, staff, frozen_clock):
    unit = HandlingUnitFactory(committee=county)
    lead_user, lead, lead_actor = member_with_login(county)
    activity = make_activity(county, "thematic_consultation")
    room = make_room(county, members=[lead], units=[unit], activity=activity)
    post = services.post_add(actor=lead_actor, room=room, text="发言")
    services.post_hide(actor=actor_for(staff, county), post=post, reason="重复")
    services.room_summarise(actor=actor_for(staff, county), room=room, summary="综述",
                            suggestions=[("建议", unit)])
    survey = make_survey(county)
    public = make_survey(county, audience="public")
    services.survey_answer(actor=lead_actor, survey=survey, answers=full_answers(survey))
    studio = services.studio_create(actor=actor_for(staff, county), name="工作室", place="某地",
                                    lead=lead)
    event = services.studio_event_record(actor=lead_actor, studio=studio, kind="reception",
                                         date=dt.date(2026, 11, 20), title="接待", residents=3,
                                         members=[lead])
    problem = services.problem_record(actor=lead_actor, studio=studio, text="问题",
                                      received_on=dt.date(2026, 11, 20), event=event)
    services.problem_route(actor=lead_actor, problem=problem, route="unit", unit=unit)
    # A draft survey and a room ended early: their status and step forms are in Chinese too.
    draft = make_survey(county, publish=False)
    ended = make_room(county, members=[lead], title="提前结束的议政室")
    workflow.ROOM.take(actor=actor_for(staff, county), obj=ended, step="close",
                       data={"version": ended.version, "note": "议题已转协商会"})
    urls = [f"/participation/surveys/{draft.pk}/", f"/participation/rooms/{ended.pk}/",
            "/participation/rooms/", "/participation/rooms/new/",
            f"/participation/rooms/{room.pk}/", "/participation/surveys/",
            "/participation/surveys/new/", f"/participation/surveys/{survey.pk}/",
            f"/participation/surveys/{survey.pk}/results/",
            f"/participation/surveys/{public.pk}/", f"/participation/s/{public.pk}/",
            "/participation/studios/", "/participation/studios/new/",
            f"/participation/studios/{studio.pk}/", "/"]
    users = {"member": lead_user, "staff": staff}
    for role in (Role.STAFF_OPINION, Role.STAFF_PROPOSAL, Role.STAFF_COMMITTEE, Role.LEADER,
                 Role.ADMIN, Role.COLLECTIVE, Role.UNIT_LEADER):
        users[role] = user_with_role(county, role)
    users["clerk"] = user_with_role(county, Role.UNIT_CLERK, unit=unit)
    english = _english()
    for name, user in users.items():
        client.force_login(user)
        for url in urls:
            r = client.get(url)
            assert r.status_code in (200, 403, 404), (name, url, r.status_code)
            if r.status_code == 200:
                page = r.content.decode()
                leaked = [m for m in english if m in page]
                assert not leaked, (name, url, leaked)
    client.logout()
    assert client.get(f"/participation/s/{public.pk}/").status_code == 200
    assert client.get("/participation/rooms/").status_code == 302
