"""Accounts and roles: create, grant, revoke, unlock, reset, log out — only within the committee."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CollectiveBodyFactory,
    HandlingUnitFactory,
    MemberFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from xieshang.core import services
from xieshang.core.models import AuditLog, Role, RoleAssignment, User
from xieshang.core.permissions import actor_for, can_manage_account

pytestmark = pytest.mark.django_db


def new_user_data(**extra):
    data = {"username": "zhangsan", "display_name": "张三", "phone": "13912345678",
            "email": "", "role": Role.STAFF_PROPOSAL, "generate": "1"}
    data.update(extra)
    return data


def test_admin_creates_an_account_with_a_generated_password(client, county, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-create"), new_user_data())
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    user = User.objects.get(username="zhangsan")
    assert user.check_password(password)
    assert user.phone == "13912345678"
    assert RoleAssignment.objects.get(user=user).role == Role.STAFF_PROPOSAL
    assert RoleAssignment.objects.get(user=user).committee == county
    assert Client().login(username="13912345678", password=password)
    actions = set(AuditLog.objects.filter(committee=county).values_list("action", flat=True))
    assert {"user.create", "role.grant"} <= actions
    assert password not in str(list(AuditLog.objects.values_list("after", flat=True)))


def test_admin_may_set_the_initial_password(client, admin_user):
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-create"), new_user_data(
        generate="0", password1="Qiang2026xs", password2="Qiang2026xs"))
    assert response.status_code == 302
    assert User.objects.get(username="zhangsan").check_password("Qiang2026xs")


@pytest.mark.parametrize(("password", "message"), [
    ("abc12", "密码太短"),
    ("12345678901", "密码只包含数字"),
    ("password123", "太常见"),
    ("onlyletterspass", "字母和数字"),
])
def test_weak_initial_password_is_refused_and_nothing_is_saved(client, admin_user, password,
                                                               message):
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-create"), new_user_data(
        generate="0", password1=password, password2=password))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="zhangsan").exists()


def test_duplicate_username_and_phone_are_refused(client, admin_user):
    UserFactory(username="zhangsan", phone="13912345678")
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-create"), new_user_data())
    body = response.content.decode()
    assert "用户名已被使用" in body and "手机号已被其他账号使用" in body
    assert User.objects.filter(username="zhangsan").count() == 1


def test_member_role_needs_a_member_record_of_this_committee(client, county, other_county,
                                                             admin_user):
    foreign = MemberFactory(committee=other_county)
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-create"), new_user_data(role=Role.MEMBER))
    assert "请选择该角色对应的委员档案" in response.content.decode()
    response = client.post(reverse("manage-user-create"),
                           new_user_data(role=Role.MEMBER, member=foreign.pk))
    assert response.status_code == 200
    assert not User.objects.filter(username="zhangsan").exists()


def test_member_role_links_the_member_record(client, county, admin_user):
    member = MemberFactory(committee=county, user=None)
    client.force_login(admin_user)
    client.post(reverse("manage-user-create"), new_user_data(role=Role.MEMBER, member=member.pk))
    user = User.objects.get(username="zhangsan")
    member.refresh_from_db()
    assert member.user == user
    assert actor_for(user, county).member_id == member.pk


def test_grant_unit_and_collective_roles(client, county, make_user, admin_user):
    target = make_user(county, Role.STAFF_OFFICE)
    unit, body = HandlingUnitFactory(committee=county), CollectiveBodyFactory(committee=county)
    client.force_login(admin_user)
    client.post(reverse("manage-role-grant", args=[target.pk]),
                {"role": Role.UNIT_CLERK, "unit": unit.pk})
    client.post(reverse("manage-role-grant", args=[target.pk]),
                {"role": Role.COLLECTIVE, "body": body.pk, "unit": unit.pk})
    actor = actor_for(target, county)
    assert actor.unit_ids == {unit.pk} and actor.body_ids == {body.pk}
    collective = RoleAssignment.objects.get(user=target, role=Role.COLLECTIVE)
    assert collective.unit is None  # the stray unit of a non-unit role is dropped


def test_unit_role_without_a_unit_is_refused(client, county, make_user, admin_user):
    target = make_user(county, Role.STAFF_OFFICE)
    client.force_login(admin_user)
    response = client.post(reverse("manage-role-grant", args=[target.pk]),
                           {"role": Role.UNIT_LEADER})
    assert response.status_code == 400
    assert "请选择该角色对应的承办单位" in response.content.decode()
    assert not RoleAssignment.objects.filter(user=target, role=Role.UNIT_LEADER).exists()


def test_admin_grants_the_admin_role(client, county, make_user, admin_user):
    target = make_user(county, Role.STAFF_OFFICE)
    client.force_login(admin_user)
    client.post(reverse("manage-role-grant", args=[target.pk]), {"role": Role.ADMIN})
    assert actor_for(target, county).is_admin


def test_service_refuses_admin_role_from_a_non_admin(county, make_user, actor_of):
    staff = make_user(county, Role.STAFF_OFFICE)
    target = make_user(county, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=actor_of(staff, county), user=target, committee=county,
                            role=Role.ADMIN)


def test_admin_cannot_grant_roles_in_another_county(county, other_county, admin_user, actor_of,
                                                    make_user):
    target = make_user(county, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=actor_of(admin_user, county), user=target,
                            committee=other_county, role=Role.STAFF_OFFICE)
    assert not RoleAssignment.objects.filter(committee=other_county, user=target).exists()


def test_service_refuses_a_unit_of_another_county(county, other_county, admin_user, actor_of,
                                                  make_user):
    target = make_user(county, Role.STAFF_OFFICE)
    with pytest.raises(ValidationError):
        services.role_grant(actor=actor_of(admin_user, county), user=target, committee=county,
                            role=Role.UNIT_CLERK, unit=HandlingUnitFactory(committee=other_county))
    assert not RoleAssignment.objects.filter(user=target, role=Role.UNIT_CLERK).exists()


def test_member_record_held_by_another_account_is_refused(county, admin_user, actor_of,
                                                          make_user):
    holder = make_user(county, Role.MEMBER)
    member = holder.roles.get().member
    other = make_user(county, Role.STAFF_OFFICE)
    with pytest.raises(ValidationError):
        services.role_grant(actor=actor_of(admin_user, county), user=other, committee=county,
                            role=Role.MEMBER, member=member)


def test_revoke_a_role(client, county, make_user, admin_user):
    target = make_user(county, Role.STAFF_OFFICE)
    assignment = target.roles.get()
    client.force_login(admin_user)
    client.post(reverse("manage-role-revoke", args=[target.pk, assignment.pk]))
    assignment.refresh_from_db()
    assert not assignment.is_active
    assert AuditLog.objects.filter(action="role.revoke", object_id=str(assignment.pk)).exists()
    # The account stays visible here so that a role can be granted again.
    assert client.get(reverse("manage-user", args=[target.pk])).status_code == 200


def test_last_admin_cannot_be_revoked(client, county, admin_user):
    own = admin_user.roles.get()
    client.force_login(admin_user)
    response = client.post(reverse("manage-role-revoke", args=[admin_user.pk, own.pk]),
                           follow=True)
    own.refresh_from_db()
    assert own.is_active
    assert "最后一名管理员" in response.content.decode()


def test_unlock_a_locked_account(client, county, make_user, admin_user):
    target = make_user(county, Role.MEMBER)
    target.locked_until = timezone.now() + dt.timedelta(minutes=10)
    target.failed_logins = 3
    target.save()
    client.force_login(admin_user)
    client.post(reverse("manage-user-unlock", args=[target.pk]))
    target.refresh_from_db()
    assert not target.is_locked() and target.failed_logins == 0
    assert AuditLog.objects.filter(action="user.unlock", committee=county).exists()
    assert Client().login(username=target.username, password="Passw0rd!x")


def test_reset_password_shows_it_once_and_ends_sessions(client, county, make_user, admin_user):
    target = make_user(county, Role.MEMBER)
    other = Client()
    other.force_login(target)
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-password", args=[target.pk]), {"generate": "1"})
    password = response.context["password"]
    target.refresh_from_db()
    assert target.check_password(password)
    assert other.get(reverse("home")).status_code == 302
    row = AuditLog.objects.get(action="user.set_password")
    assert password not in str(row.after) and row.committee == county


def test_reset_password_to_a_chosen_one_is_validated(client, county, make_user, admin_user):
    target = make_user(county, Role.MEMBER)
    client.force_login(admin_user)
    response = client.post(reverse("manage-user-password", args=[target.pk]),
                           {"generate": "0", "password1": "abc", "password2": "abc"})
    assert "密码太短" in response.content.decode()
    target.refresh_from_db()
    assert target.check_password("Passw0rd!x")
    response = client.post(reverse("manage-user-password", args=[target.pk]),
                           {"generate": "0", "password1": "Xinmima2026", "password2": "Xinmima20"})
    assert "两次输入的密码不一致" in response.content.decode()


def test_admin_resets_own_password_elsewhere(county, admin_user, actor_of):
    with pytest.raises(ValidationError):
        services.user_set_password(actor=actor_of(admin_user, county), user=admin_user)


def test_force_logout_everywhere(client, county, make_user, admin_user):
    target = make_user(county, Role.STAFF_OFFICE)
    other = Client()
    other.force_login(target)
    client.force_login(admin_user)
    client.post(reverse("manage-user-end-sessions", args=[target.pk]))
    assert other.get(reverse("home")).status_code == 302
    assert AuditLog.objects.filter(action="user.end_sessions", object_id=str(target.pk)).exists()


def test_edit_name_and_phone_is_audited(client, county, make_user, admin_user):
    target = make_user(county, Role.STAFF_OFFICE)
    client.force_login(admin_user)
    client.post(reverse("manage-user-edit", args=[target.pk]),
                {"display_name": "新名字", "phone": "+86 139-8888-7777", "email": ""})
    target.refresh_from_db()
    assert target.display_name == "新名字" and target.phone == "13988887777"
    row = AuditLog.objects.get(action="user.update")
    assert row.after["display_name"] == "新名字"


def test_account_shared_with_a_higher_committee_is_off_limits(client, county, make_user,
                                                              admin_user):
    """A county admin must not take over someone who is also an admin of the city."""
    target = make_user(county, Role.MEMBER)
    RoleAssignmentFactory(user=target, committee=county.parent, role=Role.ADMIN)
    client.force_login(admin_user)
    assert client.get(reverse("manage-user", args=[target.pk])).status_code == 200
    for name in ("manage-user-unlock", "manage-user-end-sessions", "manage-user-password"):
        assert client.post(reverse(name, args=[target.pk])).status_code == 403, name
    assert client.get(reverse("manage-user-edit", args=[target.pk])).status_code == 403
    target.refresh_from_db()
    assert target.check_password("Passw0rd!x")


def test_city_admin_may_manage_an_account_that_also_works_in_its_county(county, make_user,
                                                                        actor_of):
    city_admin = make_user(county.parent, Role.ADMIN)
    target = make_user(county.parent, Role.STAFF_OFFICE)
    RoleAssignmentFactory(user=target, committee=county, role=Role.STAFF_OFFICE)
    assert can_manage_account(actor_of(city_admin, county.parent), target)
    county_admin = make_user(county, Role.ADMIN)
    assert not can_manage_account(actor_of(county_admin, county), target)


def test_account_without_a_role_here_is_not_found(client, county, other_county, make_user,
                                                  admin_user, actor_of):
    stranger = make_user(other_county, Role.MEMBER)
    client.force_login(admin_user)
    for name in ("manage-user-unlock", "manage-user-end-sessions", "manage-user-password"):
        assert client.post(reverse(name, args=[stranger.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.user_set_password(actor=actor_of(admin_user, county), user=stranger)
    with pytest.raises(PermissionDenied):
        services.user_unlock(actor=actor_of(admin_user, county), user=stranger)


def test_superuser_accounts_are_left_to_the_django_admin(county, admin_user, actor_of):
    root = UserFactory(is_superuser=True, is_staff=True)
    RoleAssignmentFactory(user=root, committee=county, role=Role.STAFF_OFFICE)
    assert not can_manage_account(actor_of(admin_user, county), root)


def test_generated_passwords_pass_the_validators():
    from django.contrib.auth import password_validation

    for _ in range(20):
        password_validation.validate_password(services.generate_password(), User(username="u"))
