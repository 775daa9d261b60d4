"""Routing suggestions: keywords first, then a model learned from the committee's assignments;
the suggestion and the staff's choice are both recorded."""

import re

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


def _history(world, n=40):
    from xieshang.proposals.models import Assignment, Proposal

    topics = {"a": "农村饮水安全 水质监测 供水管网", "b": "校车安全 学校食堂 教师编制"}
    for i in range(n):
        key = "a" if i % 2 else "b"
        proposal = Proposal.objects.create(committee=world.committee,
                                           title=f"关于{topics[key]}的建议{i}",
                                           body=topics[key], status=S.ASSIGNED)
        Assignment.objects.create(committee=world.committee, proposal=proposal,
                                  unit=world.units[key], role=Assignment.Role.SINGLE,
                                  due_date="2026-12-31")


def test_model_suggestions_show_the_words_that_drove_them(world, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    _history(world)
    routing.retrain.call(world.committee.pk)
    p = reach(world, S.FILED, title="关于学校食堂和校车安全的建议",
              body="部分学校食堂卫生条件差，校车安全管理不到位，建议加强检查和管理。")
    suggestions = routing.suggest_units(p)
    assert 2 <= len(suggestions) <= 3
    assert suggestions[0].words and all(w in p.title + p.body for w in suggestions[0].words)
    assert {"食堂", "校车"} & set(suggestions[0].words)
    client.force_login(world.users["staff"])
    body = client.get(reverse("proposal-detail", args=[p.pk])).content.decode()
    assert "依据词语" in body and f"<mark>{suggestions[0].words[0]}</mark>" in body


def test_keyword_suggestions_show_the_keywords_found(world):
    world.units["b"].keywords = "饮水 水质 供水"
    world.units["b"].save()
    p = reach(world, S.FILED)
    suggestion = routing.suggest_units(p)[0]
    assert suggestion.words and all(w in "饮水 水质 供水".split() for w in suggestion.words)


def test_a_model_file_of_an_older_version_falls_back_to_keywords(world, settings, tmp_path):
    import joblib

    settings.VAR_DIR = tmp_path
    _history(world)
    routing.retrain.call(world.committee.pk)
    path = routing.model_path(world.committee.pk)
    model = joblib.load(path)
    model.version = 1
    joblib.dump(model, path)
    routing._LOADED.clear()
    world.units["b"].keywords = "饮水"
    world.units["b"].save()
    p = reach(world, S.FILED)
    assert routing.suggest_units(p)[0].source == "keywords"


def _decisions(world, n, hit_every=2):
    from xieshang.core import clock

    a, b = world.units["a"].pk, world.units["b"].pk
    for i in range(n):
        p = reach(world, S.FILED, title=f"关于第{i}件事的建议")
        RoutingRecord.objects.create(committee=world.committee, proposal=p, source="model",
                                     suggested=[[a, 0.7], [b, 0.3]],
                                     decided=[a] if i % hit_every == 0 else [b],
                                     decided_at=clock.now())


def test_routing_accuracy_shows_no_data_until_enough_decisions(world, client):
    _decisions(world, routing.MIN_DECISIONS - 1)
    client.force_login(world.users["staff"])
    body = client.get(reverse("reports-figures")).content.decode()
    cell = body.split('data-testid="proposals.routing_accuracy">', 1)[1].split("</td>", 1)[0]
    assert "暂无数据" in cell and "%" not in cell


def test_routing_accuracy_is_reported_once_enough_decisions_exist(world, client):
    _decisions(world, routing.MIN_DECISIONS)
    client.force_login(world.users["staff"])
    body = client.get(reverse("reports-figures")).content.decode()
    cell = body.split('data-testid="proposals.routing_accuracy">', 1)[1].split("</td>", 1)[0]
    text = re.sub(r"<[^>]+>", "", cell)  # the number is a link to the decisions counted
    assert "暂无数据" not in text and "50.0 %" in text
    assert 'href="/proposals/?fact=routed"' in cell
