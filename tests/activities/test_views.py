import datetime as dt
import io
import re

import docx
import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from tests.activities.factories import at, invite, make_activity, member_with_login, started
from tests.factories import HandlingUnitFactory, MemberFactory, user_with_role
from xieshang.activities import services
from xieshang.activities.models import Activity, Invitation, QrRedemption, Suggestion
from xieshang.core.models import AuditLog, Role
from xieshang.core.permissions import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_staff_see_the_list_calendar_and_filters(staff_client, county):
    make_activity(county, "forum", title="委员座谈会一", start=timezone.now())
    make_activity(county, "seminar", title="专题研讨会二", start=timezone.now())
    r = staff_client.get(reverse("activities:list"))
    assert r.status_code == 200
    body = r.content.decode()
    assert "委员座谈会一" in body and "专题研讨会二" in body and "xs-cal" in body
    r = staff_client.get(reverse("activities:list"), {"type": "seminar", "month": "bad"})
    assert "专题研讨会二" in r.content.decode().split("<h2>")[-1]
    assert "委员座谈会一" not in r.content.decode().split("<h2>")[-1]


def test_members_see_only_their_activities(client, county):
    user, member, _ = member_with_login(county)
    mine = make_activity(county, "forum", title="我的座谈会", start=timezone.now())
    make_activity(county, "forum", title="别人的座谈会", start=timezone.now())
    invite(mine, member)
    client.force_login(user)
    body = client.get(reverse("activities:list")).content.decode()
    assert "我的座谈会" in body and "别人的座谈会" not in body


def test_member_not_invited_cannot_open_the_activity(client, county):
    user, _member, _ = member_with_login(county)
    activity = make_activity(county)
    client.force_login(user)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404


def test_staff_of_another_committee_get_404(client, county, other_county):
    activity = make_activity(county)
    client.force_login(user_with_role(other_county, Role.STAFF_OFFICE))
    for name in ("detail", "edit", "invite", "qr", "notice", "sign-in-sheet"):
        assert client.get(reverse(f"activities:{name}", args=[activity.pk])).status_code == 404
    assert client.post(reverse("activities:status", args=[activity.pk]),
                       {"status": "held"}).status_code == 404
    activity.refresh_from_db()
    assert activity.status == "planned"


def test_create_form_makes_an_activity_with_typed_details(staff_client, county):
    types = services.activity_types_ensure(county)
    unit = HandlingUnitFactory(committee=county)
    r = staff_client.post(reverse("activities:create"), {
        "type": types["democratic_supervision"].pk, "title": "民主监督：营商环境",
        "start": "2026-12-03T09:00", "end": "2026-12-03T11:00", "place": "县政府",
        "organiser": "office", "units": [unit.pk],
        "d_supervision_follow_up_on": "2027-03-01", "d_learning_lecturer": "ignored",
    })
    assert r.status_code == 302, r.content.decode()[:2000]
    a = Activity.objects.get(title="民主监督：营商环境")
    assert a.details == {"follow_up_on": "2027-03-01"} and list(a.units.all()) == [unit]


def test_create_form_shows_errors_not_500(staff_client, county):
    types = services.activity_types_ensure(county)
    r = staff_client.post(reverse("activities:create"), {
        "type": types["counterpart_consultation"].pk, "title": "对口协商",
        "start": "2026-12-03T09:00", "organiser": "office"})
    assert r.status_code == 200
    assert "至少" in r.content.decode() or "department" in r.content.decode()
    assert not Activity.objects.exists()


def test_member_cannot_open_staff_forms(client, county):
    user, member, _ = member_with_login(county)
    activity = make_activity(county)
    invite(activity, member)
    client.force_login(user)
    for name in ("edit", "invite", "qr", "notice", "sign-in-sheet"):
        assert client.get(reverse(f"activities:{name}", args=[activity.pk])).status_code == 403
    assert client.get(reverse("activities:create")).status_code == 403
    assert client.get(reverse("activities:leave-requests")).status_code == 403
    assert client.post(reverse("activities:attendance", args=[activity.pk]),
                       {f"att_{activity.invitations.get().pk}": "attended"}).status_code == 403


def test_member_replies_on_the_invitations_page(client, county, staff):
    user, member, _ = member_with_login(county)
    activity = make_activity(county, title="常委会专题协商")
    [inv] = invite(activity, member)
    client.force_login(user)
    page = client.get(reverse("activities:my-invitations")).content.decode()
    assert "常委会专题协商" in page and 'name="reason"' in page
    leave = reverse("activities:invitation-act", args=[inv.pk, "request_leave"])
    r = client.post(leave, {"version": inv.version, "reason": ""})
    assert r.status_code == 302
    inv.refresh_from_db()
    assert inv.status == "invited"
    client.post(leave, {"version": inv.version, "reason": "外出开会"})
    inv.refresh_from_db()
    assert inv.status == "leave_requested"
    client.force_login(staff)
    assert "外出开会" in client.get(reverse("activities:leave-requests")).content.decode()
    client.post(reverse("activities:invitation-act", args=[inv.pk, "approve_leave"]),
                {"version": inv.version})
    inv.refresh_from_db()
    assert inv.status == "leave_approved"


def test_staff_record_attendance_on_the_page(staff_client, county):
    members = MemberFactory.create_batch(2, committee=county)
    activity = make_activity(county, start=started())
    a, b = invite(activity, *members)
    staff_client.post(reverse("activities:attendance", args=[activity.pk]),
                      {f"att_{a.pk}": "attended", f"att_{b.pk}": "absent"})
    assert dict(activity.invitations.values_list("pk", "attendance")) == {
        a.pk: "attended", b.pk: "absent"}


def test_attendance_of_another_activity_cannot_be_smuggled_in(staff_client, county):
    m = MemberFactory(committee=county)
    mine, other = make_activity(county), make_activity(county)
    [foreign] = invite(other, m)
    staff_client.post(reverse("activities:attendance", args=[mine.pk]),
                      {f"att_{foreign.pk}": "attended"})
    foreign.refresh_from_db()
    assert foreign.attendance == ""


def test_qr_pages_sign_a_member_in(client, county, staff):
    activity = make_activity(county, start=timezone.now())
    user, member, _ = member_with_login(county)
    invite(activity, member)
    client.force_login(staff)
    page = client.get(reverse("activities:qr", args=[activity.pk])).content.decode()
    assert "<svg" in page
    url = re.search(r'data-testid="qr-link" href="([^"]+)"', page).group(1)
    assert client.get(reverse("activities:qr-code", args=[activity.pk])).status_code == 200
    client.force_login(user)
    assert client.get(url).status_code == 200
    r = client.post(url)
    assert r.status_code == 200 and 'data-testid="signed-in"' in r.content.decode()
    assert Invitation.objects.get(member=member).attendance == "attended"


def _calm_already(r, invitation) -> None:
    """The page of a second scan: the time of the first, as information, and no refusal."""
    page = r.content.decode()
    assert r.status_code == 200 and 'data-testid="already-signed-in"' in page
    when = timezone.localtime(invitation.signed_in_at).strftime("%H:%M")
    assert f"您已于 {when} 签到，无需重复签到" in page
    assert 'data-testid="refused"' not in page and "未成功" not in page
    assert "errors" not in re.search(r'<p[^>]*already-signed-in[^>]*>', page).group(0)
    assert "Sign in now" not in page and "立即签到" not in page


def test_a_second_scan_after_signing_in_is_a_calm_confirmation(client, county, staff):
    activity = make_activity(county, start=timezone.now())
    user, member, _ = member_with_login(county)
    invite(activity, member)
    _w, token = services.qr_window_open(actor=actor_for(staff, county), activity=activity)
    url = reverse("activities:qr-sign-in", args=[token])
    client.force_login(user)
    client.post(url)
    invitation = Invitation.objects.get(member=member)
    writes = (QrRedemption.objects.count(), AuditLog.objects.count())
    _calm_already(client.post(url), invitation)   # the same code, scanned again
    _calm_already(client.get(url), invitation)
    _w, fresh = services.qr_window_open(actor=actor_for(staff, county), activity=activity)
    writes = (writes[0], AuditLog.objects.count())
    fresh_url = reverse("activities:qr-sign-in", args=[fresh])
    _calm_already(client.get(fresh_url), invitation)  # the next minute's code
    _calm_already(client.post(fresh_url), invitation)
    assert (QrRedemption.objects.count(), AuditLog.objects.count()) == writes
    again = Invitation.objects.get(member=member)
    assert (again.attendance, again.signed_in_at) == ("attended", invitation.signed_in_at)
    services.qr_windows_close(actor=actor_for(staff, county), activity=activity)
    _calm_already(client.get(url), invitation)  # the link opened again after sign-in closed
    client.force_login(user_with_role(county, Role.MEMBER, member=MemberFactory(committee=county)))
    assert client.get(url).status_code == 403  # anyone else still meets the refusal


def test_not_invited_member_sees_a_clear_refusal(client, county, staff):
    activity = make_activity(county, start=timezone.now())
    _w, token = services.qr_window_open(actor=actor_for(staff, county), activity=activity)
    user, _member, _ = member_with_login(county)
    client.force_login(user)
    r = client.post(reverse("activities:qr-sign-in", args=[token]))
    assert r.status_code == 403
    assert activity.title in r.content.decode()


def test_notice_and_sign_in_sheet_open_in_word(staff_client, county):
    activity = make_activity(county, "thematic_consultation", title="专题协商会",
                             place="县政协三楼会议室", start=started())
    a = MemberFactory(committee=county, name="王委员")
    b = MemberFactory(committee=county, name="赵委员")
    inv_a, _ = invite(activity, a, b)
    services.attendance_record(actor=actor_for(staff_client.session and
                                               user_with_role(county, Role.STAFF_OFFICE),
                                               county),
                               invitation=inv_a, attendance="late")
    r = staff_client.get(reverse("activities:notice", args=[activity.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(r.content)).paragraphs)
    assert "专题协商会" in text and "县政协三楼会议室" in text and "王委员" in text
    r = staff_client.get(reverse("activities:sign-in-sheet", args=[activity.pk]))
    table = docx.Document(io.BytesIO(r.content)).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert len(rows) == 3 and rows[1][1] == "王委员" and rows[2][1] == "赵委员"
    assert rows[1][3]  # late is marked


def test_excel_exports(staff_client, county):
    make_activity(county, "forum", title="导出测试", start=at(2025, 3, 1), status="held")
    r = staff_client.get(reverse("activities:export"), {"from": "2025-01-01",
                                                        "to": "2025-12-31"})
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in ws[2]][1] == "导出测试"
    activity = Activity.objects.get()
    services.suggestion_record(actor=actor_for(user_with_role(county, Role.STAFF_OFFICE),
                                               county), activity=activity, text="台账导出建议")
    r = staff_client.get(reverse("activities:ledger-export"))
    ws = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row == 2 and ws.cell(2, 3).value == "台账导出建议"


def test_ledger_page_walks_an_item_to_adoption(staff_client, county):
    activity = make_activity(county, "inspection", status="held")
    unit = HandlingUnitFactory(committee=county)
    staff_client.post(reverse("activities:suggestion-add", args=[activity.pk]),
                      {"text": "视察建议一", "recipient_unit": unit.pk})
    s = Suggestion.objects.get()
    base = "activities:suggestion-action"
    staff_client.post(reverse(base, args=[s.pk, "send"]), {
        "version": 0, "recipient_unit_id": unit.pk, "sent_on": "2026-11-02"})
    page = staff_client.get(reverse("activities:ledger")).content.decode()
    assert "视察建议一" in page and "2026" in page
    staff_client.post(reverse(base, args=[s.pk, "answer"]), {"version": 1, "feedback": "已落实"})
    staff_client.post(reverse(base, args=[s.pk, "assess"]), {"version": 2, "adoption": "adopted"})
    s.refresh_from_db()
    assert (s.status, s.adoption) == ("closed", "adopted")
    r = staff_client.post(reverse(base, args=[s.pk, "send"]),
                          {"version": 3, "recipient_unit_id": unit.pk})
    assert r.status_code == 302  # refused with a message, no error page


def test_plan_and_learning_pages(staff_client, county):
    r = staff_client.post(reverse("activities:plan"), {"year": "2026", "title": ""})
    assert r.status_code == 302
    page = staff_client.get(reverse("activities:plan"), {"year": "2026"}).content.decode()
    assert 'data-testid="plan-progress"' in page
    r = staff_client.post(reverse("activities:learning"), {"title": "学习材料一", "text": "正文",
                                                          "audience": "all"})
    assert r.status_code == 302
    page = staff_client.get(reverse("activities:learning")).content.decode()
    assert "学习材料一" in page and 'data-testid="coverage-year"' in page


def test_member_reads_a_material(client, county, staff):
    material = services.material_create(actor=actor_for(staff, county), committee=county,
                                        title="政协章程", text="全文")
    user, member, _ = member_with_login(county)
    client.force_login(user)
    page = client.get(reverse("activities:material", args=[material.pk])).content.decode()
    opened = re.search(r'name="opened" value="([^"]+)"', page).group(1)
    client.post(reverse("activities:material-read", args=[material.pk]), {"opened": opened})
    record = material.readings.get(member=member)
    assert record.marked_read
    client.force_login(staff)
    assert member.name in client.get(reverse("activities:material",
                                             args=[material.pk])).content.decode()


def test_worklist_cards_count(client, county, staff):
    from xieshang.core.worklist import worklist_for

    user, member, actor = member_with_login(county)
    invite(make_activity(county), member)
    cards = {c["label"]: c["count"] for c in worklist_for(actor)}
    assert 1 in cards.values()
    [inv] = Invitation.objects.all()
    services.invitation_reply(actor=actor, invitation=inv, action="request_leave", reason="病")
    staff_cards = {c["url"]: c["count"] for c in worklist_for(actor_for(staff, county))}
    assert staff_cards[reverse("activities:leave-requests")] == 1
    assert dt.date.today()
