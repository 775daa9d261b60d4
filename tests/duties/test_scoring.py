"""Scores: rules turn facts into points; caps, penalties and bands apply; every point is traced."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.factories import MemberFactory
from xieshang.core.models import Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.duties import engine, services
from xieshang.duties.facts import Fact, register_source
from xieshang.duties.models import DutyWarning, Rule, Score, ScoreLine, WarningRule

pytestmark = pytest.mark.django_db

FACTS: list[Fact] = []


def fake_facts(committee_id, start, end):
    return [f for f in FACTS if start <= f.date <= end]


register_source("test", fake_facts, {"proposal.first_filed": "提案立案",
                                     "activity.attended:*": "参加活动"})


@pytest.fixture(autouse=True)
def clear_facts():
    FACTS.clear()
    yield
    FACTS.clear()


def fact(member, kind, day=dt.date(2025, 5, 1), ref="1", label="记录"):
    FACTS.append(Fact(member_id=member.id, kind=kind, date=day, ref_type="test.thing",
                      ref_id=ref, label=label))


@pytest.fixture
def system(county):
    return Actor.for_system(county)


def test_points_are_traced_to_their_records(county, system):
    member = MemberFactory(committee=county)
    services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    fact(member, "proposal.first_filed", ref="7", label="提案《关于校车安全的建议》立案")
    fact(member, "opinion.submitted", ref="9")
    engine.recompute(county, 2025)
    score = Score.objects.get(member=member, year=2025)
    assert score.total == Decimal("25")
    lines = ScoreLine.objects.filter(member=member, year=2025)
    assert {(line.ref_id, line.points) for line in lines} == {("7", 15), ("9", 10)}
    assert sum(line.points for line in lines) == score.total


def test_cap_limits_a_rule(county, system):
    member = MemberFactory(committee=county)
    services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    for i in range(12):  # 12 × 5 points, capped at 40
        fact(member, "activity.attended:forum", ref=str(i), day=dt.date(2025, 3, 1 + i))
    engine.recompute(county, 2025)
    assert Score.objects.get(member=member).total == Decimal("40")
    assert ScoreLine.objects.filter(member=member, capped=True).exists()


def test_penalty_and_specific_rule_beats_family(county, system):
    member = MemberFactory(committee=county)
    services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    fact(member, "activity.absent_unexcused:plenary")
    fact(member, "activity.attended:plenary", ref="2")
    engine.recompute(county, 2025)
    assert Score.objects.get(member=member).total == Decimal("-25")


def test_base_points_max_and_bands(county, system):
    member = MemberFactory(committee=county)
    services.ruleset_create_from_template(actor=system, committee=county, year=2025,
                                          template="jinan")
    for i in range(12):
        fact(member, "proposal.first_filed", ref=str(i))
    engine.recompute(county, 2025)
    score = Score.objects.get(member=member)
    assert score.total == Decimal("120")  # 70 + 60, limited to 120
    assert score.band == "优秀"


def test_changing_a_rule_recomputes_scores(county, system, django_capture_on_commit_callbacks):
    member = MemberFactory(committee=county)
    with django_capture_on_commit_callbacks(execute=True):
        rule_set = services.ruleset_create_from_template(actor=system, committee=county,
                                                         year=2025)
    fact(member, "proposal.first_filed")
    engine.recompute(county, 2025)
    rule = Rule.objects.get(rule_set=rule_set, kind="proposal.first_filed")
    with django_capture_on_commit_callbacks(execute=True):
        services.rule_save(actor=system, rule_set=rule_set, kind=rule.kind, label=rule.label,
                           points=Decimal("20"), rule=rule)
    assert Score.objects.get(member=member).total == Decimal("20")


def test_member_without_records_scores_the_base(county, system):
    member = MemberFactory(committee=county)
    services.ruleset_create_from_template(actor=system, committee=county, year=2025,
                                          template="jinan")
    engine.recompute(county, 2025)
    assert Score.objects.get(member=member).total == Decimal("70")


def test_manual_item_counts(county, staff):
    member = MemberFactory(committee=county)
    actor = actor_for(staff, county)
    services.ruleset_create_from_template(actor=actor, committee=county, year=2025)
    services.manual_item_add(actor=actor, member=member, date=dt.date(2025, 6, 1), code="award",
                             description="获评优秀政协委员")
    engine.recompute(county, 2025)
    line = ScoreLine.objects.get(member=member)
    assert line.kind == "manual:award" and line.points == 5


def test_members_cannot_change_rules(county, make_user):
    actor = actor_for(make_user(county, Role.MEMBER), county)
    with pytest.raises(PermissionDenied):
        services.ruleset_create_from_template(actor=actor, committee=county, year=2025)


def test_staff_of_other_county_cannot_add_items(county, other_county, make_user):
    actor = actor_for(make_user(other_county, Role.STAFF_OFFICE), other_county)
    member = MemberFactory(committee=county)
    with pytest.raises(PermissionDenied):
        services.manual_item_add(actor=actor, member=member, date=dt.date(2025, 1, 1),
                                 code="x", description="x")


def test_warning_raised_exactly_when_condition_becomes_true(county, system):
    member = MemberFactory(committee=county)
    WarningRule.objects.create(committee=county, name="两次无故缺席",
                               kinds=["activity.absent_unexcused:plenary"], period="year",
                               comparison="at_least", threshold=2, message="请注意")
    fact(member, "activity.absent_unexcused:plenary", ref="1")
    assert services.warnings_check(actor=system, committee=county,
                                   today=dt.date(2025, 6, 1)) == []
    fact(member, "activity.absent_unexcused:plenary", ref="2")
    raised = services.warnings_check(actor=system, committee=county, today=dt.date(2025, 6, 1))
    assert [w.member_id for w in raised] == [member.id]
    # Not raised twice.
    assert services.warnings_check(actor=system, committee=county,
                                   today=dt.date(2025, 6, 2)) == []


def test_no_activity_warning_only_from_its_month(county, system):
    member = MemberFactory(committee=county)
    WarningRule.objects.create(committee=county, name="无提案无信息",
                               kinds=["proposal.submitted", "opinion.submitted"], period="year",
                               comparison="at_most", threshold=0, from_month=9, message="请履职")
    assert services.warnings_check(actor=system, committee=county,
                                   today=dt.date(2025, 8, 31)) == []
    assert len(services.warnings_check(actor=system, committee=county,
                                       today=dt.date(2025, 9, 1))) == 1
    fact(member, "opinion.submitted", day=dt.date(2025, 9, 5))
    services.warnings_check(actor=system, committee=county, today=dt.date(2025, 9, 6))
    assert DutyWarning.objects.get(member=member).resolved_at is not None


def test_member_sees_own_record_not_others(client, county, make_user, system):
    user = make_user(county, Role.MEMBER)
    me = user.roles.get().member
    other = MemberFactory(committee=county)
    client.force_login(user)
    assert client.get(reverse("duty-mine")).status_code == 200
    assert client.get(reverse("duty-member", args=[other.pk])).status_code == 404
    assert client.get(reverse("duty-member", args=[me.pk])).status_code == 200
    assert client.get(reverse("duty-ranking")).status_code == 403


def test_published_rankings_let_members_see_scores_but_not_records(client, county, make_user):
    county.policy = {"duty_rankings_public": True}
    county.save()
    user = make_user(county, Role.MEMBER)
    other = MemberFactory(committee=county)
    client.force_login(user)
    assert client.get(reverse("duty-ranking")).status_code == 200
    assert client.get(reverse("duty-member", args=[other.pk])).status_code == 404


def test_staff_ranking_export_and_other_county_404(client, county, other_county, staff, system):
    member = MemberFactory(committee=county)
    foreign = MemberFactory(committee=other_county)
    services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    fact(member, "proposal.first_filed")
    engine.recompute(county, 2025)
    client.force_login(staff)
    response = client.get(reverse("duty-ranking"), {"year": 2025, "format": "xlsx"})
    from io import BytesIO

    from openpyxl import load_workbook

    ws = load_workbook(BytesIO(response.content)).active
    assert [c.value for c in ws[2]][1:4] == [member.name, member.sector.name, 15.0]
    assert client.get(reverse("duty-member", args=[foreign.pk])).status_code == 404


def test_rules_page_creates_from_template_and_rejects_unknown_kind(client, county, staff):
    client.force_login(staff)
    client.post(reverse("duty-rules") + "?year=2025", {"template": "standard"})
    response = client.post(reverse("duty-rules") + "?year=2025",
                           {"kind": "nonsense", "label": "x", "points": "1"}, follow=True)
    assert "未知的记录类别" in response.content.decode()


def test_activity_attendance_becomes_facts(county, system):
    import datetime as dt

    from django.utils import timezone

    from xieshang.activities import services as act
    from xieshang.activities.models import Activity, Invitation
    from xieshang.duties.facts import collect

    present, absent, excused = (MemberFactory(committee=county) for _ in range(3))
    types = act.activity_types_ensure(county)
    activity = act.activity_create(
        actor=system, committee=county, type=types["plenary"], title="十四届四次会议",
        start=timezone.make_aware(dt.datetime(2025, 1, 10, 9)), status=Activity.Status.HELD)
    invitations = {i.member_id: i for i in act.invitations_send(
        actor=system, activity=activity, members=[present, absent, excused],
        notify_members=False)}
    act.attendance_record(actor=system, invitation=invitations[present.id],
                          attendance=Invitation.Attendance.ATTENDED)
    act.attendance_record(actor=system, invitation=invitations[absent.id],
                          attendance=Invitation.Attendance.ABSENT)
    Invitation.objects.filter(pk=invitations[excused.id].pk).update(
        status=Invitation.Status.LEAVE_APPROVED)
    kinds = {(f.member_id, f.kind) for f in collect(county.id, dt.date(2025, 1, 1),
                                                    dt.date(2025, 12, 31))}
    assert kinds == {(present.id, "activity.attended:plenary"),
                     (absent.id, "activity.absent_unexcused:plenary"),
                     (excused.id, "activity.absent_excused:plenary")}
    services.ruleset_create_from_template(actor=system, committee=county, year=2025)
    engine.recompute(county, 2025)
    assert Score.objects.get(member=absent).total == Decimal("-30")
    assert Score.objects.get(member=excused).total == Decimal("-10")
    assert Score.objects.get(member=present).total == Decimal("5")
