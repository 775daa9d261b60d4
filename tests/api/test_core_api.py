"""/api/v1/core/: who am I, terms and sessions, deadlines, notifications, API tokens."""

import datetime as dt

import pytest
from django.test import Client

from tests.api.conftest import bearer
from tests.factories import NotificationFactory, SessionFactory, TermFactory, UserFactory
from xieshang.core.models import ApiToken, AuditLog, CalendarYear, Notification
from xieshang.core.tokens import MAX_ACTIVE_TOKENS

pytestmark = pytest.mark.django_db


def test_me_names_the_user_committee_and_roles(client, county, member_user):
    client.force_login(member_user)
    body = client.get("/api/v1/core/me").json()
    assert body["username"] == member_user.username
    assert body["committee"] == {"id": county.pk, "code": "county-a", "name": "示范县政协",
                                 "short_name": "示范县政协", "level": "county",
                                 "parent_code": "city"}
    assert body["roles"] == [{"code": "member", "label": "委员"}]
    assert body["member_id"] is not None


# --- terms and sessions ------------------------------------------------------------------------

def test_terms_and_sessions_are_those_of_the_acting_committee(client, county, other_county,
                                                             staff, frozen_clock):
    term = TermFactory(committee=county)
    session = SessionFactory(term=term)
    SessionFactory(term=TermFactory(committee=other_county), number=2)
    client.force_login(staff)
    terms = client.get("/api/v1/core/terms").json()["items"]
    assert [(t["id"], t["label"], t["is_current"]) for t in terms] == [(term.pk, "十四", True)]
    sessions = client.get(f"/api/v1/core/sessions?term={term.pk}").json()["items"]
    assert [(s["id"], s["label"]) for s in sessions] == [(session.pk, "十四届一次会议")]
    assert client.get("/api/v1/core/sessions").json()["count"] == 1


def test_other_committees_sessions_and_terms_are_not_found(client, other_county, staff):
    foreign_term = TermFactory(committee=other_county)
    foreign = SessionFactory(term=foreign_term)
    client.force_login(staff)
    assert client.get(f"/api/v1/core/sessions/{foreign.pk}").status_code == 404
    assert client.get(f"/api/v1/core/sessions?term={foreign_term.pk}").status_code == 404


# --- deadlines ---------------------------------------------------------------------------------

def test_deadline_skips_weekends_and_warns_for_a_year_without_holiday_data(client, staff):
    CalendarYear.objects.filter(year=2027).delete()
    client.force_login(staff)
    body = client.get("/api/v1/core/calendar/deadline?start=2027-03-05&working_days=1").json()
    assert body["date"] == "2027-03-08"  # Friday + 1 working day = Monday
    assert body["uncertain"] is True and "2027" in body["warnings"][0]


def test_deadline_in_months_moves_on_to_a_working_day(client, staff):
    client.force_login(staff)
    # 2026-08-30 is a Sunday with no holiday entry: the deadline moves to Monday.
    body = client.get("/api/v1/core/calendar/deadline?start=2026-06-30&months=2").json()
    assert body["date"] == "2026-08-31"


def test_deadline_honours_make_up_working_days(client, staff):
    client.force_login(staff)
    # 2026-02-28 is a Saturday, but a make-up working day after the Spring Festival.
    body = client.get("/api/v1/core/calendar/deadline?start=2026-01-28&months=1").json()
    assert body["date"] == "2026-02-28" and body["warnings"] == []


def test_deadline_needs_exactly_one_of_working_days_and_months(client, staff):
    client.force_login(staff)
    for query in ("start=2026-01-05", "start=2026-01-05&working_days=3&months=1"):
        response = client.get(f"/api/v1/core/calendar/deadline?{query}")
        assert response.status_code == 422 and response.json()["message"]


def test_deadline_rejects_a_bad_date_in_chinese(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/core/calendar/deadline?start=2026-13-01&working_days=3")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"
    assert "YYYY-MM-DD" in response.json()["errors"][0]["message"]


# --- notifications -----------------------------------------------------------------------------

def test_notifications_are_the_users_own_newest_first(client, county, staff):
    older = NotificationFactory(committee=county, recipient=staff, title="旧")
    newer = NotificationFactory(committee=county, recipient=staff, title="新")
    NotificationFactory(committee=county, title="别人的")
    client.force_login(staff)
    body = client.get("/api/v1/core/notifications").json()
    assert [n["id"] for n in body["items"]] == [newer.pk, older.pk]
    assert body["items"][0]["committee_code"] == "county-a"


def test_unread_filter(client, county, staff):
    read = NotificationFactory(committee=county, recipient=staff)
    unread = NotificationFactory(committee=county, recipient=staff)
    Notification.objects.filter(pk=read.pk).update(read_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client.force_login(staff)
    assert [n["id"] for n in client.get("/api/v1/core/notifications?unread=true").json()["items"]
            ] == [unread.pk]
    assert [n["id"] for n in client.get("/api/v1/core/notifications?unread=false").json()["items"]
            ] == [read.pk]


def test_marking_a_notification_read(client, county, staff):
    note = NotificationFactory(committee=county, recipient=staff)
    client.force_login(staff)
    response = client.post(f"/api/v1/core/notifications/{note.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_not_found_and_stays_unread(client, county, staff):
    other = NotificationFactory(committee=county)
    client.force_login(staff)
    assert client.post(f"/api/v1/core/notifications/{other.pk}/read").status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_read_all_marks_only_the_users_own(client, county, staff):
    NotificationFactory.create_batch(3, committee=county, recipient=staff)
    other = NotificationFactory(committee=county)
    client.force_login(staff)
    assert client.post("/api/v1/core/notifications/read-all").json() == {"updated": 3}
    assert not Notification.objects.filter(recipient=staff, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


# --- API tokens through the API ----------------------------------------------------------------

def test_issuing_a_token_shows_the_key_once_and_the_key_works(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data={"name": "名册同步"},
                           content_type="application/json")
    assert response.status_code == 201
    key = response.json()["key"]
    assert key.startswith("xs_") and response.json()["token"]["prefix"] == key[:8]
    listed = client.get("/api/v1/core/tokens").json()["items"]
    assert "key" not in listed[0] and key not in str(listed)
    assert ApiToken.objects.get().key_hash != key
    assert Client().get("/api/v1/core/me", headers=bearer(key)).json()["username"] == staff.username
    entry = AuditLog.objects.get(action="api_token.issue")
    assert entry.actor == staff and key not in str(entry.after)


def test_a_token_cannot_issue_tokens(client, staff, token_for):
    response = client.post("/api/v1/core/tokens", data={"name": "再来一个"},
                           content_type="application/json", headers=bearer(token_for(staff)))
    assert response.status_code == 403
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_revoking_a_token_stops_it_at_once(client, staff, token_for):
    key = token_for(staff)
    token = ApiToken.objects.get(user=staff)
    assert client.delete(f"/api/v1/core/tokens/{token.pk}", headers=bearer(key)).status_code == 204
    assert client.get("/api/v1/core/me", headers=bearer(key)).status_code == 401
    assert AuditLog.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_someone_elses_token_cannot_be_revoked(client, county, staff, token_for):
    victim = UserFactory()
    victim_key = token_for(victim)
    token = ApiToken.objects.get(user=victim)
    response = client.delete(f"/api/v1/core/tokens/{token.pk}", headers=bearer(token_for(staff)))
    assert response.status_code == 404
    assert client.get("/api/v1/core/me", headers=bearer(victim_key)).status_code == 200


def test_token_list_shows_only_own_tokens(client, staff, token_for):
    token_for(staff, "我的")
    token_for(UserFactory(), "别人的")
    client.force_login(staff)
    assert [t["name"] for t in client.get("/api/v1/core/tokens").json()["items"]] == ["我的"]


def test_duplicate_active_name_is_refused(client, staff, token_for):
    token_for(staff, "同步")
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data={"name": " 同步 "},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"


def test_number_of_active_tokens_is_limited(client, staff, token_for):
    for i in range(MAX_ACTIVE_TOKENS):
        token_for(staff, f"t{i}")
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data={"name": "one more"},
                           content_type="application/json")
    assert response.status_code == 400 and "撤销" in response.json()["message"]


def test_token_acts_with_the_roles_held_at_each_call(client, county, staff, token_for):
    key = token_for(staff)
    assert client.get("/api/v1/core/terms", headers=bearer(key)).status_code == 200
    staff.roles.update(is_active=False)
    assert client.get("/api/v1/core/terms", headers=bearer(key)).status_code == 403


# --- the API tokens page -----------------------------------------------------------------------

def test_tokens_page_needs_login(client):
    response = client.get("/account/api-tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_tokens_page_issues_a_token_and_shows_the_key_once(client, staff):
    client.force_login(staff)
    response = client.post("/account/api-tokens/", {"name": "报表脚本"})
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get(user=staff)
    key = html.split('data-testid="token-key" translate="no">')[1].split("<")[0]
    assert token.key_hash == ApiToken.hash_key(key)
    assert "只显示这一次" in html
    again = client.get("/account/api-tokens/").content.decode()
    assert "报表脚本" in again and key not in again


def test_tokens_page_shows_the_rule_refusal(client, staff, token_for):
    token_for(staff, "同步")
    client.force_login(staff)
    html = client.post("/account/api-tokens/", {"name": "同步"}).content.decode()
    assert "同名" in html
    assert ApiToken.objects.filter(user=staff).count() == 1


def test_tokens_page_revokes_own_token(client, staff, token_for):
    token_for(staff, "旧脚本")
    token = ApiToken.objects.get(user=staff)
    client.force_login(staff)
    response = client.post(f"/account/api-tokens/{token.pk}/revoke/", follow=True)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "已失效" in response.content.decode()


def test_tokens_page_cannot_revoke_someone_elses_token(client, staff, token_for):
    token_for(UserFactory(), "别人的")
    token = ApiToken.objects.get()
    client.force_login(staff)
    assert client.post(f"/account/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_user_menu_links_to_the_tokens_page(client, staff):
    client.force_login(staff)
    assert 'href="/account/api-tokens/"' in client.get("/").content.decode()

