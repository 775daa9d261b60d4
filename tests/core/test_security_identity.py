"""等保 身份鉴别: second factor, password expiry and history, idle timeout, single session."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from django.contrib.sessions.models import Session as DbSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from xieshang.core import mfa
from xieshang.core.middleware import MFA_VERIFIED_KEY
from xieshang.core.models import AuditLog, User
from xieshang.core.permissions import actor_for

pytestmark = pytest.mark.django_db
PASSWORD = "Passw0rd!x"


def enrol(user: User) -> str:
    """Turn TOTP on for the user directly; returns the secret."""
    secret = pyotp.random_base32()
    step = pyotp.TOTP(secret).timecode(timezone.now())
    # A code from two steps ago confirms enrolment, so that the current code is still fresh.
    codes = mfa.totp_enrol(user=user, secret=secret,
                           code=pyotp.TOTP(secret).generate_otp(step - 1))
    assert codes is not None
    user.refresh_from_db()
    user.enrol_codes = codes  # type: ignore[attr-defined]
    return secret


def password_login(client: Client, user: User, next_url: str = "") -> object:
    data = {"username": user.username, "password": PASSWORD}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, data)


def now_code(secret: str) -> str:
    return pyotp.TOTP(secret).now()


def wrong_code(secret: str) -> str:
    """Six digits that are not the code of any step the server accepts now."""
    totp = pyotp.TOTP(secret)
    step = totp.timecode(timezone.now())
    taken = {totp.generate_otp(s) for s in range(step - 2, step + 3)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in taken)


# --- second factor -------------------------------------------------------------------------

def test_password_alone_does_not_log_in_an_account_with_a_second_factor(client, staff):
    enrol(staff)
    response = password_login(client, staff)
    assert response.status_code == 302 and response.url == reverse("login-verify")
    # Going straight to a page skips nothing: the session is not logged in.
    home = client.get(reverse("home"))
    assert home.status_code == 302 and home.url.startswith(reverse("login"))
    assert not AuditLog.objects.filter(action="auth.login", object_id=str(staff.pk)).exists()


def test_right_code_after_password_logs_in_and_goes_to_next(client, staff):
    secret = enrol(staff)
    password_login(client, staff, next_url="/notifications/")
    response = client.post(reverse("login-verify"), {"code": now_code(secret)})
    assert response.status_code == 302 and response.url == "/notifications/"
    assert client.get(reverse("home")).status_code == 200
    assert AuditLog.objects.filter(action="auth.login", object_id=str(staff.pk)).exists()


def test_next_to_another_site_is_ignored_after_the_code(client, staff):
    secret = enrol(staff)
    password_login(client, staff, next_url="https://evil.example.com/")
    response = client.post(reverse("login-verify"), {"code": now_code(secret)})
    assert response.url == reverse("home")


def test_wrong_code_is_refused_with_a_message(client, staff):
    secret = enrol(staff)
    password_login(client, staff)
    response = client.post(reverse("login-verify"), {"code": wrong_code(secret)})
    assert response.status_code == 200
    assert "验证码错误" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302
    assert AuditLog.objects.filter(action="auth.mfa_failed", object_id=str(staff.pk)).exists()


def test_a_code_is_accepted_only_once(client, staff):
    secret = enrol(staff)
    code = now_code(secret)
    password_login(client, staff)
    assert client.post(reverse("login-verify"), {"code": code}).status_code == 302
    other = Client()
    password_login(other, staff)
    response = other.post(reverse("login-verify"), {"code": code})
    assert response.status_code == 200
    assert "已经用过" in response.content.decode()
    assert other.get(reverse("home")).status_code == 302


def test_wrong_codes_lock_the_account_even_if_the_password_is_entered_again(client, staff,
                                                                              settings):
    settings.LOCKOUT_THRESHOLD = 3
    secret = enrol(staff)
    for _i in range(3):
        password_login(client, staff)
        client.post(reverse("login-verify"), {"code": wrong_code(secret)})
    staff.refresh_from_db()
    assert staff.is_locked()
    # Locked: neither the password nor a right code gets in.
    response = password_login(client, staff)
    assert response.status_code == 200 and "锁定" in response.content.decode()
    assert mfa.totp_verify(user=staff, code=now_code(secret)) == mfa.Result.LOCKED


def test_code_step_expires(client, staff):
    secret = enrol(staff)
    password_login(client, staff)
    session = client.session
    pending = session["xieshang_mfa_pending"]
    pending["at"] -= 301
    session["xieshang_mfa_pending"] = pending
    session.save()
    response = client.post(reverse("login-verify"), {"code": now_code(secret)})
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_verify_page_without_a_password_first_sends_back_to_login(client):
    response = client.post(reverse("login-verify"), {"code": "123456"})
    assert response.status_code == 302 and response.url == reverse("login")


def test_recovery_code_works_once(client, staff):
    enrol(staff)
    code = staff.enrol_codes[0]
    password_login(client, staff)
    assert client.post(reverse("login-verify"), {"code": code}).status_code == 302
    staff.refresh_from_db()
    assert len(staff.totp_recovery_hashes) == mfa.RECOVERY_CODES - 1
    other = Client()
    password_login(other, staff)
    assert other.post(reverse("login-verify"), {"code": code}).status_code == 200


def test_session_made_without_the_code_step_is_ended(client, staff):
    """E.g. a login through another form (the Django admin's) that knows nothing of the code."""
    enrol(staff)
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_enrolment_page_shows_a_qr_code_and_confirms_with_a_code(client, staff):
    client.force_login(staff)
    page = client.get(reverse("mfa-setup"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    secret = client.session["xieshang_mfa_new_secret"]
    assert secret in body
    wrong = client.post(reverse("mfa-setup"), {"action": "enrol", "code": wrong_code(secret)})
    assert wrong.status_code == 200
    staff.refresh_from_db()
    assert not staff.has_totp
    right = client.post(reverse("mfa-setup"), {"action": "enrol", "code": now_code(secret)})
    assert right.status_code == 200
    assert "no-store" in right["Cache-Control"]
    assert right.content.decode().count("<li><code translate=\"no\">") == mfa.RECOVERY_CODES
    staff.refresh_from_db()
    assert staff.has_totp and staff.totp_secret == secret
    # Still logged in: enrolment proved the code.
    assert client.get(reverse("home")).status_code == 200
    assert AuditLog.objects.filter(action="user.mfa_enrol", object_id=str(staff.pk)).exists()


def test_totp_secret_is_encrypted_in_the_database(staff):
    from django.db import connection

    secret = enrol(staff)
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM core_user WHERE id = %s", [staff.pk])
        stored = cursor.fetchone()[0]
    assert secret not in stored and stored.startswith("gAAAAA")


def test_required_second_factor_sends_staff_to_enrol(client, staff, settings):
    settings.MFA_REQUIRED = True
    client.force_login(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("mfa-setup")
    assert client.get(reverse("mfa-setup")).status_code == 200


def test_required_second_factor_does_not_apply_to_members(client, member_user, settings):
    settings.MFA_REQUIRED = True
    client.force_login(member_user)
    assert client.get(reverse("home")).status_code == 200


def test_committee_policy_can_require_the_second_factor(client, county, staff):
    county.policy = {"mfa_required": True}
    county.save()
    client.force_login(staff)
    assert client.get(reverse("home")).url == reverse("mfa-setup")


def test_required_second_factor_cannot_be_turned_off(client, county, staff):
    secret = enrol(staff)
    county.policy = {"mfa_required": True}
    county.save()
    password_login(client, staff)
    client.post(reverse("login-verify"), {"code": now_code(secret)})
    response = client.post(reverse("mfa-setup"), {"action": "disable", "code": "123456"})
    assert response.status_code == 403
    staff.refresh_from_db()
    assert staff.has_totp


def test_optional_second_factor_is_turned_off_with_a_code(client, staff):
    secret = enrol(staff)
    password_login(client, staff)
    client.post(reverse("login-verify"), {"code": now_code(secret)})
    refused = client.post(reverse("mfa-setup"), {"action": "disable",
                                                 "code": wrong_code(secret)})
    assert refused.status_code == 200
    staff.refresh_from_db()
    assert staff.has_totp
    step = pyotp.TOTP(secret).timecode(timezone.now()) + 1
    client.post(reverse("mfa-setup"),
                {"action": "disable", "code": pyotp.TOTP(secret).generate_otp(step)})
    staff.refresh_from_db()
    assert not staff.has_totp


def test_admin_resets_a_lost_second_factor(client, county, admin_user, staff):
    enrol(staff)
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-mfa-reset", args=[staff.pk]))
    assert response.status_code == 302
    staff.refresh_from_db()
    assert not staff.has_totp and staff.totp_recovery_hashes == []
    assert AuditLog.objects.filter(action="user.mfa_reset", object_id=str(staff.pk)).exists()


def test_staff_cannot_reset_someone_elses_second_factor(client, county, staff, make_user):
    other = make_user(county, "staff_proposal")
    enrol(other)
    client.force_login(staff)
    response = client.post(reverse("manage-user-mfa-reset", args=[other.pk]))
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.has_totp


def test_admin_of_another_committee_cannot_reset(client, county, other_county, staff,
                                                 make_user):
    enrol(staff)
    foreign_admin = make_user(other_county, "admin")
    client.force_login(foreign_admin)
    assert client.post(reverse("manage-user-mfa-reset", args=[staff.pk])).status_code == 404
    staff.refresh_from_db()
    assert staff.has_totp


# --- passwords -------------------------------------------------------------------------------

def test_expired_staff_password_must_be_changed_first(client, staff, settings):
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 90
    User.objects.filter(pk=staff.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=91))
    password_login(client, staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200
    done = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "Fresh2026pass",
        "new_password2": "Fresh2026pass"})
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditLog.objects.filter(action="user.password_change",
                                   object_id=str(staff.pk)).exists()


def test_member_password_does_not_expire_by_default(client, member_user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 0
    User.objects.filter(pk=member_user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=400))
    client.force_login(member_user)
    assert client.get(reverse("home")).status_code == 200


def test_member_password_expires_when_configured(client, member_user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 180
    User.objects.filter(pk=member_user.pk).update(
        password_changed_at=timezone.now() - dt.timedelta(days=181))
    client.force_login(member_user)
    assert client.get(reverse("home")).url == reverse("password_change")


def test_recent_passwords_cannot_be_reused(client, member_user, settings):
    settings.PASSWORD_HISTORY_COUNT = 3
    client.force_login(member_user)
    url = reverse("password_change")
    old = PASSWORD
    for new in ("Second2026a", "Third2026b"):
        assert client.post(url, {"old_password": old, "new_password1": new,
                                 "new_password2": new}).status_code == 302
        old = new
    for reused in (PASSWORD, "Second2026a", "Third2026b"):
        response = client.post(url, {"old_password": old, "new_password1": reused,
                                     "new_password2": reused})
        assert response.status_code == 200
        assert "最近用过" in response.content.decode()
    member_user.refresh_from_db()
    assert member_user.check_password("Third2026b")
    assert len(member_user.password_history) == 2


def test_admin_reset_also_refuses_a_recent_password(county, admin_user, staff, settings):
    from django.core.exceptions import ValidationError

    from xieshang.core import services

    settings.PASSWORD_HISTORY_COUNT = 5
    with pytest.raises(ValidationError):
        services.user_set_password(actor=actor_for(admin_user, county), user=staff,
                                   password=PASSWORD)


# --- sessions --------------------------------------------------------------------------------

def test_idle_session_ends(client, member_user):
    client.force_login(member_user)
    assert client.get(reverse("home")).status_code == 200
    key = client.session.session_key
    # The idle limit is the session's expiry, pushed forward by every request.
    row = DbSession.objects.get(session_key=key)
    assert row.expire_date <= timezone.now() + dt.timedelta(seconds=30 * 60 + 5)
    DbSession.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(reverse("home")).status_code == 302


def test_single_session_ends_the_older_login(county, member_user, settings):
    settings.SINGLE_SESSION = True
    first, second = Client(), Client()
    password_login(first, member_user)
    assert first.get(reverse("home")).status_code == 200
    password_login(second, member_user)
    assert second.get(reverse("home")).status_code == 200
    response = first.get(reverse("home"))
    assert response.status_code == 302
    assert first.get(reverse("home")).url.startswith(reverse("login"))
    assert second.get(reverse("home")).status_code == 200
    assert AuditLog.objects.filter(action="auth.session_superseded").exists()


def test_several_sessions_allowed_when_the_option_is_off(county, member_user, settings):
    settings.SINGLE_SESSION = False
    first, second = Client(), Client()
    password_login(first, member_user)
    password_login(second, member_user)
    assert first.get(reverse("home")).status_code == 200


def test_verified_marker_is_set_in_the_session(client, staff):
    secret = enrol(staff)
    password_login(client, staff)
    client.post(reverse("login-verify"), {"code": now_code(secret)})
    assert client.session.get(MFA_VERIFIED_KEY)



def _session_writes(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries
            if "django_session" in q["sql"] and not q["sql"].lstrip().upper().startswith("SELECT")]


def test_unchanged_session_is_written_once_a_minute_not_on_every_request(client, member_user,
                                                                        frozen_clock):
    client.force_login(member_user)
    home = reverse("home")
    assert _session_writes(client, home)  # the first request stamps the session
    key = client.session.session_key
    first_expiry = DbSession.objects.get(session_key=key).expire_date
    frozen_clock.shift(dt.timedelta(seconds=20))
    assert _session_writes(client, home) == []
    frozen_clock.shift(dt.timedelta(seconds=30))
    assert _session_writes(client, home) == []
    frozen_clock.shift(dt.timedelta(seconds=15))  # 65 s after the last write
    assert _session_writes(client, home)
    # The write pushed the idle expiry forward by the time that passed.
    later_expiry = DbSession.objects.get(session_key=key).expire_date
    assert later_expiry - first_expiry >= dt.timedelta(seconds=60)


def test_idle_timeout_still_ends_a_session_refreshed_once_a_minute(client, member_user,
                                                                   frozen_clock, settings):
    client.force_login(member_user)
    home = reverse("home")
    for _ in range(5):  # active for five minutes: still logged in, expiry moving forward
        assert client.get(home).status_code == 200
        frozen_clock.shift(dt.timedelta(seconds=61))
    assert client.get(home).status_code == 200
    frozen_clock.shift(dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1))
    assert client.get(home).status_code == 302


def test_changed_session_is_written_at_once(client, member_user, frozen_clock):
    from xieshang.core.middleware import SESSION_KEY

    client.force_login(member_user)
    client.get(reverse("home"))
    frozen_clock.shift(dt.timedelta(seconds=5))
    # Choosing the acting committee changes the session: that request saves it, within the
    # minute in which an unchanged session would not be written.
    committee = member_user.roles.first().committee
    client.post(reverse("switch-committee"), {"committee": str(committee.pk)})
    assert client.session[SESSION_KEY] == committee.pk
