"""The administrator's pages: who may open them, and that each one works per committee."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    HandlingUnitFactory,
    RoleAssignmentFactory,
    SessionFactory,
    TermFactory,
    UserFactory,
)
from xieshang.core.models import CalendarDay, Role, RoleAssignment

pytestmark = pytest.mark.django_db

GET_PAGES = [
    ("manage-home", {}),
    ("manage-audit", {}),
    ("manage-audit-export", {}),
    ("manage-users", {}),
    ("manage-user-create", {}),
    ("manage-terms", {}),
    ("manage-term-create", {}),
    ("manage-calendar", {}),
    ("manage-calendar-year", {"year": 2027}),
    ("manage-policy", {}),
    ("manage-policy-edit", {"key": "term_years"}),
]
REFUSED_ROLES = [Role.MEMBER, Role.STAFF_OFFICE, Role.STAFF_PROPOSAL, Role.UNIT_CLERK,
                 Role.UNIT_LEADER, Role.LEADER, Role.COLLECTIVE]


def _url(name, kwargs):
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "kwargs"), GET_PAGES)
def test_every_page_opens_for_an_admin(client, admin_user, name, kwargs):
    client.force_login(admin_user)
    assert client.get(_url(name, kwargs)).status_code == 200


@pytest.mark.parametrize("role", REFUSED_ROLES)
@pytest.mark.parametrize(("name", "kwargs"), GET_PAGES)
def test_non_admins_are_refused(client, county, make_user, role, name, kwargs):
    client.force_login(make_user(county, role))
    assert client.get(_url(name, kwargs)).status_code == 403


@pytest.mark.parametrize(("name", "kwargs"), GET_PAGES)
def test_anonymous_is_sent_to_login(client, county, name, kwargs):
    response = client.get(_url(name, kwargs))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_user_without_any_committee_is_refused(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("manage-home")).status_code == 403


@pytest.mark.parametrize("role", [Role.MEMBER, Role.STAFF_OFFICE, Role.UNIT_CLERK])
def test_non_admins_cannot_post_to_admin_actions(client, county, make_user, role):
    target = make_user(county, Role.MEMBER)
    assignment = target.roles.get()
    client.force_login(make_user(county, role))
    posts = [
        reverse("manage-role-grant", args=[target.pk]),
        reverse("manage-role-revoke", args=[target.pk, assignment.pk]),
        reverse("manage-user-unlock", args=[target.pk]),
        reverse("manage-user-end-sessions", args=[target.pk]),
        reverse("manage-user-password", args=[target.pk]),
        reverse("manage-user-create"),
        reverse("manage-policy-clear", args=["term_years"]),
        reverse("manage-calendar-add", args=[2026]),
        reverse("manage-calendar-import"),
    ]
    for url in posts:
        assert client.post(url, {"role": Role.ADMIN}).status_code == 403, url
    assignment.refresh_from_db()
    assert assignment.is_active
    assert not RoleAssignment.objects.filter(user=target, role=Role.ADMIN).exists()


def test_admin_sees_the_administration_entry_and_members_do_not(client, admin_user,
                                                                member_user):
    link = f'<a href="{reverse("manage-home")}"'
    client.force_login(admin_user)
    nav = client.get(reverse("home")).context["nav"]
    assert {"label": "系统管理", "url": reverse("manage-home")}.items() <= next(
        i for i in nav if i["name"] == "manage-home").items()
    client.force_login(member_user)
    body = client.get(reverse("home")).content.decode()
    assert link not in body and all(i["name"] != "manage-home"
                                    for i in client.get(reverse("home")).context["nav"])


def test_other_county_admin_gets_404_for_this_countys_objects(client, county, other_county,
                                                              make_user):
    target = make_user(county, Role.MEMBER)
    assignment = target.roles.get()
    term = county.core_term_set.get()
    session = SessionFactory(term=term)
    day = CalendarDay.objects.create(date=dt.date(2026, 6, 2), committee=county,
                                     is_workday=False, name="县庆")
    client.force_login(make_user(other_county, Role.ADMIN))
    gets = [
        reverse("manage-user", args=[target.pk]),
        reverse("manage-user-edit", args=[target.pk]),
        reverse("manage-user-password", args=[target.pk]),
        reverse("manage-term-edit", args=[term.pk]),
        reverse("manage-session-create", args=[term.pk]),
        reverse("manage-session-edit", args=[session.pk]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("manage-role-revoke", args=[target.pk, assignment.pk]),
        reverse("manage-role-grant", args=[target.pk]),
        reverse("manage-user-unlock", args=[target.pk]),
        reverse("manage-user-end-sessions", args=[target.pk]),
        reverse("manage-calendar-remove", args=[day.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404, url
    assert CalendarDay.objects.filter(pk=day.pk).exists()
    assignment.refresh_from_db()
    assert assignment.is_active


def test_admin_cannot_revoke_another_countys_role_through_own_user(client, county, other_county,
                                                                   make_user, admin_user):
    """The role id must belong to the user in the URL and to this committee."""
    target = make_user(county, Role.STAFF_OFFICE)
    foreign = RoleAssignmentFactory(user=target, committee=other_county, role=Role.STAFF_OFFICE)
    client.force_login(admin_user)
    url = reverse("manage-role-revoke", args=[target.pk, foreign.pk])
    assert client.post(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.is_active


def test_unknown_policy_key_and_year_are_404(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("manage-policy-edit", args=["no_such_key"])).status_code == 404
    assert client.get(reverse("manage-calendar-year", args=[1900])).status_code == 404


def test_terms_page_lists_only_own_terms(client, county, other_county, admin_user):
    TermFactory(committee=other_county, number=9)
    client.force_login(admin_user)
    body = client.get(reverse("manage-terms")).content.decode()
    assert "十四" in body and "第九届" not in body


def test_calendar_local_days_of_other_committees_are_not_listed(client, county, other_county,
                                                                admin_user):
    CalendarDay.objects.create(date=dt.date(2026, 6, 2), committee=other_county,
                               is_workday=False, name="邻县县庆")
    client.force_login(admin_user)
    body = client.get(reverse("manage-calendar-year", args=[2026])).content.decode()
    assert "邻县县庆" not in body


def test_users_page_lists_only_accounts_with_roles_here(client, county, other_county, make_user,
                                                        admin_user):
    here = make_user(county, Role.STAFF_PROPOSAL)
    there = make_user(other_county, Role.STAFF_PROPOSAL)
    client.force_login(admin_user)
    body = client.get(reverse("manage-users")).content.decode()
    assert here.username in body and there.username not in body
    assert client.get(reverse("manage-user", args=[there.pk])).status_code == 404


def test_locked_accounts_are_counted_on_the_landing_page(client, county, make_user, admin_user):
    locked = make_user(county, Role.MEMBER)
    locked.locked_until = timezone.now() + dt.timedelta(minutes=10)
    locked.save()
    client.force_login(admin_user)
    body = client.get(reverse("manage-home")).content.decode()
    assert "1 个账号" in body
    listing = client.get(reverse("manage-users"), {"state": "locked"}).content.decode()
    assert locked.username in listing and admin_user.username not in listing


def test_audit_log_offers_no_way_to_change_it(client, admin_user):
    client.force_login(admin_user)
    assert client.post(reverse("manage-audit")).status_code == 405
    assert client.post(reverse("manage-audit-export")).status_code == 405


def test_unit_of_another_county_cannot_be_granted(client, county, other_county, make_user,
                                                  admin_user):
    target = make_user(county, Role.STAFF_OFFICE)
    foreign_unit = HandlingUnitFactory(committee=other_county)
    client.force_login(admin_user)
    response = client.post(reverse("manage-role-grant", args=[target.pk]),
                           {"role": Role.UNIT_CLERK, "unit": foreign_unit.pk})
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user=target, role=Role.UNIT_CLERK).exists()


def test_logged_out_admin_session_is_refused_after_end_sessions(client, county, make_user,
                                                                admin_user):
    """A second admin ends the first admin's sessions; the first can no longer open the pages."""
    second = make_user(county, Role.ADMIN)
    victim_client = Client()
    victim_client.force_login(admin_user)
    client.force_login(second)
    client.post(reverse("manage-user-end-sessions", args=[admin_user.pk]))
    assert victim_client.get(reverse("manage-home")).status_code == 302
