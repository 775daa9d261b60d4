"""有事好商量: staff accept a topic, schedule its grassroots consultation (an activity of the
consultation type, linked to the topic), and publish the result on the topic's public page."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import user_with_role
from tests.opinions.factories import topic_act
from tests.opinions.test_topics import raise_topic
from xieshang.activities.models import Activity
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.opinions.models import Topic

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]


def test_scheduling_creates_the_linked_consultation_activity(county, staff):
    actor = actor_for(staff, county)
    topic = topic_act(actor, raise_topic(county), "accept")
    with pytest.raises(ValidationError) as err:  # no date: nothing created
        topic_act(actor, topic, "start_consultation", note="x")
    assert "start" in err.value.message_dict and not Activity.objects.exists()
    topic = topic_act(actor, topic, "start_consultation", start="2026-12-03T09:30",
                      place="幸福路社区议事室")
    activity = Activity.objects.get()
    assert topic.status == Topic.Status.CONSULTING
    assert topic.consultation == activity
    assert activity.type.code == "grassroots_consultation"
    assert activity.committee == county and activity.place == "幸福路社区议事室"
    assert activity.details["public_topic"] == topic.title
    assert AuditLog.objects.filter(action="topic.start_consultation").count() == 1
    topic = topic_act(actor, topic, "publish_result", note="已更换路灯12盏。")
    assert topic.status == Topic.Status.CONCLUDED


def test_a_user_who_may_not_screen_topics_is_refused(county, staff):
    member = user_with_role(county, Role.MEMBER)
    topic = topic_act(actor_for(staff, county), raise_topic(county), "accept")
    with pytest.raises(PermissionDenied):
        topic_act(actor_for(member, county), topic, "start_consultation",
                  start="2026-12-03T09:30")
    assert not Activity.objects.exists()


def test_pages_schedule_link_and_publish(client, county, staff):
    topic = topic_act(actor_for(staff, county), raise_topic(county), "accept")
    client.force_login(staff)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'name="start"' in page
    url = reverse("opinions:topic-act", args=[topic.pk, "start_consultation"])
    client.post(url, {"version": topic.version, "start": "2026-12-03T09:30",
                      "place": "社区议事室"})
    topic.refresh_from_db()
    activity = Activity.objects.get()
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'data-testid="consultation"' in page and activity.get_absolute_url() in page
    client.post(reverse("opinions:topic-act", args=[topic.pk, "publish_result"]),
                {"version": topic.version, "note": "经协商，路灯已修复。"})
    client.logout()
    public = client.get(reverse("opinions:public-topics", args=[county.code])).content.decode()
    assert "经协商，路灯已修复。" in public
    # A member may not open the topic page nor take its steps.
    client.force_login(user_with_role(county, Role.MEMBER))
    assert client.get(topic.get_absolute_url()).status_code in (403, 404)


def test_api_schedules_and_answers_the_consultation(client, county, staff):
    topic = topic_act(actor_for(staff, county), raise_topic(county), "accept")
    client.force_login(staff)
    r = client.post(f"/api/v1/opinions/topics/{topic.pk}/actions/start_consultation",
                    json.dumps({"version": topic.version, "start": "2026-12-03T09:30:00+08:00",
                                "place": "社区议事室"}), content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["consultation_id"] == Activity.objects.get().pk
    client.force_login(user_with_role(county, Role.MEMBER))
    r = client.post(f"/api/v1/opinions/topics/{topic.pk}/actions/publish_result",
                    json.dumps({"version": 2, "note": "x"}), content_type="application/json")
    assert r.status_code in (403, 404)
