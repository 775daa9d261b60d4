"""/api/v1/meetings: a compact plenary through the API, and the refusals."""

from __future__ import annotations

import pytest
from ninja.testing import TestClient

from tests.activities.factories import member_with_login
from tests.factories import user_with_role
from tests.meetings.factories import plenary
from xieshang.core.models import ApiToken, Role
from xieshang.meetings import services

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client():
    from xieshang.api import api
    return TestClient(api)


def call(client, method, path, user, **kw):
    _token, key = ApiToken.issue(user, "test")
    return getattr(client, method)("/meetings" + path,
                                   headers={"Authorization": f"Bearer {key}"}, **kw)


def test_a_plenary_through_the_api(client, county):
    p = plenary(county, 3)
    pk = p.meeting.pk
    staff = p.staff
    r = call(client, "post", f"/{pk}/register", staff, json={"member_id": p.members[0][1].pk})
    assert r.status_code == 200, r.json()
    call(client, "post", f"/{pk}/register", staff, json={"member_id": p.members[1][1].pk})
    assert r.json()["counts"]["registered"] == 1
    r = call(client, "get", f"/{pk}", staff)
    assert r.json()["counts"] == {"members_total": 3, "expected": 3, "registered": 2,
                                  "on_leave": 0, "absent": 1, "quorum": 2,
                                  "quorum_reached": True}
    r = call(client, "post", f"/{pk}/polls", staff, json={"title": "政治决议", "secret": True})
    assert r.status_code == 201
    poll = r.json()
    r = call(client, "post", f"/polls/{poll['id']}/actions/open", staff,
             json={"version": poll["version"]})
    assert r.status_code == 200 and r.json()["status"] == "open"
    assert call(client, "post", f"/polls/{poll['id']}/vote", p.members[0][0],
                json={"choice": "yes"}).status_code == 200
    r = call(client, "post", f"/polls/{poll['id']}/vote", p.members[0][0],
             json={"choice": "yes"})
    assert r.status_code == 400 and r.json()["message"]
    r = call(client, "post", f"/polls/{poll['id']}/vote", p.members[2][0],
             json={"choice": "no"})
    assert r.status_code == 400  # not registered
    r = call(client, "post", f"/polls/{poll['id']}/actions/close", p.members[0][0],
             json={"version": 1})
    assert r.status_code == 403
    r = call(client, "post", f"/polls/{poll['id']}/actions/close", staff, json={"version": 1})
    assert r.json()["yes"] == 1 and r.json()["passed"] is False
    r = call(client, "post", f"/{pk}/elections", staff, json={
        "title": "选举", "positions": [{"name": "主席", "seats": 1,
                                        "candidates": ["甲", "乙"]}]})
    assert r.status_code == 201
    e = r.json()
    call(client, "post", f"/elections/{e['id']}/actions/open", staff,
         json={"version": e["version"]})
    pos = e["positions"][0]["id"]
    for i in (0, 1):
        r = call(client, "post", f"/elections/{e['id']}/ballot", p.members[i][0],
                 json={"marks": {str(pos): ["甲"]}})
        assert r.status_code == 200, r.json()
    r = call(client, "get", f"/elections/{e['id']}", p.members[0][0])
    assert r.json()["result"] == []  # nothing before it is counted
    r = call(client, "post", f"/elections/{e['id']}/actions/close", staff, json={"version": 1})
    assert r.json()["result"][0]["elected"] == ["甲"]
    assert call(client, "get", "/", p.members[0][0]).json()["count"] == 1
    assert call(client, "get", f"/{pk}/projector", staff).status_code == 200
    assert call(client, "get", f"/{pk}/projector", p.members[0][0]).status_code == 403


def test_other_committee_and_uninvited_members_get_404(client, county, other_county):
    p = plenary(county, 1)
    poll = services.poll_create(actor=p.staff_actor, meeting=p.meeting, title="决议")
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    assert call(client, "get", f"/{p.meeting.pk}", outsider).status_code == 404
    assert call(client, "get", f"/polls/{poll.pk}", outsider).status_code == 404
    assert call(client, "post", f"/polls/{poll.pk}/actions/open", outsider,
                json={"version": 0}).status_code == 404
    user, _m, _a = member_with_login(county)
    assert call(client, "get", f"/{p.meeting.pk}", user).status_code == 404
    assert call(client, "get", "/", user).json()["count"] == 0


def test_publishing_a_result_through_the_api(client, county, other_county):
    p = plenary(county, 3)
    p.register(0, 1)
    poll = services.poll_open(actor=p.staff_actor, poll=services.poll_create(
        actor=p.staff_actor, meeting=p.meeting, title="政治决议"))
    r = call(client, "post", f"/polls/{poll.pk}/publish", p.staff)
    assert r.status_code == 400  # still open
    services.vote_cast(actor=p.members[0][2], poll=poll, choice="yes")
    services.poll_close(actor=p.staff_actor, poll=poll)
    assert call(client, "post", f"/polls/{poll.pk}/publish", p.members[0][0]).status_code == 403
    other = user_with_role(other_county, Role.STAFF_OFFICE)
    assert call(client, "post", f"/polls/{poll.pk}/publish", other).status_code == 404
    r = call(client, "post", f"/polls/{poll.pk}/publish", p.staff)
    assert r.status_code == 200 and r.json()["status"] == "review" and r.json()["url"] == ""
    again = call(client, "post", f"/polls/{poll.pk}/publish", p.staff)
    assert again.json()["article_id"] == r.json()["article_id"]


def test_runoff_through_the_api(client, county):
    p = plenary(county, 3)
    p.register(0, 1, 2)
    e = services.election_open(actor=p.staff_actor, election=services.election_create(
        actor=p.staff_actor, meeting=p.meeting, title="选举",
        positions=[services.PositionSpec("主席", 1, ["甲", "乙"])]))
    pos = e.positions.get().pk
    for i, name in enumerate(["甲", "乙", "丙"]):
        services.ballot_cast(actor=p.members[i][2], election=e, marks={pos: [name]})
    e = services.election_close(actor=p.staff_actor, election=e)
    path = f"/elections/{e.pk}/actions/runoff"
    assert call(client, "post", path, p.members[0][0],
                json={"version": e.version}).status_code == 403
    r = call(client, "post", path, p.staff, json={"version": e.version})
    assert r.status_code == 200, r.json()
    (runoff_id,) = r.json()["runoffs"]
    runoff = call(client, "get", f"/elections/{runoff_id}", p.staff).json()
    assert runoff["runoff_of"] == e.pk and runoff["status"] == "draft"
    assert runoff["positions"][0]["candidates"] == ["丙", "乙", "甲"]
    r = call(client, "post", path, p.staff, json={"version": e.version + 1})
    assert r.status_code in (400, 409) and "另行选举" in str(r.json())
