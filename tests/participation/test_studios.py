import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.activities.factories import member_with_login
from tests.factories import HandlingUnitFactory, user_with_role
from xieshang.core.figures import Scope, compute
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.duties import facts
from xieshang.participation import selectors, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(county, staff):
    _u, lead, _a = member_with_login(county)
    return services.studio_create(actor=actor_for(staff, county), name="城关镇委员工作室",
                                  place="城关镇便民服务中心二楼", themes="养老、教育",
                                  lead=lead)


def test_studio_member_records_a_reception_and_a_problem_routed_to_a_unit(county, studio,
                                                                           frozen_clock):
    lead_user = studio.lead.user
    actor = actor_for(lead_user, county)
    unit = HandlingUnitFactory(committee=county, name="县住建局")
    event = services.studio_event_record(actor=actor, studio=studio, kind="reception",
                                         date=dt.date(2026, 11, 20), title="接待群众",
                                         residents=12, members=[studio.lead])
    problem = services.problem_record(actor=actor, studio=studio, text="小区电梯老化",
                                      received_on=dt.date(2026, 11, 20), raised_by="王大爷",
                                      event=event)
    with pytest.raises(ValidationError):
        services.problem_answer(actor=actor, problem=problem, answer="已维修")
    routed = services.problem_route(actor=actor, problem=problem, route="unit", unit=unit)
    assert routed.unit == unit and routed.routed_on == dt.date(2026, 11, 26)
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=unit)
    other_clerk = user_with_role(county, Role.UNIT_CLERK)
    with pytest.raises(PermissionDenied):
        services.problem_answer(actor=actor_for(other_clerk, county), problem=routed,
                                answer="x")
    done = services.problem_answer(actor=actor_for(clerk, county), problem=routed,
                                   answer="已列入老旧小区改造计划")
    assert done.answer.startswith("已列入")
    rows = [f for f in facts.collect(county.pk, dt.date(2026, 11, 1), dt.date(2026, 11, 30))
            if f.kind == "studio.event"]
    assert [f.member_id for f in rows] == [studio.lead_id]
    figures = compute(Scope(county, dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    assert figures["participation.studio_events"].value == 1
    assert figures["participation.studio_residents"].value == 12
    assert figures["participation.studio_problems_answered"].value == 1


def test_members_outside_the_studio_cannot_record(county, studio):
    _u, _m, outsider = member_with_login(county)
    with pytest.raises(PermissionDenied):
        services.problem_record(actor=outsider, studio=studio, text="x",
                                received_on=dt.date(2026, 1, 1))
    assert studio in selectors.visible_studios(outsider)


def test_other_committees_see_no_studio(county, other_county, studio):
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert not selectors.visible_studios(actor_for(outsider, other_county)).filter(
        pk=studio.pk).exists()


def test_future_dates_and_empty_text_are_refused(county, staff, studio, frozen_clock):
    actor = actor_for(staff, county)
    with pytest.raises(ValidationError):
        services.studio_event_record(actor=actor, studio=studio, kind="visit",
                                     date=dt.date(2027, 1, 1), title="走访")
    with pytest.raises(ValidationError):
        services.problem_record(actor=actor, studio=studio, text=" ",
                                received_on=dt.date(2026, 11, 1))
    with pytest.raises(ValidationError):
        services.problem_route(actor=actor, problem=services.problem_record(
            actor=actor, studio=studio, text="路灯不亮", received_on=dt.date(2026, 11, 1)),
            route="unit")


def test_studio_pages(client, county, staff, studio, frozen_clock):
    client.force_login(studio.lead.user)
    assert client.get("/participation/studios/").status_code == 200
    r = client.post(f"/participation/studios/{studio.pk}/", {
        "what": "problem", "text": "学校门口交通拥堵", "received_on": "2026-11-25"})
    assert r.status_code == 302
    assert "学校门口交通拥堵" in client.get(f"/participation/studios/{studio.pk}/").content.decode()
    _u, _m, _a = member_with_login(county)
    client.force_login(_u)
    assert client.post(f"/participation/studios/{studio.pk}/", {
        "what": "problem", "text": "x", "received_on": "2026-11-25"}).status_code == 403
    assert client.get("/participation/studios/new/").status_code == 403
