"""Terms (届) and sessions (次会议): create and edit, with Chinese validation messages."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories import SessionFactory
from xieshang.core.models import AuditLog, Session, Term

pytestmark = pytest.mark.django_db


@pytest.fixture
def term(county):
    return Term.objects.get(committee=county, number=14)


def test_terms_and_sessions_are_listed_with_chinese_labels(client, term, admin_user):
    SessionFactory(term=term, number=2, start_date=dt.date(2023, 1, 8),
                   end_date=dt.date(2023, 1, 11))
    client.force_login(admin_user)
    body = client.get(reverse("manage-terms")).content.decode()
    assert "第十四届" in body and "十四届二次会议" in body


def test_create_a_term(client, county, term, admin_user):
    term.end_date = dt.date(2026, 12, 31)
    term.save()
    client.force_login(admin_user)
    response = client.post(reverse("manage-term-create"),
                           {"number": 15, "start_date": "2027-01-10", "end_date": ""})
    assert response.status_code == 302
    new = Term.objects.get(committee=county, number=15)
    assert new.label == "十五" and new.end_date is None
    assert AuditLog.objects.filter(action="term.create", object_id=str(new.pk)).exists()


def test_duplicate_term_number_is_refused_in_chinese(client, county, term, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("manage-term-create"),
                           {"number": 14, "start_date": "2030-01-01"})
    assert "本政协已有第十四届" in response.content.decode()
    assert Term.objects.filter(committee=county).count() == 1


def test_term_dates_are_checked(client, county, term, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("manage-term-create"), {
        "number": 15, "start_date": "2027-05-01", "end_date": "2027-01-01"})
    assert "结束日期早于开始日期" in response.content.decode()
    response = client.post(reverse("manage-term-create"), {
        "number": 15, "start_date": "2026-06-01", "end_date": ""})
    assert "与第十四届" in response.content.decode()
    assert not Term.objects.filter(committee=county, number=15).exists()


def test_same_number_in_another_county_is_fine(client, county, other_county, admin_user):
    client.force_login(admin_user)
    Term.objects.filter(committee=county).delete()
    response = client.post(reverse("manage-term-create"),
                           {"number": 14, "start_date": "2022-01-01"})
    assert response.status_code == 302


def test_edit_a_term(client, term, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("manage-term-edit", args=[term.pk]), {
        "number": 14, "start_date": "2022-01-01", "end_date": "2027-01-20"})
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.end_date == dt.date(2027, 1, 20)
    row = AuditLog.objects.get(action="term.update")
    assert row.before == {"end_date": "2026-12-31"} and row.after == {"end_date": "2027-01-20"}


def test_term_cannot_shrink_past_its_sessions(client, term, admin_user):
    SessionFactory(term=term, number=5, start_date=dt.date(2026, 1, 5),
                   end_date=dt.date(2026, 1, 8))
    client.force_login(admin_user)
    response = client.post(reverse("manage-term-edit", args=[term.pk]), {
        "number": 14, "start_date": "2022-01-01", "end_date": "2025-12-31"})
    assert "十四届五次会议" in response.content.decode()
    term.refresh_from_db()
    assert term.end_date == dt.date(2026, 12, 31)


def test_create_a_session(client, county, term, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("manage-session-create", args=[term.pk]), {
        "number": 2, "start_date": "2023-01-08", "end_date": "2023-01-11",
        "proposal_window_start": "2022-10-08"})
    assert response.status_code == 302
    session = Session.objects.get(term=term, number=2)
    assert session.committee == county and session.label == "十四届二次会议"
    assert AuditLog.objects.filter(action="session.create").exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"number": 1, "start_date": "2022-01-10", "end_date": "2022-01-13"}, "第十四届已有第1次会议"),
    ({"number": 3, "start_date": "2024-01-10", "end_date": "2024-01-08"}, "闭幕日期早于开幕日期"),
    ({"number": 3, "start_date": "2021-01-10", "end_date": "2021-01-13"},
     "开幕日期早于本届开始日期"),
    ({"number": 3, "start_date": "2026-12-30", "end_date": "2027-01-03"},
     "闭幕日期晚于本届结束日期"),
    ({"number": 3, "start_date": "2024-01-10", "end_date": "2024-01-13",
      "proposal_window_start": "2024-02-01"}, "不能晚于闭幕日期"),
    ({"number": "", "start_date": "2024-01-10", "end_date": "2024-01-13"}, "必填"),
])
def test_session_validation_is_in_chinese_and_saves_nothing(client, term, admin_user, data,
                                                            message):
    SessionFactory(term=term, number=1)
    client.force_login(admin_user)
    response = client.post(reverse("manage-session-create", args=[term.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Session.objects.filter(term=term).count() == 1


def test_edit_a_session(client, term, admin_user):
    session = SessionFactory(term=term, number=1)
    client.force_login(admin_user)
    response = client.post(reverse("manage-session-edit", args=[session.pk]), {
        "number": 1, "start_date": "2022-01-11", "end_date": "2022-01-14"})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.start_date == dt.date(2022, 1, 11)
    assert AuditLog.objects.filter(action="session.update").exists()
