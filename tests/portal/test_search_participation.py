"""The website's search also finds public rooms and open public surveys, after the articles."""

import pytest
from django.urls import reverse

from tests.participation.factories import make_room, make_survey

pytestmark = pytest.mark.django_db


def test_search_finds_public_rooms_and_open_public_surveys_only(client, county, site,
                                                               other_county):
    room = make_room(county, title="公开议题甲", is_public=True)
    draft = make_room(county, title="公开议题草稿", is_public=True, publish=False)
    inner = make_room(county, title="邀请制议题乙")
    other = make_room(other_county, title="邻县公开议题", is_public=True)
    survey = make_survey(county, audience="public")
    draft_survey = make_survey(county, audience="public", publish=False)
    members_survey = make_survey(county)
    url = reverse("portal-search", args=[county.code])
    # by the topic (every room here has the same one) and by the title
    body = client.get(url, {"q": "老城区停车"}).content.decode()
    assert reverse("portal-room", args=[county.code, room.pk]) in body
    for absent in (draft, inner):
        assert reverse("portal-room", args=[county.code, absent.pk]) not in body
    assert reverse("portal-room", args=[other_county.code, other.pk]) not in body
    assert "邻县公开议题" not in body and "邀请制议题乙" not in body
    body = client.get(url, {"q": "养老服务"}).content.decode()
    assert reverse("participation:public-survey", args=[survey.pk]) in body
    for absent in (draft_survey, members_survey):
        assert reverse("participation:public-survey", args=[absent.pk]) not in body
    body = client.get(url, {"q": "无此内容"}).content.decode()
    assert "公开议题甲" not in body and "社区养老服务问卷" not in body
