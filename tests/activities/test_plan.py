import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.activities.factories import make_activity
from tests.factories import HandlingUnitFactory, SpecialCommitteeFactory, user_with_role
from xieshang.activities import selectors, services
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(county, staff):
    actor = actor_for(staff, county)
    types = services.activity_types_ensure(county)
    plan = services.plan_create(actor=actor, committee=county, year=2025, title="2025年度协商计划")
    units = HandlingUnitFactory.create_batch(2, committee=county)
    sc = SpecialCommitteeFactory(committee=county)
    services.plan_item_add(actor=actor, plan=plan, type=types["counterpart_consultation"],
                           topic="惠企政策落实", planned_month=5, lead_special_committee=sc,
                           units=units)
    services.plan_item_add(actor=actor, plan=plan, type=types["thematic_consultation"],
                           topic="乡村振兴", planned_month=9)
    services.plan_item_add(actor=actor, plan=plan, type=types["inspection"],
                           topic="校车安全", planned_month=10)
    return plan


def test_plan_is_approved_by_a_leader_at_a_chair_meeting(county, staff, plan):
    leader = user_with_role(county, Role.LEADER)
    meeting = make_activity(county, "chair_meeting", status="held")
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=actor_for(staff, county), plan=plan,
                              approved_on=dt.date(2025, 2, 1), meeting=meeting)
    not_chair = make_activity(county, "forum")
    with pytest.raises(ValidationError):
        services.plan_approve(actor=actor_for(leader, county), plan=plan,
                              approved_on=dt.date(2025, 2, 1), meeting=not_chair)
    approved = services.plan_approve(actor=actor_for(leader, county), plan=plan,
                                     approved_on=dt.date(2025, 2, 1), meeting=meeting)
    assert approved.status == "approved" and approved.approval_meeting == meeting
    with pytest.raises(ValidationError):
        services.plan_item_add(actor=actor_for(staff, county), plan=approved,
                               type=services.activity_types_ensure(county)["forum"],
                               topic="x", planned_month=3)


def test_plan_progress_at_a_glance(county, staff, plan):
    actor = actor_for(staff, county)
    first, second, third = plan.items.order_by("planned_month")
    activity = make_activity(county, "counterpart_consultation", actor=actor,
                             units=list(first.units.all()))
    services.plan_item_link(actor=actor, item=first, activity=activity)
    first.refresh_from_db()
    assert first.status == "pending"  # linked but not yet held
    services.activity_set_status(actor=actor, activity=activity, status="held")
    services.plan_item_move(actor=actor, item=second, to_month=11, note="推迟到11月")
    progress = selectors.plan_with_progress(actor, plan)
    assert (progress["done"], progress["pending"], progress["moved"], progress["percent"]) == \
        (1, 1, 1, 33)
    with pytest.raises(ValidationError):
        services.plan_item_move(actor=actor, item=third, to_month=13, note="x")


def test_plan_month_and_duplicates_are_checked(county, staff, plan):
    actor = actor_for(staff, county)
    with pytest.raises(ValidationError):
        services.plan_create(actor=actor, committee=county, year=2025, title="重复")
    with pytest.raises(ValidationError):
        services.plan_item_add(actor=actor, plan=plan,
                               type=services.activity_types_ensure(county)["forum"],
                               topic="x", planned_month=0)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT_CLERK, Role.STAFF_PROPOSAL])
def test_plan_writes_refused_to_other_roles(county, plan, role):
    actor = actor_for(user_with_role(county, role), county)
    item = plan.items.first()
    with pytest.raises(PermissionDenied):
        services.plan_create(actor=actor, committee=county, year=2026, title="x")
    with pytest.raises(PermissionDenied):
        services.plan_item_move(actor=actor, item=item, to_month=3, note="x")
    with pytest.raises(PermissionDenied):
        services.plan_approve(actor=actor, plan=plan, approved_on=dt.date(2025, 2, 1))
