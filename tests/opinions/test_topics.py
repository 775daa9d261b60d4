import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import user_with_role
from tests.opinions.factories import topic_act
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.opinions import services
from xieshang.opinions.models import Topic

pytestmark = pytest.mark.django_db

FORM = {"title": "小区门口路灯不亮", "description": "晚上出行不便，希望尽快修复。",
        "place": "城关镇幸福路", "name": "张大爷", "phone": "13800001111", "website": ""}


_ips = itertools.count(1)


def raise_topic(committee, **kw) -> Topic:
    fields = {k: v for k, v in FORM.items() if k != "website"}
    return services.topic_raise(committee=committee,
                                **{"ip": f"10.0.{next(_ips) % 250}.{next(_ips) % 250}",
                                   **fields, **kw})


def test_resident_raises_a_topic_and_follows_it_by_tracking_code(county, client):
    response = client.post("/opinions/public/county-a/topics/", FORM)
    assert response.status_code == 200
    topic = Topic.objects.get()
    assert topic.tracking_code in response.content.decode()
    assert len(topic.tracking_code) == 12
    page = client.get(f"/opinions/public/county-a/topics/track/?code={topic.tracking_code}")
    assert "小区门口路灯不亮" in page.content.decode()
    # The office's screening is not the resident's business: the public reads 已收到.
    assert "已收到" in page.content.decode() and "待筛选" not in page.content.decode()
    assert FORM["phone"] not in page.content.decode()
    code = topic.tracking_code
    spaced = f"{code[:4]} {code[4:8]}-{code[8:]}".lower()
    again = client.get("/opinions/public/county-a/topics/track/", {"code": spaced})
    assert "小区门口路灯不亮" in again.content.decode()


def test_fifty_topics_from_one_address_are_stopped_with_a_clear_message(county, client):
    statuses = [client.post("/opinions/public/county-a/topics/", FORM,
                            REMOTE_ADDR="203.0.113.9").status_code for _ in range(50)]
    assert statuses[:5] == [200] * 5
    assert set(statuses[5:]) == {429}
    assert Topic.objects.count() == 5
    last = client.post("/opinions/public/county-a/topics/", FORM, REMOTE_ADDR="203.0.113.9")
    assert "提交过于频繁" in last.content.decode()
    other = client.post("/opinions/public/county-a/topics/", FORM, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200 and Topic.objects.count() == 6


def test_the_limit_is_a_policy_number(county):
    county.policy = {"opinions.topics_per_ip_hour": 2}
    county.save()
    raise_topic(county, ip="192.0.2.1")
    raise_topic(county, ip="192.0.2.1")
    with pytest.raises(ValidationError):
        raise_topic(county, ip="192.0.2.1")


def test_honeypot_filled_by_a_bot_saves_nothing(county, client):
    response = client.post("/opinions/public/county-a/topics/", {**FORM, "website": "x.com"})
    assert response.status_code == 200 and Topic.objects.count() == 0


def test_html_and_script_are_shown_as_text(county, client, staff):
    evil = '<script>alert("x")</script><b>粗体</b>'
    client.post("/opinions/public/county-a/topics/", {**FORM, "title": evil,
                                                       "description": evil})
    topic = Topic.objects.get()
    assert topic.title == evil
    for url, login in ((f"/opinions/public/county-a/topics/track/?code={topic.tracking_code}",
                        None), (f"/opinions/topics/{topic.pk}/", staff)):
        if login:
            client.force_login(login)
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>粗体</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_bad_input_gives_clear_messages_and_saves_nothing(county, client):
    response = client.post("/opinions/public/county-a/topics/", {**FORM, "phone": "12",
                                                                  "title": ""})
    assert response.status_code == 200 and Topic.objects.count() == 0
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()


def test_unknown_committee_code_is_404(db, client):
    assert client.get("/opinions/public/nowhere/topics/").status_code == 404


def test_staff_screen_decline_with_reason_shown_to_resident(county, client, staff):
    topic = raise_topic(county)
    actor = actor_for(staff, county)
    with pytest.raises(ValidationError):
        topic_act(actor, topic, "decline")
    topic_act(actor, topic, "decline", note="属于信访事项，请通过12345热线反映。")
    html = client.get(f"/opinions/public/county-a/topics/track/?code={topic.tracking_code}")
    assert "12345热线" in html.content.decode() and "不予受理" in html.content.decode()


def test_accepted_topic_is_consulted_and_result_published(county, client, staff):
    topic = raise_topic(county)
    actor = actor_for(staff, county)
    topic = topic_act(actor, topic, "accept")
    topic = topic_act(actor, topic, "start_consultation", note="12月3日在社区议事厅协商",
                      start="2026-12-03T09:30")
    topic_act(actor, topic, "publish_result", note="已更换路灯12盏。")
    html = client.get("/opinions/public/county-a/topics/").content.decode()
    assert "已更换路灯12盏。" in html
    assert [e.action for e in topic.events.all()] == ["accept", "start_consultation",
                                                       "publish_result"]


def test_merge_into_another_topic_of_the_same_committee(county, other_county, staff):
    a, b = raise_topic(county), raise_topic(county, title="路灯维修")
    actor = actor_for(staff, county)
    with pytest.raises(ValidationError):
        topic_act(actor, a, "merge", into=raise_topic(other_county))
    merged = topic_act(actor, a, "merge", into=b)
    assert merged.status == "merged" and merged.merged_into == b


def test_staff_of_another_county_get_404_and_cannot_act(county, other_county, client):
    topic = raise_topic(county)
    outsider = user_with_role(other_county, Role.STAFF_OFFICE)
    client.force_login(outsider)
    assert client.get(f"/opinions/topics/{topic.pk}/").status_code == 404
    with pytest.raises(PermissionDenied):
        topic_act(actor_for(outsider, other_county), topic, "accept")


def test_a_topic_can_be_linked_to_a_consultation_later(county, staff):
    topic = raise_topic(county)
    services.topic_link_consultation(actor=actor_for(staff, county), topic=topic,
                                     consultation=topic)  # any model row stands in
    topic.refresh_from_db()
    assert topic.consultation == topic
