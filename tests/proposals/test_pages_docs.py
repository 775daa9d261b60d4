"""Pages, documents, the public record, reminders and uploads."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from tests.proposals.factories import BODY, call, reach
from xieshang.core.models import Notification
from xieshang.proposals import documents, services
from xieshang.proposals.models import Assignment, Proposal, Reply, Status
from xieshang.proposals.tasks import run_reminders
from xieshang.proposals.workflow import PROPOSAL

S = Status
pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        parts += [c.text for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_reply_letter_has_class_mark_top_right_and_official_title(world):
    p = reach(world, S.REPLIED)
    reply = Reply.objects.get(proposal=p)
    doc = Document(io.BytesIO(documents.reply_letter(reply)))
    first = doc.paragraphs[0]
    assert first.text == "A类" and first.alignment == 2  # RIGHT
    # The unit's letterhead in red (红头), then the official title.
    head = doc.paragraphs[1]
    assert head.text == "县a局" and str(head.runs[0].font.color.rgb) == "E00000"
    assert doc.paragraphs[2].text == "关于十四届五次会议第001号提案的答复"
    assert round(doc.sections[0].page_width.mm) == 210  # A4
    text = _text(documents.reply_letter(reply))
    assert "王建国委员" in text and "县a局" in text and "赵科长" in text


def test_proposal_form_notice_feedback_and_compilation(world):
    p = reach(world, S.HANDLING)
    text = _text(documents.proposal_form(p))
    assert "第001号" in text and "王建国" in text and p.title in text
    lead = p.assignments.get(role="lead")
    notice = _text(documents.assignment_notice(lead))
    due = lead.due_date
    assert "县a局" in notice and f"{due.year}年{due.month}月{due.day}日" in notice
    assert "第001号" in notice
    assert "满意" in _text(documents.feedback_form(p))
    second = reach(world, S.FILED, title="关于改造城区老旧小区的建议")
    comp = _text(documents.compilation(world.actor("staff"), p.session))
    assert "目　录" in comp and "第001号" in comp and "第002号　关于改造城区老旧小区的建议" in comp
    assert second.number == "第002号"


def test_excel_export_of_a_filtered_list(world, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # indexed, as after each commit
        reach(world, S.FILED)
        reach(world, S.FILED, title="关于改造城区老旧小区的建议")
    client.force_login(world.users["staff"])
    r = client.get("/proposals/export.xlsx", {"q": "老旧小区"})
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "提案号" and len(rows) == 2 and rows[1][0] == "第002号"
    client.force_login(world.users["member"])
    assert client.get("/proposals/export.xlsx").status_code == 403


@pytest.mark.parametrize("role", ["member", "staff", "clerk_a", "leader_a", "leader",
                                  "collective", "admin"])
def test_worklists_and_home_render_for_each_role(world, client, role):
    reach(world, S.HANDLING)
    client.force_login(world.users[role])
    assert client.get("/").status_code == 200
    assert client.get("/proposals/").status_code == 200
    from xieshang.proposals.selectors import WORKLISTS
    for name, wl in WORKLISTS.items():
        url = f"/proposals/work/{name.replace('_', '-')}/"
        expected = 200 if wl.allowed(world.actor(role)) else 403
        assert client.get(url).status_code == expected, (name, role)


def test_unit_worklists_contain_the_right_proposals(world, client):
    p = reach(world, S.ASSIGNED)
    client.force_login(world.users["clerk_a"])
    assert p.title in client.get("/proposals/work/to-sign/").content.decode()
    call(world, p, "sign", "clerk_a")
    call(world, p, "sign", "clerk_b")
    body = client.get("/proposals/work/waiting-co/").content.decode()
    assert p.title in body
    client.force_login(world.users["member"])
    assert p.title in client.get("/proposals/work/mine/").content.decode()


def test_detail_page_shows_exactly_the_allowed_actions(world, client):
    p = reach(world, S.HANDLING)
    for role in ("clerk_a", "clerk_b", "staff", "member", "leader"):
        client.force_login(world.users[role])
        html = client.get(f"/proposals/{p.pk}/").content.decode()
        shown = {part.split('"')[0] for part in html.split('data-action="')[1:]}
        assert shown == set(PROPOSAL.allowed_names(world.actor(role), p)), role


def test_submission_form_autosaves_and_submits(world, client):
    client.force_login(world.users["member"])
    data = {"title": "关于完善城乡公交网络的建议", "category": world.category.pk, "body": BODY,
            "consent_disclosure": "on", "save": "1"}
    r = client.post("/proposals/new/", data)
    p = Proposal.objects.get(title=data["title"])
    assert r.status_code == 302 and p.status == S.DRAFT
    r = client.post(f"/proposals/{p.pk}/edit/", {**data, "title": "关于完善城乡公交线网的建议",
                                                 "autosave": "1"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "autosave-status" in r.content.decode()
    assert Proposal.objects.get(pk=p.pk).title == "关于完善城乡公交线网的建议"
    r = client.post(f"/proposals/{p.pk}/edit/", {**data, "submit": "1"})
    assert Proposal.objects.get(pk=p.pk).status == S.SUBMITTED


def test_incomplete_submission_is_refused_with_a_message(world, client):
    client.force_login(world.users["member"])
    r = client.post("/proposals/new/", {"title": "关于", "body": "太短", "submit": "1"})
    assert r.status_code == 200 and "error" in r.content.decode()
    assert not Proposal.objects.exclude(status=S.DRAFT).exists()
    r = client.post("/proposals/new/", {"title": "关于加强食品安全监管的建议", "body": "太短",
                                        "submit": "1"})
    p = Proposal.objects.get(title="关于加强食品安全监管的建议")
    # The draft is kept; the submission is refused with the reasons.
    assert p.status == S.DRAFT


def test_attachments_are_checked_by_content_and_size(world):
    p = reach(world, S.DRAFT)
    ok = SimpleUploadedFile("材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    services.attachment_add(actor=world.actor("member"), proposal=p, upload=ok)
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=world.actor("member"), proposal=p, upload=fake)
    exe = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=world.actor("member"), proposal=p, upload=exe)
    world.committee.policy = {"proposal_attachment_mb": 0}
    world.committee.save()
    with pytest.raises(ValidationError):
        services.attachment_add(
            actor=world.actor("member"), proposal=Proposal.objects.get(pk=p.pk),
            upload=SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10))
    assert p.attachments.count() == 1


def test_similar_proposals_found_at_review(world, client):
    reach(world, S.FILED)
    p = reach(world, S.UNDER_REVIEW, title="关于加强农村饮水安全保障工作的建议")
    client.force_login(world.users["staff"])
    html = client.get(f"/proposals/{p.pk}/").content.decode()
    assert 'data-testid="similar"' in html


def test_public_record_after_delay_without_personal_data(world, client):
    p = reach(world, S.CLOSED, consent_disclosure=False, nondisclosure_reason="个人原因")
    assert client.get(f"/proposals/public/{world.committee.code}/").content.decode().count(
        'data-testid="public-proposal"') == 0
    Proposal.objects.filter(pk=p.pk).update(replied_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC))
    html = client.get(f"/proposals/public/{world.committee.code}/").content.decode()
    assert p.title in html and "王建国" not in html and "0771-1234567" not in html


def test_reminders_before_deadline_and_escalation_on_overdue(
        world, django_capture_on_commit_callbacks):
    p = reach(world, S.HANDLING)
    lead = p.assignments.get(role="lead")
    with django_capture_on_commit_callbacks(execute=True):  # units are told after the commit
        counts = run_reminders(today=lead.due_date - dt.timedelta(days=1))
    assert counts["reminded"] >= 1
    assert Notification.objects.filter(recipient=world.users["clerk_a"],
                                       title__contains=lead.due_date.isoformat()).exists()
    Assignment.objects.filter(pk=lead.pk).update(due_date=dt.date(2026, 1, 5))
    before = Notification.objects.filter(recipient=world.users["staff"]).count()
    with django_capture_on_commit_callbacks(execute=True):
        counts = run_reminders()
    assert counts["overdue"] >= 1
    assert Notification.objects.filter(recipient=world.users["staff"]).count() > before
    again = run_reminders()
    assert again["overdue"] == 0


def test_remind_command_runs(world):
    from django.core.management import call_command
    out = io.StringIO()
    call_command("proposals", "remind", "--now", stdout=out)
    assert "overdue=" in out.getvalue()


def test_feedback_period_closes_by_the_daily_task(world):
    p = reach(world, S.REPLIED)
    Proposal.objects.filter(pk=p.pk).update(feedback_due=dt.date(2026, 1, 1))
    run_reminders()
    assert Proposal.objects.get(pk=p.pk).status == S.CLOSED


def test_api_walks_submit_to_file(world, client):
    import json

    from xieshang.core.models import ApiToken
    _t, key = ApiToken.issue(world.users["member"], "m")
    h = {"Authorization": f"Bearer {key}"}
    r = client.post("/api/v1/proposals/", json.dumps({
        "title": "关于加快物流体系建设的建议", "category_id": world.category.pk, "body": BODY}),
        content_type="application/json", headers=h)
    assert r.status_code == 201, r.content
    pk, v = r.json()["id"], r.json()["version"]
    r = client.post(f"/api/v1/proposals/{pk}/actions/submit", json.dumps({"version": v}),
                    content_type="application/json", headers=h)
    assert r.json()["status"] == "submitted"
    _t, skey = ApiToken.issue(world.users["staff"], "s")
    sh = {"Authorization": f"Bearer {skey}"}
    for action in ("start_review", "pass_round", "file"):
        v = client.get(f"/api/v1/proposals/{pk}", headers=sh).json()["version"]
        r = client.post(f"/api/v1/proposals/{pk}/actions/{action}", json.dumps({"version": v}),
                        content_type="application/json", headers=sh)
        assert r.status_code == 200, r.content
    assert r.json()["number"] == "第001号"
    r = client.get("/api/v1/proposals/", {"worklist": "to_assign"}, headers=sh)
    assert r.json()["count"] == 1


def test_similarity_finds_a_rewording_and_ignores_other_topics(world):
    from tests.proposals.factories import S, reach
    from xieshang.proposals import selectors

    earlier = reach(world, S.FILED, title="关于加强农村饮水安全保障的建议")
    reach(world, S.FILED, title="关于规范城区停车秩序的建议",
          body="城区停车位严重不足，建议建设立体停车场，规范路边停车收费。")
    found = selectors.similar_proposals(world.actor("staff"),
                                        "关于强化乡村饮用水安全保障的提议 " + earlier.body)
    assert [p.pk for p, _score in found][:1] == [earlier.pk]
    assert all(p.title != "关于规范城区停车秩序的建议" or score < found[0][1]
               for p, score in found)


def test_a_proposal_added_after_the_fit_is_found_without_refitting(world, monkeypatch):
    """The fitted model is kept for REFIT_SECONDS while proposals change; one submitted since
    is scored directly, so a fresh duplicate is found at review."""
    from tests.proposals.factories import S, reach
    from xieshang.proposals import selectors, similar

    reach(world, S.FILED, title="关于规范城区停车秩序的建议",
          body="城区停车位严重不足，建议建设立体停车场，规范路边停车收费。")
    model = selectors._similarity_model(world.committee.pk)[0]
    added = reach(world, S.SUBMITTED, title="关于加强农村饮水安全保障的建议")
    fitted, _ids, fresh = selectors._similarity_model(world.committee.pk)
    assert fitted is model and [pk for pk, _t in fresh] == [added.pk]
    found = selectors.similar_proposals(world.actor("staff"),
                                        "关于强化乡村饮用水安全保障的提议 " + added.body)
    assert [p.pk for p, _score in found][:1] == [added.pk]
    # Once the model is old enough, the next change refits it (and the new one is in it).
    monkeypatch.setattr(similar, "REFIT_SECONDS", 0)
    reach(world, S.SUBMITTED, title="关于改善校园周边交通的建议")
    refitted, ids, fresh = selectors._similarity_model(world.committee.pk)
    assert refitted is not model and added.pk in ids and fresh == []


def test_without_a_fitted_model_the_page_queues_a_fit_and_says_so(world, client, monkeypatch):
    """The fit (seconds of CPU on a county's archive) never runs in the request: with a real
    queue the page shows that similar proposals are being computed, and the worker's fit
    then serves every web process from the model file."""
    from xieshang.proposals import similar

    reach(world, S.FILED)
    p = reach(world, S.UNDER_REVIEW, title="关于加强农村饮水安全保障工作的建议")
    from types import SimpleNamespace

    queued: list[int] = []
    real_task = similar.fit_task
    monkeypatch.setattr(similar, "fit_task", SimpleNamespace(enqueue=queued.append))
    client.force_login(world.users["staff"])
    html = client.get(f"/proposals/{p.pk}/").content.decode()
    assert queued == [world.committee.pk] and 'data-testid="similar-pending"' in html
    client.get(f"/proposals/{p.pk}/")
    assert queued == [world.committee.pk]  # queued once, not once per view
    real_task.call(world.committee.pk)  # what the worker does
    similar.forget()
    html = client.get(f"/proposals/{p.pk}/").content.decode()
    assert 'data-testid="similar"' in html and similar._path(world.committee.pk).exists()


def test_an_unreadable_model_file_is_refitted_not_an_error(world, client):
    from xieshang.proposals import similar

    reach(world, S.FILED)
    p = reach(world, S.UNDER_REVIEW, title="关于加强农村饮水安全保障工作的建议")
    similar.MODEL_DIR.mkdir(parents=True, exist_ok=True)
    similar._path(world.committee.pk).write_bytes(b"not a pickle")
    client.force_login(world.users["staff"])
    response = client.get(f"/proposals/{p.pk}/")
    assert response.status_code == 200 and 'data-testid="similar"' in response.content.decode()


def test_similar_fit_command_fits_ahead_and_refuses_an_unknown_committee(world, capsys):
    from django.core.management import CommandError, call_command

    from xieshang.proposals import similar

    reach(world, S.FILED)
    call_command("text", "similar-fit", "--committee", world.committee.code)
    assert f"{world.committee.code}: 1 proposals" in capsys.readouterr().out
    assert similar._path(world.committee.pk).exists()
    with pytest.raises(CommandError, match="unknown committee"):
        call_command("text", "similar-fit", "--committee", "no-such-code")


def test_the_co_proposer_picker_finds_members_by_sector_and_workplace(client, county):
    """The picker's options carry the words a member is found by (the search runs on the
    device, app.js); each choice names the sector, so two 张伟 can be told apart."""
    from tests.factories import MemberFactory, SectorFactory
    from tests.proposals.factories import build_world

    w = build_world(county)
    sector = SectorFactory(committee=county, name="教育界")
    MemberFactory(committee=county, name="张伟", sector=sector, workplace="清河县第一中学校长")
    client.force_login(w.users["member"])
    html = client.get("/proposals/new/").content.decode()
    assert 'data-picker=""' in html
    assert 'data-search="zw zhangwei 教育界 清河县第一中学校长">张伟 · 教育界</option>' in html
