"""基础数据 (issue #16): each kind the office keeps — special committees, collective bodies,
activity groups, leadership positions, proposal categories, activity types — has a page the
office reaches from its menu, writes through the audited service, and Django's admin is for site
superusers only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from xieshang.core.models import AuditLog, Role

pytestmark = pytest.mark.django_db

KINDS = ("special-committees", "collective-bodies", "activity-groups", "positions",
         "proposal-categories", "activity-types")


@pytest.mark.parametrize(("role", "slugs"), [
    (Role.STAFF_OFFICE, [k for k in KINDS if k != "proposal-categories"]),
    (Role.STAFF_PROPOSAL, ["proposal-categories"]),  # the proposal office keeps its categories
])
def test_the_office_reaches_every_kind_from_its_menu(client, county, make_user, role, slugs):
    client.force_login(make_user(county, role))
    home = client.get(reverse("home")).content.decode()
    assert reverse("refdata-index") in home
    index = client.get(reverse("refdata-index")).content.decode()
    for slug in slugs:
        assert reverse("refdata-list", args=[slug]) in index, slug
        assert client.get(reverse("refdata-list", args=[slug])).status_code == 200, slug
        assert client.get(reverse("refdata-create", args=[slug])).status_code == 200, slug


def test_a_collective_body_added_on_its_page_is_audited(client, county, make_user):
    client.force_login(make_user(county, Role.STAFF_OFFICE))
    r = client.post(reverse("refdata-create", args=["collective-bodies"]),
                    {"name": "县工商联", "kind": "organisation"})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert AuditLog.objects.filter(action="collective-bodies.create").count() == 1


@pytest.mark.parametrize("slug", KINDS)
def test_a_member_is_refused_every_kind(client, county, make_user, slug):
    client.force_login(make_user(county, Role.MEMBER))
    assert client.get(reverse("refdata-list", args=[slug])).status_code == 403
    assert client.post(reverse("refdata-create", args=[slug]), {"name": "x"}).status_code == 403


def test_django_admin_is_for_site_superusers_only(client, county, make_user):
    staff_flag = UserFactory(is_staff=True)  # "may use the admin site", but no superuser
    client.force_login(staff_flag)
    assert client.get("/admin/").status_code == 302  # to the admin's login
    client.force_login(make_user(county, Role.ADMIN))  # the committee's administrator
    assert client.get("/admin/").status_code == 302
    root = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(root)
    assert client.get("/admin/").status_code == 200
