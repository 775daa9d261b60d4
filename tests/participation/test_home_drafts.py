"""The staff's home card 待发布的网络议政和问卷: drafts of rooms and surveys, each linked."""

import pytest

from tests.activities.factories import member_with_login
from tests.factories import user_with_role
from tests.participation.factories import make_room, make_survey
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.participation import selectors

pytestmark = pytest.mark.django_db

CARD = "待发布的网络议政和问卷"


def test_staff_see_their_drafts_on_the_home_card(client, county, staff):
    room = make_room(county, publish=False, title="草稿议政室")
    survey = make_survey(county, publish=False)
    make_room(county, title="已发布议政室")  # published: not on the card
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert CARD in page
    assert "草稿议政室" in page and f'href="/participation/rooms/{room.pk}/"' in page
    assert survey.title in page and f'href="/participation/surveys/{survey.pk}/"' in page
    assert "已发布议政室" not in page
    assert selectors.drafts_to_publish_count(actor_for(staff, county)) == 2


def test_a_member_and_a_unit_clerk_never_see_the_card(client, county):
    make_room(county, publish=False, title="草稿议政室")
    user, _member, actor = member_with_login(county)
    clerk = user_with_role(county, Role.UNIT_CLERK)
    assert selectors.drafts_to_publish(actor) == []
    for who in (user, clerk):
        client.force_login(who)
        page = client.get("/").content.decode()
        assert CARD not in page and "草稿议政室" not in page


def test_another_committees_staff_do_not_see_the_drafts(client, county, other_county):
    make_room(county, publish=False, title="草稿议政室")
    make_survey(county, publish=False)
    other = user_with_role(other_county, Role.STAFF_OFFICE)
    assert selectors.drafts_to_publish(actor_for(other, other_county)) == []
    client.force_login(other)
    page = client.get("/").content.decode()
    assert "草稿议政室" not in page and "社区养老服务问卷" not in page
