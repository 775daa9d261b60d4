"""The table is the rule: random action sequences, refusals for every action and role
(service, page and API), concurrent edits, other committees."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import user_with_role
from tests.proposals.factories import ROLES, call, draft, reach
from xieshang.core.models import ApiToken, Role
from xieshang.core.workflow import StaleVersion
from xieshang.proposals.models import Proposal, ProposalEvent, Status
from xieshang.proposals.workflow import TRANSITIONS

S = Status
pytestmark = pytest.mark.django_db

UNIT_ROLES = {"clerk_a", "leader_a", "clerk_b", "leader_b"}
# Who may possibly take a step of each kind in these tests' committee (a superset: which unit
# may act also depends on the assignment's state). Everyone else must always be refused.
MAY = {
    "proposer_rule": {"member"},
    "staff_rule": {"staff"},
    "unit_to_sign": UNIT_ROLES,
    "unit_replier": UNIT_ROLES,
    "co_unit": UNIT_ROLES,
    "unit_any": UNIT_ROLES,
    "unit_leader": {"leader_a", "leader_b"},
    "rater": {"member"},
    "key_marker": {"staff", "leader"},
    "meeting_recorder": {"staff", *UNIT_ROLES},
}
CASES = sorted((str(s), a) for (s, a) in TRANSITIONS)


def _state(p: Proposal) -> tuple[str, int, int]:
    fresh = Proposal.objects.get(pk=p.pk)
    return fresh.status, fresh.version, ProposalEvent.objects.filter(proposal=p).count()


def test_every_rule_of_the_table_has_an_expectation():
    assert {step.who for step in TRANSITIONS.values()} <= set(MAY)


@pytest.mark.parametrize(("status", "action"), CASES, ids=[f"{s}-{a}" for s, a in CASES])
def test_roles_that_may_not_act_are_refused_everywhere(world, client, status, action):
    p = reach(world, status)
    if status == S.CLOSED:
        Proposal.objects.filter(pk=p.pk).update(needs_meeting=True)
    extra = {"into": reach(world, S.FILED)} if action == "merge" else {}
    refused = [r for r in ROLES if r not in MAY[TRANSITIONS[(status, action)].who]]
    assert refused
    before = _state(p)
    for role in refused:
        with pytest.raises(PermissionDenied):
            call(world, p, action, role, **extra)
        assert _state(p) == before, role
        # The page: one form posts to the act view.
        client.force_login(world.users[role])
        data = {"version": before[1], "into": extra["into"].pk if extra else ""}
        response = client.post(f"/proposals/{p.pk}/act/{action}/", data)
        # 404 for a role that may not even open the proposal (the fetch is the check).
        assert response.status_code in (403, 404), (role, response.status_code)
        assert _state(p) == before, role
        # The API, with a token of the same user.
        _token, key = ApiToken.issue(world.users[role], "test")
        response = client.post(f"/api/v1/proposals/{p.pk}/actions/{action}",
                               json.dumps({"version": before[1]}),
                               content_type="application/json",
                               headers={"Authorization": f"Bearer {key}"})
        assert response.status_code in (403, 404), (role, response.status_code,
                                                     response.content)
        assert response.json()["code"] == ("forbidden" if response.status_code == 403
                                           else "not_found")
        assert _state(p) == before, role


RANDOM_ACTIONS = sorted({a for (_s, a) in TRANSITIONS} - {"merge"})


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_sequences_never_take_an_illegal_step(world, data):
    p = draft(world)
    for _ in range(data.draw(st.integers(5, 20))):
        status = Proposal.objects.get(pk=p.pk).status
        if data.draw(st.booleans()):
            legal = sorted(a for (s, a) in TRANSITIONS if s == status and a != "merge")
            if not legal:
                break
            action = data.draw(st.sampled_from(legal))
            who = TRANSITIONS[(status, action)].who
            role = data.draw(st.sampled_from(sorted(MAY[who]) if data.draw(st.booleans())
                                             else list(ROLES)))
        else:
            action = data.draw(st.sampled_from(RANDOM_ACTIONS))
            role = data.draw(st.sampled_from(list(ROLES)))
        kw = {}
        if action == "rate":
            kw["rating"] = data.draw(st.sampled_from(["satisfied", "basically", "dissatisfied"]))
        if action == "assign":
            kw["kind"] = data.draw(st.sampled_from(["single", "split", "lead"]))
        before = _state(p)
        try:
            call(world, p, action, role, **kw)
        except (PermissionDenied, ValidationError):
            assert _state(p) == before, (action, role)
            continue
        after = _state(p)
        step = TRANSITIONS.get((before[0], action))
        assert step is not None, f"{action} succeeded in {before[0]}"
        assert role in MAY[step.who], f"{role} took {action}"
        assert after[0] in step.targets
        assert after[1] == before[1] + 1
        assert after[2] == before[2] + 1, "every success leaves exactly one event"


def test_two_staff_with_the_same_version_one_wins(world):
    p = reach(world, S.UNDER_REVIEW)
    p = call(world, p, "pass_round", "staff")
    second = user_with_role(world.committee, Role.STAFF_PROPOSAL)
    world.users["staff2"] = second
    seen = p.version
    call(world, p, "file", "staff", version=seen)
    with pytest.raises(StaleVersion, match="此提案已被他人修改，请刷新后重试"):
        call(world, p, "not_file", "staff2", version=seen)
    fresh = Proposal.objects.get(pk=p.pk)
    assert fresh.status == S.FILED and fresh.serial_number == 1
    assert fresh.events.filter(action="file").count() == 1
    assert not fresh.events.filter(action="not_file").exists()


def test_stale_version_on_the_page_shows_the_clear_message(world, client):
    p = reach(world, S.UNDER_REVIEW)
    client.force_login(world.users["staff"])
    call(world, p, "return", "staff")
    response = client.post(f"/proposals/{p.pk}/act/pass_round/", {"version": p.version},
                           follow=True)
    # The proposal moved on (returned), so the step is refused with a clear message either way.
    assert response.status_code == 200
    p2 = reach(world, S.UNDER_REVIEW)
    stale = p2.version
    call(world, p2, "pass_round", "staff")
    response = client.post(f"/proposals/{p2.pk}/act/file/", {"version": stale}, follow=True)
    assert "此提案已被他人修改，请刷新后重试" in response.content.decode()
    assert Proposal.objects.get(pk=p2.pk).status == S.UNDER_REVIEW


def test_stale_version_in_the_api_is_a_clear_error(world, client):
    p = reach(world, S.UNDER_REVIEW)
    stale = p.version
    call(world, p, "pass_round", "staff")
    _t, key = ApiToken.issue(world.users["staff"], "t")
    response = client.post(f"/api/v1/proposals/{p.pk}/actions/file", json.dumps({"version": stale}),
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 409  # the same answer as every lifecycle's stale version
    assert response.json()["code"] == "conflict"
    assert "此提案已被他人修改" in response.json()["message"]


def test_other_committees_get_404(world, other_county, client):
    p = reach(world, S.HANDLING)
    outsider = user_with_role(other_county, Role.STAFF_PROPOSAL)
    client.force_login(outsider)
    for url in (f"/proposals/{p.pk}/", f"/proposals/{p.pk}/documents/form/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/proposals/{p.pk}/act/extend/", {"version": p.version}).status_code == 404
    _t, key = ApiToken.issue(outsider, "t")
    auth = {"Authorization": f"Bearer {key}"}
    assert client.get(f"/api/v1/proposals/{p.pk}", headers=auth).status_code == 404
    r = client.post(f"/api/v1/proposals/{p.pk}/actions/extend", json.dumps({"version": p.version}),
                    content_type="application/json", headers=auth)
    assert r.status_code == 404
    assert client.get("/api/v1/proposals/", headers=auth).json()["count"] == 0
