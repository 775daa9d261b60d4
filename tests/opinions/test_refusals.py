"""Every workflow action is refused to every role the table does not allow (generated)."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import user_with_role
from tests.opinions.factories import act, editor, published, submit, topic_act
from xieshang.core.models import Role
from xieshang.core.permissions import actor_for
from xieshang.opinions import permissions, services, workflow
from xieshang.opinions.models import OpinionReport, Topic

pytestmark = pytest.mark.django_db
S = OpinionReport.Status

ALLOWED = {
    "can_edit_reports": set(permissions.EDITOR_ROLES),
    "can_sign_off": set(permissions.SIGNER_ROLES),
    "is_author": {"author"},
}
PEOPLE = [*Role.values, "author", "correspondent"]
CASES = [(status, action, who)
         for (status, action), step in workflow.TRANSITIONS.items()
         for who in PEOPLE if who not in ALLOWED[step.who]]


def report_in(county, status, author):
    if status == S.PUBLISHED:
        return published(county, user=author)
    report = submit(county, user=author)
    ed = editor(county)
    path = {S.SUBMITTED: [], S.EDITING: ["start_edit"], S.SIGNED_OFF: ["start_edit", "sign_off"],
            S.NOT_USED: ["decline"]}
    if status == S.SENT:
        report = published(county, user=author)
        act(ed, report, "send_leaders")
    for action in path.get(status, []):
        act(ed, report, action, reason="不符合要求")
    report.refresh_from_db()
    assert report.status == status
    return report


def person(county, who, author):
    if who == "author":
        return actor_for(author, county)
    if who == "correspondent":
        user = user_with_role(county, Role.STAFF_COMMITTEE)
        services.correspondent_create(actor=editor(county), user=user, name="信息员")
        return actor_for(user, county)
    return actor_for(user_with_role(county, who), county)


@pytest.mark.parametrize(("status", "action", "who"), CASES,
                         ids=[f"{s}-{a}-{w}" for s, a, w in CASES])
def test_action_is_refused_to_roles_the_table_does_not_allow(county, status, action, who):
    author = user_with_role(county, Role.MEMBER)
    report = report_in(county, status, author)
    other = submit(county)
    with pytest.raises(PermissionDenied):
        workflow.REPORT.take(actor=person(county, who, author), obj=report, step=action,
                             data={"version": report.version, "reason": "理由",
                                   "into": other.pk})
    report.refresh_from_db()
    assert report.status == status


@pytest.mark.parametrize("role", [r for r in Role.values if r not in permissions.EDITOR_ROLES])
def test_only_editors_compose_publish_and_record_outcomes(county, role):
    report = published(county)
    actor = actor_for(user_with_role(county, role), county)
    from tests.opinions.factories import signed_off

    with pytest.raises(PermissionDenied):
        services.bulletin_create(actor=actor, kind="single", reports=[signed_off(county)])
    with pytest.raises(PermissionDenied):
        services.outcome_record(actor=actor, report=report, kind="media", publication="县报")


@pytest.mark.parametrize("role", [r for r in Role.values
                                  if r not in (Role.MEMBER, Role.COLLECTIVE)])
def test_only_members_bodies_and_correspondents_submit(county, role):
    actor = actor_for(user_with_role(county, role), county)
    with pytest.raises(PermissionDenied):
        services.report_submit(actor=actor, title="关于某事的建议", body="正文")


def test_correspondent_account_may_submit(county, client):
    user = user_with_role(county, Role.STAFF_COMMITTEE)
    services.correspondent_create(actor=editor(county), user=user, name="李信息员",
                                  organisation="县融媒体中心")
    report = services.report_submit(actor=actor_for(user, county), title="关于某事的建议",
                                    body="正文内容")
    assert report.author_kind == "correspondent" and "县融媒体中心" in report.author_name


def test_correspondent_without_any_core_role_uses_the_pages(county, client):
    from tests.factories import UserFactory

    user = UserFactory()
    services.correspondent_create(actor=editor(county), user=user, name="王信息员")
    client.force_login(user)
    response = client.post("/opinions/submit/", {
        "title": "关于某事的建议", "category": "other", "body": "正文内容"})
    assert response.status_code == 302
    report = OpinionReport.objects.get(submitted_by=user)
    assert client.get(f"/opinions/reports/{report.pk}/").status_code == 200


@pytest.mark.parametrize("role", [r for r in Role.values if r not in
                                  permissions.TOPIC_SCREENER_ROLES])
def test_topic_screening_is_refused_to_other_roles(county, role):
    from tests.opinions.test_topics import raise_topic

    screener = actor_for(user_with_role(county, Role.STAFF_OFFICE), county)
    actor = actor_for(user_with_role(county, role), county)
    for action in workflow.TOPIC_ACTIONS:
        # Each step is tried where the table allows it, so that only the rule can refuse it.
        topic = raise_topic(county)
        if action in ("start_consultation", "publish_result"):
            topic = topic_act(screener, topic, "accept")
        with pytest.raises(PermissionDenied):
            topic_act(actor, topic, action, note="x", into=raise_topic(county))
        topic.refresh_from_db()
        assert topic.status in (Topic.Status.NEW, Topic.Status.ACCEPTED)
