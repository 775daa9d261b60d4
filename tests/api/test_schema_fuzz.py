"""Every operation of the OpenAPI schema, fuzzed with schemathesis in-process (WSGI).

Each operation is called with generated input as a staff user (every staff role and admin) and
as a member, by bearer token. The answer must never be a 5xx and must match the schema: a
documented status code, the documented content type and the documented body. A few examples per
operation in CI; set XS_FUZZ_EXAMPLES=200 for a long run.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import RoleAssignmentFactory, user_with_role
from xieshang.api import api
from xieshang.core.models import STAFF_ROLES, ApiToken, Role

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("XS_FUZZ_EXAMPLES", "4"))
SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = WSGIHandler()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """schemathesis calls the WSGI handler directly, whose request_finished signal would close
    the database connection (and lose the test's transaction on PostgreSQL); Django's test
    client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(county):
    staff = user_with_role(county, Role.ADMIN)
    for role in sorted(STAFF_ROLES):
        RoleAssignmentFactory(user=staff, committee=county, role=role)
    member = user_with_role(county, Role.MEMBER)
    return {"staff": ApiToken.issue(staff, "fuzz")[1], "member": ApiToken.issue(member, "fuzz")[1]}


def test_the_schema_lists_every_app_router():
    prefixes = {op.path.split("/")[3] for op in OPERATIONS}
    assert {"core", "members", "proposals", "opinions", "activities", "duties",
            "reports"} <= prefixes
    assert len(OPERATIONS) >= 60


def _fuzz(operation, headers):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy())
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


def test_every_operation_never_fails_and_answers_as_documented(tokens, county):
    failures = []
    for operation in OPERATIONS:
        for who in ("staff", "member"):
            headers = {"Authorization": f"Bearer {tokens[who]}", "X-Committee": county.code}
            try:
                _fuzz(operation, headers)
            except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - report them all
                failures.append(f"{operation.method.upper()} {operation.path} as {who}: "
                                f"{str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)


# --- what the fuzzing found ------------------------------------------------------------------

def test_a_path_the_api_does_not_know_is_a_json_404_even_for_a_post(client, tokens):
    for method, url in (("get", "/api/v1/members/units/-5"), ("post", "/api/v1/nothing/here")):
        headers = {"Authorization": f"Bearer {tokens['staff']}"}
        response = getattr(client, method)(url, headers=headers)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


def test_bulletin_word_file_is_reachable_by_get(client, tokens):
    # /bulletins/{pk}/{action} (POST only) used to shadow it and answer 405.
    response = client.get("/api/v1/opinions/bulletins/999999/docx",
                          headers={"Authorization": f"Bearer {tokens['staff']}"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize(("url", "method", "body"), [
    ("/api/v1/activities/?limit=-5&offset=-3", "get", None),
    ("/api/v1/activities/?offset=99999999999999999999", "get", None),
    ("/api/v1/duties/self-reports-remind/-481", "post", None),
    ("/api/v1/opinions/bulletins", "post", {"kind": "single", "report_ids": [2**70]}),
])
def test_out_of_range_numbers_are_refused_not_a_500(client, tokens, url, method, body):
    headers = {"Authorization": f"Bearer {tokens['staff']}"}
    if body is None:
        response = getattr(client, method)(url, headers=headers)
    else:
        response = client.post(url, body, content_type="application/json", headers=headers)
    assert response.status_code in (200, 422), response.content
