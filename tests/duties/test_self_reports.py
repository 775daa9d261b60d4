"""Yearly self-reports (述职): written against the record, submitted, returned, collected."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import MemberFactory, user_with_role
from xieshang.core.models import Notification, Role
from xieshang.core.permissions import Actor, actor_for
from xieshang.duties import services, workflow
from xieshang.duties.models import SelfReport, SelfReportEvent

pytestmark = pytest.mark.django_db

YEAR = 2025
TEXT = {"overview": "全年参加会议活动十余次。",
        "achievements": "提交提案三件，一件立案为重点提案。",
        "shortcomings": "调研不够深入。", "plans": "围绕乡村振兴多做调研。"}


def member_login(committee):
    user = user_with_role(committee, Role.MEMBER)
    return user, user.roles.get().member


def written(committee, submit=False):
    user, member = member_login(committee)
    actor = actor_for(user, committee)
    report = services.self_report_save(actor=actor, member=member, year=YEAR, **TEXT)
    if submit:
        report = services.self_report_submit(actor=actor, report=report)
    return user, member, report


def test_member_saves_a_draft_then_submits_with_the_record_figures(
        county, staff, django_capture_on_commit_callbacks):
    services.manual_item_add(actor=actor_for(staff, county), member=MemberFactory(
        committee=county), date=dt.date(YEAR, 3, 1), code="award", description="x")
    user, member = member_login(county)
    services.manual_item_add(actor=actor_for(staff, county), member=member,
                             date=dt.date(YEAR, 5, 1), code="award", description="获评优秀委员")
    actor = actor_for(user, county)
    report = services.self_report_save(actor=actor, member=member, year=YEAR, **TEXT)
    assert report.status == SelfReport.Status.DRAFT
    with django_capture_on_commit_callbacks(execute=True):  # staff are told after the commit
        report = services.self_report_submit(actor=actor, report=report)
    assert report.status == SelfReport.Status.SUBMITTED and report.submitted_at
    assert report.figures["counts"] == [{"label": "机关录入的履职事项", "count": 1}]
    assert SelfReportEvent.objects.get(report=report).action == "submit"
    # Staff were told.
    assert Notification.objects.filter(recipient=staff, url__contains=str(report.pk)).exists()


def test_an_empty_report_cannot_be_submitted(county):
    user, member = member_login(county)
    actor = actor_for(user, county)
    report = services.self_report_save(actor=actor, member=member, year=YEAR, overview="x")
    with pytest.raises(ValidationError):
        services.self_report_submit(actor=actor, report=report)
    assert SelfReport.objects.get(pk=report.pk).status == SelfReport.Status.DRAFT


def test_submitted_report_is_frozen_until_returned(county, staff,
                                                  django_capture_on_commit_callbacks):
    user, member, report = written(county, submit=True)
    actor = actor_for(user, county)
    with pytest.raises(ValidationError):
        services.self_report_save(actor=actor, member=member, year=YEAR, overview="改写")
    with pytest.raises(ValidationError):
        services.self_report_return(actor=actor_for(staff, county), report=report, note=" ")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.self_report_return(actor=actor_for(staff, county), report=report,
                                             note="请补充调研情况")
    assert report.status == SelfReport.Status.RETURNED
    assert Notification.objects.filter(recipient=user, body="请补充调研情况").exists()
    report = services.self_report_save(actor=actor, member=member, year=YEAR,
                                       **{**TEXT, "overview": "改写后的总体情况"})
    report = services.self_report_submit(actor=actor, report=report)
    assert report.status == SelfReport.Status.SUBMITTED and report.return_note == ""
    services.self_report_accept(actor=actor_for(staff, county), report=report)
    assert SelfReport.objects.get(pk=report.pk).status == SelfReport.Status.ACCEPTED


def test_only_staff_of_the_committee_return_or_accept(county, other_county):
    user, _member, report = written(county, submit=True)
    leader = user_with_role(county, Role.LEADER)
    foreign_staff = user_with_role(other_county, Role.STAFF_OFFICE)
    for actor in (actor_for(user, county), actor_for(leader, county),
                  actor_for(foreign_staff, other_county)):
        with pytest.raises(PermissionDenied):
            services.self_report_accept(actor=actor, report=report)
    for role in (Role.STAFF_COMMITTEE, Role.ADMIN):
        reviewer = actor_for(user_with_role(county, role), county)
        assert "accept" in workflow.SELF_REPORT.allowed_names(reviewer, report)
    assert workflow.SELF_REPORT.allowed_names(actor_for(user, county), report) == []


def test_nobody_writes_another_members_report(county):
    _user, member = member_login(county)
    other, _ = member_login(county)
    with pytest.raises(PermissionDenied):
        services.self_report_save(actor=actor_for(other, county), member=member, year=YEAR,
                                  **TEXT)
    with pytest.raises(PermissionDenied):
        services.self_report_save(actor=Actor.for_system(county), member=member, year=YEAR)


def test_bad_input_is_refused_whole(county):
    user, member = member_login(county)
    with pytest.raises(ValidationError):
        services.self_report_save(actor=actor_for(user, county), member=member, year=YEAR,
                                  overview="a\x00b")
    with pytest.raises(ValidationError):
        services.self_report_save(actor=actor_for(user, county), member=member, year=1900)
    assert not SelfReport.objects.exists()


# --- pages ---------------------------------------------------------------------------------

def test_member_page_prefills_record_autosaves_and_submits(client, county, staff):
    user, member = member_login(county)
    services.manual_item_add(actor=actor_for(staff, county), member=member,
                             date=dt.date(YEAR, 5, 1), code="award", description="获评优秀委员")
    client.force_login(user)
    url = reverse("duty-my-self-report") + f"?year={YEAR}"
    page = client.get(url).content.decode()
    assert "机关录入的履职事项" in page and "hx-post" in page
    response = client.post(url, {**TEXT, "autosave": "1"})
    assert response.status_code == 200 and "草稿" in response.content.decode()
    assert SelfReport.objects.get(member=member).status == SelfReport.Status.DRAFT
    client.post(url, {**TEXT, "submit": "1"})
    assert SelfReport.objects.get(member=member).status == SelfReport.Status.SUBMITTED
    # Submitted: the page shows the text, no form.
    assert "hx-post" not in client.get(url).content.decode()


def test_submit_without_text_shows_a_message_and_keeps_the_draft(client, county):
    user, member = member_login(county)
    client.force_login(user)
    url = reverse("duty-my-self-report") + f"?year={YEAR}"
    response = client.post(url, {"overview": "只写了一段", "submit": "1"}, follow=True)
    assert "提交前" in response.content.decode()
    assert not SelfReport.objects.filter(member=member).exists()


def test_staff_see_who_has_not_submitted_export_and_remind(
        client, county, staff, django_capture_on_commit_callbacks):
    done_user, done_member, _r = written(county, submit=True)
    draft_user, draft_member, _d = written(county)
    silent_user, silent_member = member_login(county)
    client.force_login(staff)
    url = reverse("duty-self-reports") + f"?year={YEAR}"
    page = client.get(url).content.decode()
    assert done_member.name in page and silent_member.name in page
    ws = load_workbook(BytesIO(client.get(url + "&format=xlsx").content)).active
    names = {row[0] for row in ws.iter_rows(min_row=2, values_only=True)}
    assert names == {draft_member.name, silent_member.name}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    reminded = set(Notification.objects.filter(title__startswith="请提交").values_list(
        "recipient_id", flat=True))
    assert reminded == {draft_user.pk, silent_user.pk}


def test_staff_read_and_return_a_report_on_its_page(client, county, staff):
    user, _member, report = written(county, submit=True)
    client.force_login(staff)
    url = reverse("duty-self-report", args=[report.pk])
    assert TEXT["achievements"] in client.get(url).content.decode()
    act = reverse("duty-self-report-act", args=[report.pk, "return"])
    client.post(act, {"version": report.version, "note": "请补充"})
    assert SelfReport.objects.get(pk=report.pk).status == SelfReport.Status.RETURNED


@pytest.mark.parametrize("role", [Role.MEMBER, Role.LEADER, Role.STAFF_PROPOSAL,
                                  Role.UNIT_CLERK])
def test_others_are_refused_the_collection_page(client, county, role):
    client.force_login(user_with_role(county, role))
    assert client.get(reverse("duty-self-reports")).status_code == 403
    assert client.post(reverse("duty-self-reports")).status_code == 403


def test_a_member_cannot_read_another_members_report(client, county):
    _user, _member, report = written(county, submit=True)
    other, _ = member_login(county)
    client.force_login(other)
    assert client.get(reverse("duty-self-report", args=[report.pk])).status_code == 404
    response = client.post(reverse("duty-self-report", args=[report.pk]), {"action": "accept"})
    assert response.status_code == 404
    assert SelfReport.objects.get(pk=report.pk).status == SelfReport.Status.SUBMITTED


def test_leader_is_refused_a_report_and_other_county_gets_404(client, county, other_county):
    _user, _member, report = written(county, submit=True)
    client.force_login(user_with_role(county, Role.LEADER))
    assert client.get(reverse("duty-self-report", args=[report.pk])).status_code == 404
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    assert client.get(reverse("duty-self-report", args=[report.pk])).status_code == 404


def test_staff_without_member_record_has_no_own_report_page(client, county, staff):
    client.force_login(staff)
    assert client.get(reverse("duty-my-self-report")).status_code == 403
