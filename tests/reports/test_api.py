import datetime as dt

import pytest
from django.utils import timezone

from xieshang.activities import services as act
from xieshang.activities.models import Activity
from xieshang.core.models import Role
from xieshang.core.permissions import Actor

pytestmark = pytest.mark.django_db


def test_figures_api_returns_the_figures(client, county, staff):
    types = act.activity_types_ensure(county)
    act.activity_create(actor=Actor.for_system(county), committee=county,
                        type=types["party_group"], title="党组会议",
                        start=timezone.make_aware(dt.datetime(2025, 3, 1, 9)),
                        status=Activity.Status.HELD)
    client.force_login(staff)
    response = client.get("/api/v1/reports/figures", {"from": "2025-01-01", "to": "2025-12-31"})
    assert response.status_code == 200
    values = {f["key"]: f["value"] for f in response.json()["figures"]}
    assert values["activities.party_group_meetings"] == 1


def test_figures_api_refuses_members_and_bad_periods(client, county, make_user, staff):
    client.force_login(make_user(county, Role.MEMBER))
    assert client.get("/api/v1/reports/figures",
                      {"from": "2025-01-01", "to": "2025-12-31"}).status_code == 403
    client.force_login(staff)
    response = client.get("/api/v1/reports/figures", {"from": "2025-12-31", "to": "2025-01-01"})
    assert response.status_code == 400 and "结束日期" in response.json()["message"]
    assert client.get("/api/v1/reports/figures", {"from": "nope", "to": "x"}).status_code == 422


def test_other_committee_code_is_404(client, county, other_county, staff):
    client.force_login(staff)
    response = client.get("/api/v1/reports/figures", {"from": "2025-01-01", "to": "2025-12-31"},
                          HTTP_X_COMMITTEE=other_county.code)
    assert response.status_code == 404
