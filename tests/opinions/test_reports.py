import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.factories import user_with_role
from tests.opinions.factories import TEXT, act, editor, published, submit
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for
from xieshang.core.workflow import StaleVersion
from xieshang.opinions import selectors, services, workflow
from xieshang.opinions.models import OpinionEvent, OpinionReport

pytestmark = pytest.mark.django_db


def test_concurrent_edit_is_refused_with_a_clear_message(county):
    report = submit(county)
    a, b = editor(county), editor(county)
    act(a, report, "start_edit")
    report.refresh_from_db()
    seen = report.version
    services.report_edit(actor=a, report=report, expected_version=seen, title="关于甲的建议",
                         category="society", **TEXT)
    with pytest.raises(StaleVersion) as exc:
        services.report_edit(actor=b, report=report, expected_version=seen, title="关于乙的建议",
                             category="society", **TEXT)
    assert "已被他人修改，请刷新后重试" in exc.value.messages[0]
    with pytest.raises(StaleVersion):
        workflow.REPORT.take(actor=b, obj=report, step="sign_off", data={"version": seen})
    report.refresh_from_db()
    assert report.title == "关于甲的建议" and report.status == "editing"


def test_length_limit_is_a_policy_number(county):
    with pytest.raises(ValidationError) as exc:
        submit(county, situation="字" * 1501, analysis="", suggestion="")
    assert "1500" in str(exc.value)
    county.policy = {"opinions.max_length": 2000}
    county.save()
    assert submit(county, situation="字" * 1501, analysis="", suggestion="").pk
    assert OpinionReport.objects.count() == 1


def test_attachments_are_checked_for_type_and_size(county):
    member = user_with_role(county, Role.MEMBER)
    with pytest.raises(ValidationError):
        services.report_submit(actor=actor_for(member, county), title="关于某事的建议", body="正文",
                               attachments=[SimpleUploadedFile("virus.exe", b"MZ")])
    county.policy = {"opinions.attachment_max_mb": 1}
    county.save()
    with pytest.raises(ValidationError):
        services.report_submit(actor=actor_for(member, county), title="关于某事的建议", body="正文",
                               attachments=[SimpleUploadedFile("big.pdf",
                                                               b"0" * (1024 * 1024 + 1))])
    assert OpinionReport.objects.count() == 0
    report = services.report_submit(actor=actor_for(member, county), title="关于某事的建议",
                                    body="正文", attachments=[SimpleUploadedFile("a.pdf", b"%PDF")])
    assert report.attachments.get().size == 4


def test_declining_needs_a_reason_and_tells_the_author(county, client,
                                                       django_capture_on_commit_callbacks):
    author = user_with_role(county, Role.MEMBER)
    report = submit(county, user=author)
    ed = editor(county)
    with pytest.raises(ValidationError):
        act(ed, report, "decline")
    with django_capture_on_commit_callbacks(execute=True):
        act(ed, report, "decline", reason="与已采用信息重复")
    assert author.notifications.filter(body="与已采用信息重复").exists()
    client.force_login(author)
    assert "与已采用信息重复" in client.get(f"/opinions/reports/{report.pk}/").content.decode()


def test_every_transition_appends_one_event_and_an_audit_row(county):
    report = submit(county)
    ed = editor(county)
    act(ed, report, "start_edit")
    act(ed, report, "sign_off")
    assert list(OpinionEvent.objects.filter(report=report).values_list("action", flat=True)) == [
        "submit", "start_edit", "sign_off"]
    assert AuditLog.objects.filter(action="opinion.sign_off", object_id=str(report.pk)).exists()
    with pytest.raises(ValidationError):
        OpinionEvent.objects.first().save()


def test_report_up_only_once_and_only_with_a_parent(county):
    report = published(county)
    ed = editor(county)
    act(ed, report, "report_up")
    with pytest.raises(ValidationError):
        act(ed, report, "report_up")
    province = county.parent.parent
    top = published(province)
    assert not workflow.REPORT.may(editor(province), top, "report_up")


def test_merged_report_gets_the_outcomes_of_the_report_it_joined(county):
    city = county.parent
    first, second = published(county), published(county, title="关于同一问题的建议")
    ed = editor(county)
    act(ed, first, "report_up")
    act(ed, second, "report_up")
    city_ed = editor(city)
    a = OpinionReport.objects.get(committee=city, origin=first)
    b = OpinionReport.objects.get(committee=city, origin=second)
    act(city_ed, b, "merge", into=a)
    act(city_ed, a, "start_edit")
    act(city_ed, a, "sign_off")
    a.refresh_from_db()
    services.outcome_record(actor=city_ed, report=a, kind="instruction", person="李市长",
                            text="请研究。")
    for original in (first, second):
        assert [o.person for o in selectors.outcomes_visible_on(original)
                if o.kind == "instruction"] == ["李市长"]


def test_quota_page_shows_each_members_progress(county, client):
    from tests.factories import MemberFactory

    standing = MemberFactory(committee=county, is_standing=True)
    author = user_with_role(county, Role.MEMBER, member=standing)
    standing.user = author
    standing.save()
    for i in range(3):
        submit(county, user=author, title=f"关于第{i}件事的建议")
    lazy = user_with_role(county, Role.MEMBER)
    rows = {r.member.pk: r for r in selectors.quota_progress(editor(county))}
    assert rows[standing.pk].quota == 3 and rows[standing.pk].met
    lazy_member = lazy.roles.get().member
    assert rows[lazy_member.pk].quota == 1 and not rows[lazy_member.pk].met
    client.force_login(user_with_role(county, Role.LEADER))
    page = client.get("/opinions/quota/")
    assert page.status_code == 200 and standing.name in page.content.decode()
    client.force_login(lazy)
    assert client.get("/opinions/quota/").status_code == 403


def test_lists_filter_search_and_export(county, client):
    submit(county, title="关于校外培训的建议")
    submit(county, title="关于农村饮水的建议", category="other")
    user = user_with_role(county, Role.STAFF_OPINION)
    client.force_login(user)
    html = client.get("/opinions/reports/?q=饮水").content.decode()
    assert "农村饮水" in html and "校外培训" not in html
    html = client.get("/opinions/reports/?category=society").content.decode()
    assert "校外培训" in html and "农村饮水" not in html
    response = client.get("/opinions/reports/?q=饮水&export=xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert [row[1] for row in ws.iter_rows(min_row=2, values_only=True)] == ["关于农村饮水的建议"]


def test_other_committees_reports_are_404(county, other_county, client):
    report = submit(county)
    client.force_login(user_with_role(other_county, Role.STAFF_OPINION))
    assert client.get(f"/opinions/reports/{report.pk}/").status_code == 404
    assert client.post(f"/opinions/reports/{report.pk}/start_edit/",
                       {"version": report.version}).status_code == 404


def test_member_cannot_see_another_members_report(county, client):
    report = submit(county)
    client.force_login(user_with_role(county, Role.MEMBER))
    assert client.get(f"/opinions/reports/{report.pk}/").status_code == 404


def test_pages_render_for_editor_and_member(county, client):
    author = user_with_role(county, Role.MEMBER)
    report = published(county, user=author)
    client.force_login(author)
    for url in ("/opinions/mine/", "/opinions/submit/", f"/opinions/reports/{report.pk}/"):
        assert client.get(url).status_code == 200, url
    client.force_login(user_with_role(county, Role.STAFF_OPINION))
    for url in ("/opinions/reports/", "/opinions/inbox/to_edit/", "/opinions/inbox/to_sign/",
                "/opinions/inbox/to_publish/", "/opinions/inbox/received/",
                "/opinions/bulletins/", "/opinions/quota/", "/opinions/correspondents/",
                f"/opinions/reports/{report.pk}/", "/"):
        assert client.get(url).status_code == 200, url


def test_the_page_offers_exactly_the_allowed_actions(county, client):
    report = submit(county)
    client.force_login(user_with_role(county, Role.STAFF_OPINION))
    html = client.get(f"/opinions/reports/{report.pk}/").content.decode()
    assert 'data-action="start_edit"' in html and 'data-action="sign_off"' not in html
    client.post(f"/opinions/reports/{report.pk}/start_edit/", {"version": report.version})
    html = client.get(f"/opinions/reports/{report.pk}/").content.decode()
    assert 'data-action="sign_off"' in html and 'data-action="start_edit"' not in html


def test_api_submit_act_and_conflict(county, client):
    author = user_with_role(county, Role.MEMBER)
    client.force_login(author)
    response = client.post("/api/v1/opinions/reports", {"title": "关于某事的建议", "body": "正文"},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    ed = user_with_role(county, Role.STAFF_OPINION)
    client.force_login(ed)
    ok = client.post(f"/api/v1/opinions/reports/{pk}/actions/start_edit", {"version": 1},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "editing"
    stale = client.post(f"/api/v1/opinions/reports/{pk}/actions/sign_off", {"version": 1},
                        content_type="application/json")
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    client.force_login(author)
    denied = client.post(f"/api/v1/opinions/reports/{pk}/actions/sign_off", {"version": 2},
                         content_type="application/json")
    assert denied.status_code in (403, 404)


def test_demo_builds_reports_at_three_levels_and_topics_in_every_state(db, frozen_clock):
    import random

    from xieshang.devdata import members as members_demo
    from xieshang.devdata import opinions as demo
    from xieshang.devdata.demo import DemoContext
    from xieshang.opinions.models import OpinionOutcome, Topic

    ctx = DemoContext(rng=random.Random(7), verbose=False)
    members_demo.build(ctx)
    demo.build(ctx)
    assert OpinionReport.objects.filter(committee=ctx.city).exists()
    assert OpinionReport.objects.filter(committee=ctx.province).exists()
    assert OpinionOutcome.objects.filter(committee=ctx.province, kind="instruction").exists()
    assert set(Topic.objects.values_list("status", flat=True)) == set(Topic.Status.values)
    years = set(OpinionReport.objects.filter(committee=ctx.county).values_list(
        "submitted_at__year", flat=True))
    assert years == {2025, 2026}


def test_excel_export_keeps_formula_like_titles_as_text(county):
    from xieshang.opinions.documents import reports_xlsx

    submit(county, title="=HYPERLINK(1)")
    submit(county, title="关于某事的建议")
    ws = load_workbook(io.BytesIO(reports_xlsx(OpinionReport.objects.order_by("pk")))).active
    cells = [row[1] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == ["'=HYPERLINK(1)", "关于某事的建议"]
    assert all(c.data_type != "f" for c in cells)
