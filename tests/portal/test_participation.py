"""网络议政 and 问卷调查 on the public website: rooms open to residents (read-only, hidden posts
left out) and the public surveys open now; nothing of another committee, nothing not public,
nothing not yet open."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.activities.factories import member_with_login
from tests.participation.factories import make_room, make_survey, system
from xieshang.core import clock
from xieshang.participation import services

pytestmark = pytest.mark.django_db


def _later_room(committee, title):
    now = clock.now()
    return services.room_create(actor=system(committee), title=title, opens_at=now +
                                dt.timedelta(days=2), closes_at=now + dt.timedelta(days=9),
                                is_public=True)


def test_the_website_lists_public_rooms_and_open_public_surveys_only(client, county, site,
                                                                     other_county):
    make_room(county, title="公开议题：老城区停车", is_public=True)
    make_room(county, title="邀请制议题：内部讨论")
    _later_room(county, "尚未开始的公开议题")
    make_room(other_county, title="邻县的公开议题", is_public=True)
    public = make_survey(county, audience="public")
    make_survey(county)  # members' survey
    make_survey(county, audience="public", open_now=False)
    make_survey(other_county, audience="public")
    home = client.get(reverse("portal-home", args=[county.code])).content.decode()
    assert reverse("portal-participation", args=[county.code]) in home
    assert reverse("participation:public-survey", args=[public.pk]) in home
    body = client.get(reverse("portal-participation", args=[county.code])).content.decode()
    assert "网络议政" in body and "公开议题：老城区停车" in body
    for absent in ("邀请制议题", "尚未开始的公开议题", "邻县的公开议题"):
        assert absent not in body
    assert body.count("/participation/s/") == 1
    assert reverse("participation:public-survey", args=[public.pk]) in body


def test_a_public_room_shows_its_posts_but_never_a_hidden_one(client, county, site, staff):
    from xieshang.core.permissions import actor_for

    user, member, actor = member_with_login(county, name="林委员")
    room = make_room(county, title="公开议题：老城区停车", is_public=True, members=[member])
    first = services.post_add(actor=actor, room=room, text="建议夜间开放机关停车场")
    bad = services.post_add(actor=actor, room=room, text="不当言论内容XYZ", parent=first)
    services.post_add(actor=actor, room=room, text="对被隐藏发言的回复", parent=bad)
    url = reverse("portal-room", args=[county.code, room.pk])
    assert "不当言论内容XYZ" in client.get(url).content.decode()
    services.post_hide(actor=actor_for(staff, county), post=bad, reason="与议题无关")
    body = client.get(url).content.decode()  # at once: the page is not cached
    assert "建议夜间开放机关停车场" in body and "林委员" in body
    assert "对被隐藏发言的回复" in body
    assert "不当言论内容XYZ" not in body and "与议题无关" not in body
    assert 'type="submit"' not in body  # read-only: posting stays behind the login


def test_rooms_not_public_not_open_or_of_another_committee_are_not_found(client, county, site,
                                                                         other_county):
    from xieshang.core.permissions import Actor
    from xieshang.portal import services as portal_services

    portal_services.site_ensure(actor=Actor.for_system(other_county), committee=other_county)
    invited = make_room(county, title="邀请制议题")
    later = _later_room(county, "尚未开始")
    theirs = make_room(other_county, title="邻县公开", is_public=True)
    for code, pk in ((county.code, invited.pk), (county.code, later.pk),
                     (county.code, theirs.pk)):
        assert client.get(reverse("portal-room", args=[code, pk])).status_code == 404


def test_the_anonymous_survey_page_sits_in_the_website_and_thanks_the_resident(client, county,
                                                                               site):
    survey = make_survey(county, audience="public")
    url = reverse("participation:public-survey", args=[survey.pk])
    page = client.get(url).content.decode()
    assert 'class="portal-head"' in page
    qs = list(survey.questions.order_by("order"))
    data = {f"q{qs[0].pk}": "1", f"q{qs[1].pk}": ["0"], f"q{qs[2].pk}": "3"}
    response = client.post(url, data)
    body = response.content.decode()
    assert "您已填写该问卷" in body and survey.responses.count() == 1
    assert 'class="portal-head"' in body


def test_the_sitemap_lists_public_rooms_and_open_public_surveys(client, county, site):
    room = make_room(county, title="公开议题", is_public=True)
    hidden = make_room(county, title="邀请制")
    survey = make_survey(county, audience="public")
    body = client.get("/sitemap.xml").content.decode()
    assert reverse("portal-room", args=[county.code, room.pk]) in body
    assert reverse("portal-room", args=[county.code, hidden.pk]) not in body
    assert reverse("participation:public-survey", args=[survey.pk]) in body


def test_drafts_and_surveys_ended_early_are_not_on_the_website(client, county, site):
    from xieshang.participation.models import ChannelStatus, Survey

    room = make_room(county, title="草稿中的公开议题", is_public=True, publish=False)
    draft = make_survey(county, audience="public", publish=False)
    ended = make_survey(county, audience="public")
    Survey.objects.filter(pk=ended.pk).update(status=ChannelStatus.CLOSED)
    body = client.get(reverse("portal-participation", args=[county.code])).content.decode()
    assert "草稿中的公开议题" not in body
    for survey in (draft, ended):
        assert reverse("participation:public-survey", args=[survey.pk]) not in body
    assert client.get(reverse("portal-room",
                              args=[county.code, room.pk])).status_code == 404
