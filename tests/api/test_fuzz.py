"""Whatever a client sends, the API answers with a status it documents, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xieshang.members.models import Member

pytestmark = pytest.mark.django_db

MEMBER_FIELDS = ["name", "gender", "ethnicity", "birth_date", "party", "sector_id", "workplace",
                 "phone", "id_number", "is_standing", "joined_on", "term_id", "extra"]
values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=False), st.text(max_size=60), st.sampled_from(
        ["male", "female", "2026-02-30", "2026-11-26", "0", "-1", "１２", "' OR 1=1 --"]),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(),
                                                         max_size=2),
)
bodies = st.dictionaries(st.sampled_from(MEMBER_FIELDS), values, max_size=len(MEMBER_FIELDS))


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=bodies)
def test_member_create_never_fails_with_500(client, staff, body):
    client.force_login(staff)
    before = Member.objects.count()
    response = client.post("/api/v1/members/members", data=body, content_type="application/json")
    assert response.status_code in (201, 400, 422), (body, response.content)
    payload = response.json()
    if response.status_code == 201:
        assert Member.objects.count() == before + 1
    else:
        assert payload["message"] and Member.objects.count() == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=st.dictionaries(st.sampled_from(["q", "sector", "status", "standing", "page",
                                              "page_size", "committee"]),
                             st.text(max_size=20), max_size=5))
def test_member_list_never_fails_with_500(client, staff, query):
    client.force_login(staff)
    response = client.get("/api/v1/members/members", data=query)
    assert response.status_code in (200, 404, 422), (query, response.content)
