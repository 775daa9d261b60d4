import datetime as dt
from importlib.util import find_spec

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.testing import TestClient

from tests.activities.factories import at, invite, make_activity, member_with_login
from tests.factories import HandlingUnitFactory, MemberFactory, user_with_role
from xieshang.activities.api import router
from xieshang.activities.models import Activity, Invitation
from xieshang.core.apiutils import AUTH, ApiError
from xieshang.core.models import ApiToken, Role

pytestmark = pytest.mark.django_db


def _api():
    """The project API when it exists; else one with the same error contract around our router."""
    if find_spec("xieshang.api") is not None:
        from xieshang.api import api

        return api
    api = NinjaAPI(auth=AUTH, urls_namespace="activities-test")

    def err(code, status):
        return lambda request, exc: api.create_response(
            request, {"code": code, "message": str(getattr(exc, "message", exc))}, status=status)

    api.add_exception_handler(ApiError, lambda request, exc: api.create_response(
        request, {"code": exc.code, "message": exc.message}, status=exc.status))
    api.add_exception_handler(PermissionDenied, err("forbidden", 403))
    api.add_exception_handler(Http404, err("not_found", 404))
    api.add_exception_handler(ValidationError, lambda request, exc: api.create_response(
        request, {"code": "invalid", "message": "；".join(exc.messages)}, status=400))
    api.add_router("/activities/", router)
    return api


@pytest.fixture(scope="module")
def client():
    return TestClient(_api())


PREFIX = "/activities"


def call(client, method, path, user, **kw):
    _token, key = ApiToken.issue(user, "test")
    return getattr(client, method)(PREFIX + path, headers={"Authorization": f"Bearer {key}"},
                                   **kw)


def test_staff_create_invite_and_count_through_the_api(client, county, staff):
    unit = HandlingUnitFactory(committee=county)
    r = call(client, "post", "/", staff, json={
        "type": "counterpart_consultation", "title": "惠企政策对口协商",
        "start": "2025-05-06T09:00:00+08:00", "unit_ids": [unit.pk]})
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    members = MemberFactory.create_batch(3, committee=county)
    r = call(client, "post", f"/{pk}/invitations", staff, json={"everyone": True})
    assert r.json()["count"] == 3
    r = call(client, "post", f"/{pk}/status", staff, json={"status": "held"})
    assert r.json()["status"] == "held"
    r = call(client, "get", "/counts?start=2025-01-01&end=2025-12-31", staff)
    body = r.json()
    assert body["by_type"]["counterpart_consultation"] == 1
    assert body["counterpart_departments"] == 1
    assert len(members) == 3


def test_bad_input_gives_a_clear_json_error(client, county, staff):
    r = call(client, "post", "/", staff, json={
        "type": "counterpart_consultation", "title": "x", "start": "2025-05-06T09:00:00+08:00"})
    assert r.status_code == 400 and r.json()["message"]
    assert not Activity.objects.exists()


def test_member_cannot_create_and_other_committee_gets_404(client, county, other_county):
    user, _m, _a = member_with_login(county)
    r = call(client, "post", "/", user, json={
        "type": "forum", "title": "x", "start": "2025-05-06T09:00:00+08:00"})
    assert r.status_code == 403
    activity = make_activity(county)
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert call(client, "get", f"/{activity.pk}", outsider).status_code == 404
    assert call(client, "post", f"/{activity.pk}/status", outsider,
                json={"status": "held"}).status_code == 404


def test_member_replies_and_staff_decide_leave(client, county, staff):
    user, member, _a = member_with_login(county)
    activity = make_activity(county)
    [inv] = invite(activity, member)
    r = call(client, "get", "/my/invitations", user)
    assert r.json()["items"][0]["actions"] == ["confirm", "request_leave"]
    r = call(client, "post", f"/invitations/{inv.pk}/actions/request_leave", user,
             json={"version": 0, "reason": "出差"})
    assert r.json()["status"] == "leave_requested"
    version = r.json()["version"]
    assert call(client, "post", f"/invitations/{inv.pk}/actions/approve_leave", user,
                json={"version": version}).status_code == 403
    stale = call(client, "post", f"/invitations/{inv.pk}/actions/approve_leave", staff,
                 json={"version": 0})
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    r = call(client, "post", f"/invitations/{inv.pk}/actions/approve_leave", staff,
             json={"version": version})
    assert r.json()["status"] == "leave_approved"


def test_qr_sign_in_through_the_api(client, county, staff):
    user, member, _a = member_with_login(county)
    activity = make_activity(county, start=timezone.now())
    invite(activity, member)
    token = call(client, "post", f"/{activity.pk}/qr", staff).json()["token"]
    r = call(client, "post", "/sign-in", user, json={"token": token})
    assert r.status_code == 200 and r.json()["attendance"] == "attended"
    r = call(client, "post", "/sign-in", user, json={"token": token})
    assert r.status_code == 403 and r.json()["code"] == "reused"
    stranger, _m, _a = member_with_login(county)
    r = call(client, "post", "/sign-in", stranger, json={"token": token})
    assert r.json()["code"] == "not_invited"
    assert Invitation.objects.filter(attendance="attended").count() == 1


def test_ledger_through_the_api(client, county, staff):
    activity = make_activity(county, "inspection", start=at(2025, 3, 1), status="held")
    r = call(client, "post", f"/{activity.pk}/suggestions", staff,
             json={"text": "视察建议", "recipient_body": "县政府"})
    pk = r.json()["id"]
    r = call(client, "post", f"/suggestions/{pk}/send", staff,
             json={"version": 0, "sent_on": "2025-03-03"})
    assert r.json()["status"] == "sent" and r.json()["deadline"]
    r = call(client, "post", f"/suggestions/{pk}/answer", staff,
             json={"version": r.json()["version"], "feedback": "已采纳"})
    r = call(client, "post", f"/suggestions/{pk}/assess", staff,
             json={"version": r.json()["version"], "adoption": "adopted"})
    assert (r.json()["status"], r.json()["adoption"]) == ("closed", "adopted")
    assert call(client, "get", "/ledger", staff).json()["count"] == 1


def test_plan_and_learning_through_the_api(client, county, staff):
    r = call(client, "post", "/plans", staff, json={"year": 2026, "title": "计划"})
    plan_id = r.json()["id"]
    r = call(client, "post", f"/plans/{plan_id}/items", staff, json={
        "type": "thematic_consultation", "topic": "乡村振兴", "planned_month": 6})
    assert r.status_code == 201
    leader = user_with_role(county, Role.LEADER)
    assert call(client, "post", f"/plans/{plan_id}/approve", staff,
                json={"approved_on": "2026-02-01"}).status_code == 403
    r = call(client, "post", f"/plans/{plan_id}/approve", leader,
             json={"approved_on": "2026-02-01"})
    assert r.json()["status"] == "approved"
    r = call(client, "post", "/materials", staff, json={"title": "材料", "text": "t"})
    mid = r.json()["id"]
    user, _m, _a = member_with_login(county)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = call(client, "post", f"/materials/{mid}/open", user).json()["token"]
        traveller.shift(dt.timedelta(minutes=2))
        r = call(client, "post", f"/materials/{mid}/read", user,
                 json={"token": token, "seconds": 90, "marked_read": True})
    assert r.json() == {"material_id": mid, "seconds": 90, "marked_read": True}
    assert dt.date.today()
