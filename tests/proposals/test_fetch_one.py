"""Fetching one proposal (the API and the page) reuses its query per actor and reads the actor's
committees and roles in one query (issue #20): the answer must still be exactly
:func:`selectors.visible`'s for every role, and every refusal must hold on the very next
request (nothing about a token, a login or a role is kept between requests)."""

import pytest
from django.http import Http404
from django.test import Client
from django.utils import timezone

from tests.factories import CommitteeFactory
from tests.proposals.factories import ROLES, draft, reach
from xieshang.core.models import ApiToken, Role, RoleAssignment
from xieshang.core.permissions import acting, actor_for, committees_for_user
from xieshang.proposals import selectors
from xieshang.proposals.models import Status

S = Status


def _opens(fetch, actor, pk):
    try:
        fetch(actor, pk)
    except Http404:
        return False
    return True


def test_the_kept_fetch_query_answers_as_visible_for_every_role(world):
    proposals = [draft(world), reach(world, S.SUBMITTED), reach(world, S.FILED),
                 reach(world, S.HANDLING), reach(world, S.CLOSED)]
    selectors._FETCH_QUERIES.clear()
    seen = set()
    for role in ROLES:
        actor = world.actor(role)
        for p in proposals:
            expected = selectors.visible(actor).filter(pk=p.pk).exists()
            seen.add(expected)
            # Twice: the first builds and keeps the query, the second reuses it.
            for _again in range(2):
                assert _opens(selectors.proposal_for_api, actor, p.pk) is expected, (role, p.status)
                assert _opens(selectors.proposal_detail, actor, p.pk) is expected, (role, p.status)
    assert seen == {True, False}
    assert len(selectors._FETCH_QUERIES) == 2 * len(ROLES)


def test_one_query_gives_the_committees_and_the_actor_of_committees_for_user_and_actor_for(
        world, django_assert_num_queries):
    other = CommitteeFactory()
    user = world.users["member"]
    RoleAssignment.objects.create(user=user, committee=other, role=Role.LEADER)
    for pick in (0, 1):
        with django_assert_num_queries(1):
            actor, committees = acting(user, lambda cs, i=pick: cs[i])
        assert committees == committees_for_user(user)
        expected = actor_for(user, committees[pick])
        assert (actor.committee, actor.roles, actor.member_id, actor.unit_ids,
                actor.body_ids) == (expected.committee, expected.roles, expected.member_id,
                                    expected.unit_ids, expected.body_ids)
    # A closed committee is not one the user acts in.
    other.is_active = False
    other.save()
    assert acting(user, lambda cs: cs[-1])[1] == [world.committee]


def _token_client(user):
    return Client(HTTP_AUTHORIZATION="Bearer " + ApiToken.issue(user, "test", days=1)[1])


@pytest.fixture
def filed(world):
    return reach(world, S.FILED)


def test_a_revoked_token_is_refused_on_the_next_request(world, filed):
    client = _token_client(world.users["staff"])
    assert client.get(f"/api/v1/proposals/{filed.pk}").status_code == 200
    ApiToken.objects.filter(user=world.users["staff"]).update(
        revoked_at=timezone.now(), revoked_reason=ApiToken.Revoked.USER)
    assert client.get(f"/api/v1/proposals/{filed.pk}").status_code == 401


def test_a_disabled_login_is_refused_on_the_next_request(world, filed):
    client = _token_client(world.users["staff"])
    assert client.get(f"/api/v1/proposals/{filed.pk}").status_code == 200
    user = world.users["staff"]
    user.is_active = False
    user.save()
    assert client.get(f"/api/v1/proposals/{filed.pk}").status_code == 401


def test_a_removed_role_counts_on_the_next_request(world, filed):
    token = _token_client(world.users["staff"])
    page = Client()
    page.force_login(world.users["staff"])
    assert token.get(f"/api/v1/proposals/{filed.pk}").status_code == 200
    assert page.get(f"/proposals/{filed.pk}/").status_code == 200
    RoleAssignment.objects.filter(user=world.users["staff"]).update(is_active=False)
    assert token.get(f"/api/v1/proposals/{filed.pk}").status_code == 404
    assert page.get(f"/proposals/{filed.pk}/").status_code in (403, 404)


def test_a_granted_role_counts_on_the_next_request(world):
    assigned = reach(world, S.HANDLING)  # with unit a
    client = _token_client(world.users["clerk_x"])
    assert client.get(f"/api/v1/proposals/{assigned.pk}").status_code == 404
    RoleAssignment.objects.create(user=world.users["clerk_x"], committee=world.committee,
                                  role=Role.UNIT_CLERK, unit=world.units["a"])
    assert client.get(f"/api/v1/proposals/{assigned.pk}").status_code == 200


def test_a_closed_committee_counts_on_the_next_request(world, filed):
    client = _token_client(world.users["staff"])
    assert client.get(f"/api/v1/proposals/{filed.pk}").status_code == 200
    world.committee.is_active = False
    world.committee.save()
    assert client.get(f"/api/v1/proposals/{filed.pk}").status_code == 404


def test_another_committee_asked_for_does_not_open_this_one(world, filed):
    other = CommitteeFactory()
    RoleAssignment.objects.create(user=world.users["staff"], committee=other,
                                  role=Role.STAFF_PROPOSAL)
    client = _token_client(world.users["staff"])
    url = f"/api/v1/proposals/{filed.pk}"
    assert client.get(url, HTTP_X_COMMITTEE=world.committee.code).status_code == 200
    assert client.get(url, HTTP_X_COMMITTEE=other.code).status_code == 404
    assert client.get(url, HTTP_X_COMMITTEE="no-such-code").status_code == 404


def test_the_token_used_is_the_one_stamped_when_its_user_has_several(world, filed):
    user = world.users["staff"]
    RoleAssignment.objects.create(user=user, committee=world.committee, role=Role.LEADER)
    first, _key = ApiToken.issue(user, "first", days=1)
    second, key = ApiToken.issue(user, "second", days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    body = client.get(f"/api/v1/proposals/{filed.pk}").json()
    assert body["id"] == filed.pk
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.last_used_at is None and second.last_used_at is not None


def test_a_token_of_a_user_without_a_role_authenticates_and_opens_nothing(world, filed):
    user = world.users["staff"]
    client = _token_client(user)
    RoleAssignment.objects.filter(user=user).delete()
    assert client.get(f"/api/v1/proposals/{filed.pk}").status_code == 404
    wrong = Client(HTTP_AUTHORIZATION="Bearer xs_wrong")
    assert wrong.get(f"/api/v1/proposals/{filed.pk}").status_code == 401
