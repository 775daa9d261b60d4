import pytest
from django.urls import reverse

from tests.factories import UserFactory
from xieshang.core.models import AuditLog, Role

pytestmark = pytest.mark.django_db


def test_login_by_phone_number(client, member_user):
    response = client.post(reverse("login"), {"username": member_user.phone,
                                              "password": "Passw0rd!x"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_login_by_username_with_country_prefix_phone(client, member_user):
    response = client.post(reverse("login"), {"username": "+86 " + member_user.phone,
                                              "password": "Passw0rd!x"})
    assert response.status_code == 302


def test_wrong_password_shows_chinese_message(client, member_user):
    response = client.post(reverse("login"), {"username": member_user.username,
                                              "password": "nope"})
    assert response.status_code == 200
    assert "用户名/手机号或密码错误" in response.content.decode()


def test_account_locks_after_repeated_failures(client, member_user, settings):
    settings.LOCKOUT_THRESHOLD = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": member_user.username, "password": "bad"})
    member_user.refresh_from_db()
    assert member_user.is_locked()
    response = client.post(reverse("login"), {"username": member_user.username,
                                              "password": "Passw0rd!x"})
    assert response.status_code == 200
    assert "锁定" in response.content.decode()
    assert AuditLog.objects.filter(action="auth.login_failed").count() >= 3


def test_logout_everywhere_ends_other_sessions(client, member_user):
    from django.test import Client

    other = Client()
    other.force_login(member_user)
    client.force_login(member_user)
    assert other.get(reverse("home")).status_code == 200
    client.post(reverse("logout-everywhere"))
    assert other.get(reverse("home")).status_code == 302


def test_login_and_logout_are_audited(client, member_user):
    client.post(reverse("login"), {"username": member_user.username, "password": "Passw0rd!x"})
    client.post(reverse("logout"))
    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert {"auth.login", "auth.logout"} <= actions


def test_password_needs_letters_and_digits(client, member_user):
    client.force_login(member_user)
    response = client.post(reverse("password_change"), {
        "old_password": "Passw0rd!x", "new_password1": "onlyletterspass",
        "new_password2": "onlyletterspass"})
    assert "字母和数字" in response.content.decode()


def test_user_without_role_sees_empty_home(client, db):
    user = UserFactory()
    client.force_login(user)
    response = client.get(reverse("home"))
    assert "还没有任何政协的角色" in response.content.decode()


def test_committee_switch_refuses_foreign_committee(client, county, other_county, make_user):
    user = make_user(county, Role.STAFF_OFFICE)
    client.force_login(user)
    client.post(reverse("switch-committee"), {"committee": other_county.id})
    response = client.get(reverse("home"))
    assert other_county.name not in response.content.decode()


def test_committee_switch_between_own_committees(client, county, other_county, make_user):
    from xieshang.core.models import RoleAssignment

    user = make_user(county, Role.STAFF_OFFICE)
    RoleAssignment.objects.create(user=user, committee=other_county, role=Role.STAFF_OFFICE)
    client.force_login(user)
    client.post(reverse("switch-committee"), {"committee": other_county.id})
    assert client.get(reverse("home")).context["actor"].committee == other_county
