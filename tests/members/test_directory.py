import pytest
from django.urls import reverse

from tests.factories import MemberFactory
from xieshang.core.models import Role

pytestmark = pytest.mark.django_db


def test_member_list_shows_only_own_committee(client, county, other_county, staff):
    MemberFactory(committee=county, name="本县委员")
    MemberFactory(committee=other_county, name="邻县委员")
    client.force_login(staff)
    body = client.get(reverse("member-list")).content.decode()
    assert "本县委员" in body and "邻县委员" not in body


def test_member_of_other_county_is_not_found(client, county, other_county, staff):
    foreign = MemberFactory(committee=other_county)
    client.force_login(staff)
    assert client.get(reverse("member-detail", args=[foreign.pk])).status_code == 404


def test_member_cannot_open_another_members_record(client, county, make_user):
    user = make_user(county, Role.MEMBER)
    other = MemberFactory(committee=county)
    client.force_login(user)
    assert client.get(reverse("member-detail", args=[other.pk])).status_code == 404


def test_member_sees_own_record_with_masked_id(client, county, make_user):
    user = make_user(county, Role.MEMBER)
    me = user.roles.get().member
    client.force_login(user)
    body = client.get(reverse("member-detail", args=[me.pk])).content.decode()
    assert "1101**********002X" in body and "11010519491231002X" not in body


def test_office_staff_sees_full_id(client, county, staff):
    member = MemberFactory(committee=county)
    client.force_login(staff)
    body = client.get(reverse("member-detail", args=[member.pk])).content.decode()
    assert "11010519491231002X" in body


def test_anonymous_is_sent_to_login(client, county):
    response = client.get(reverse("member-list"))
    assert response.status_code == 302 and "/login/" in response["Location"]
