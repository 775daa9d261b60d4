"""Similar earlier proposals while a member types a new one (the form's debounced htmx call)."""

import pytest

from tests.factories import user_with_role
from tests.proposals.factories import S, build_world, reach
from xieshang.core.models import Role

pytestmark = pytest.mark.django_db

TYPED = {"title": "关于强化乡村饮用水安全保障的提议",
         "body": "山区村组季节性缺水，水质不稳定，建议加大投入，完善管护机制，加强水质监测。"}
URL = "/proposals/similar/"


@pytest.fixture
def world(county):
    return build_world(county)


def listed(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_typing_sees_a_similar_filed_proposal(world, client):
    earlier = reach(world, S.FILED)
    reach(world, S.FILED, title="关于规范城区停车秩序的建议",
          body="城区停车位严重不足，建议建设立体停车场，规范路边停车收费。")
    client.force_login(world.users["other_member"])
    html = listed(client.get(URL, TYPED, headers={"HX-Request": "true"}))
    assert f'href="/proposals/{earlier.pk}/"' in html
    assert earlier.title in html and earlier.number in html and "立案" in html
    assert str(earlier.session.start_date.year) in html
    assert "停车" not in html
    assert html.count("<li>") <= 5


def test_at_most_five_are_listed(world, client):
    for i in range(7):
        reach(world, S.FILED, title=f"关于加强农村饮水安全保障的建议（{i}）")
    client.force_login(world.users["other_member"])
    assert listed(client.get(URL, TYPED)).count("<li>") == 5


def test_unfiled_proposals_of_others_never_appear(world, client):
    theirs = reach(world, S.UNDER_REVIEW)  # the member "member" submitted it
    client.force_login(world.users["other_member"])
    assert f"/proposals/{theirs.pk}/" not in listed(client.get(URL, TYPED))
    client.force_login(world.users["member"])  # the proposer sees their own
    assert f"/proposals/{theirs.pk}/" in listed(client.get(URL, TYPED))


def test_proposals_of_another_committee_never_appear(world, other_county, client):
    theirs = reach(build_world(other_county), S.FILED)
    client.force_login(world.users["member"])
    assert f"/proposals/{theirs.pk}/" not in listed(client.get(URL, TYPED))


def test_the_proposal_being_edited_is_not_listed_as_similar_to_itself(world, client):
    p = reach(world, S.RETURNED)
    client.force_login(world.users["member"])
    assert f"/proposals/{p.pk}/" in listed(client.get(URL, TYPED))
    assert f"/proposals/{p.pk}/" not in listed(client.get(URL, {**TYPED, "exclude": p.pk}))


@pytest.mark.parametrize("query", [
    {}, {"title": "", "body": ""}, {"title": "   "}, {"title": "饮"},
    {"title": "饮水" * 50_000, "body": "x" * 100_000},
    {"title": "<script>alert(1)</script>", "body": "' OR 1=1; --"},
    {"title": "\x00\ud7ff\u202e", "exclude": "1 OR 1=1"}, {"exclude": "9" * 40},
])
def test_empty_long_or_hostile_input_gives_a_page_not_an_error(world, client, query):
    reach(world, S.FILED)
    client.force_login(world.users["member"])
    html = listed(client.get(URL, query))
    assert "<script>" not in html


def test_the_typed_text_is_escaped_in_shared_phrases(world, client):
    reach(world, S.FILED, title="关于加强农村饮水安全保障<b>的建议")
    client.force_login(world.users["other_member"])
    html = listed(client.get(URL, {"title": "加强农村饮水安全保障<b>", "body": TYPED["body"]}))
    assert "<b>" not in html


@pytest.mark.parametrize("role", [Role.UNIT_CLERK, Role.LEADER])
def test_those_who_cannot_submit_are_refused(world, client, role):
    reach(world, S.FILED)
    client.force_login(user_with_role(world.committee, role))
    assert client.get(URL, TYPED).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(URL, TYPED).status_code == 302


def test_the_form_asks_while_typing_without_inline_script(world, client):
    client.force_login(world.users["member"])
    html = listed(client.get("/proposals/new/"))
    assert 'hx-get="/proposals/similar/"' in html
    assert "input delay:600ms from:#id_title" in html
    assert "onkeyup" not in html and "onchange" not in html
