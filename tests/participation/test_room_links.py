"""A public room is read by every role of the committee: its page links the consultation
activity and the suggestion ledger only for those who may open them."""

import pytest

from tests.activities.factories import make_activity
from tests.factories import HandlingUnitFactory, user_with_role
from tests.participation.factories import make_room
from xieshang.core.models import Role

pytestmark = pytest.mark.django_db


def test_a_clerk_reads_a_public_room_without_links_they_may_not_open(client, county, staff):
    activity = make_activity(county, "thematic_consultation")
    room = make_room(county, title="公开议题", is_public=True, activity=activity)
    clerk = user_with_role(county, Role.UNIT_CLERK, unit=HandlingUnitFactory(committee=county))
    client.force_login(clerk)
    page = client.get(f"/participation/rooms/{room.pk}/").content.decode()
    assert activity.title in page and f"/activities/{activity.pk}/" not in page
    client.force_login(staff)
    page = client.get(f"/participation/rooms/{room.pk}/").content.decode()
    assert f"/activities/{activity.pk}/" in page
