"""Issue #16: the 特邀信息员 account said it had no role in any committee and showed no menu,
though /opinions/submit/ worked for it. The correspondent now holds its own role: a home with
its reports and the menu to submit one; nothing of the committee's inside."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.opinions.factories import editor
from xieshang.core.models import Role, RoleAssignment
from xieshang.core.permissions import actor_for
from xieshang.opinions import services
from xieshang.opinions.models import Correspondent

pytestmark = pytest.mark.django_db


def test_a_correspondent_lands_on_a_home_with_something_to_do(county, client):
    user = UserFactory()
    services.correspondent_create(actor=editor(county), user=user, name="周晓岚",
                                  organisation="县融媒体中心")
    assert RoleAssignment.objects.filter(user=user, committee=county,
                                         role=Role.CORRESPONDENT, is_active=True).exists()
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    assert "尚未在任何" not in home and "no role" not in home
    assert "特邀信息员" in home
    assert reverse("opinions:mine") in home  # the card of its own reports
    assert reverse("opinions:home") in home  # the menu
    assert client.get("/opinions/submit/").status_code == 200


def test_a_correspondent_sees_nothing_of_the_inside(county, client):
    user = UserFactory()
    services.correspondent_create(actor=editor(county), user=user, name="周晓岚")
    actor = actor_for(user, county)
    assert actor.committee == county and not actor.insider
    client.force_login(user)
    assert client.get(reverse("member-list")).status_code in (403, 404)
    assert client.get(reverse("proposals-home")).status_code in (403, 404)
    assert client.get("/api/v1/members/", HTTP_X_COMMITTEE=county.code).status_code in (
        401, 403, 404)


def test_a_switched_off_correspondent_loses_the_role(county):
    user = UserFactory()
    row = services.correspondent_create(actor=editor(county), user=user, name="周晓岚")
    services.correspondent_set_active(actor=editor(county), correspondent=row, active=False)
    assert actor_for(user, county).committee is None
    assert not Correspondent.objects.get(pk=row.pk).is_active
