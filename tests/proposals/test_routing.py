"""Routing suggestions: keywords first, then a model learned from the committee's assignments;
the suggestion and the staff's choice are both recorded."""

import pytest
from django.urls import reverse

from tests.proposals.factories import S, call, reach
from xieshang.proposals import routing
from xieshang.proposals.models import RoutingRecord

pytestmark = pytest.mark.django_db


def test_keywords_suggest_units_before_there_is_history(world):
    world.units["b"].keywords = "饮水 水质 供水"
    world.units["b"].save()
    p = reach(world, S.FILED)
    suggestions = routing.suggest_units(p)
    assert suggestions[0].unit == world.units["b"] and suggestions[0].source == "keywords"


def test_suggestion_and_decision_are_recorded_and_accuracy_reported(
        world, client, django_capture_on_commit_callbacks):
    world.units["a"].keywords = "饮水"
    world.units["a"].save()
    p = reach(world, S.FILED)
    client.force_login(world.users["staff"])
    body = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert 'data-testid="routing"' in body
    assert not RoutingRecord.objects.filter(proposal=p).exists()  # reading a page writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        call(world, p, "assign", "staff", kind="single", unit_ids=[world.units["a"].pk])
    record = RoutingRecord.objects.get(proposal=p)
    assert record.suggested[0][0] == world.units["a"].pk
    assert record.decided == [world.units["a"].pk] and record.decided_at is not None
    assert routing.accuracy(world.committee.pk) == (1, 1)


def test_a_model_is_trained_from_history(world, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    from xieshang.proposals.models import Assignment, Proposal

    topics = {"a": "农村饮水安全 水质监测 供水管网", "b": "校车安全 学校食堂 教师编制"}
    for i in range(40):
        key = "a" if i % 2 else "b"
        proposal = Proposal.objects.create(committee=world.committee,
                                           title=f"关于{topics[key]}的建议{i}",
                                           body=topics[key], status=S.ASSIGNED)
        Assignment.objects.create(committee=world.committee, proposal=proposal,
                                  unit=world.units[key], role=Assignment.Role.SINGLE,
                                  due_date="2026-12-31")
    assert routing.retrain.call(world.committee.pk).startswith("trained on 40")
    p = reach(world, S.FILED, title="关于学校食堂和校车安全的建议",
              body="部分学校食堂卫生条件差，校车安全管理不到位，建议加强检查和管理。")
    suggestions = routing.suggest_units(p)
    assert suggestions[0].source == "model" and suggestions[0].unit == world.units["b"]


def test_members_see_no_routing_suggestions(world, client):
    p = reach(world, S.FILED)
    client.force_login(world.users["member"])
    assert 'data-testid="routing"' not in client.get(
        reverse("proposal-detail", args=[p.pk])).content.decode()
