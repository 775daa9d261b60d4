"""The API frame every app plugs into: mounting, docs, authentication, committee, errors, lists."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from tests.api.conftest import bearer
from tests.factories import NotificationFactory, user_with_role
from xieshang import api as api_module
from xieshang.core.models import ApiToken, Role

pytestmark = pytest.mark.django_db


# --- mounting and docs -------------------------------------------------------------------------

def test_every_app_with_an_api_module_is_mounted_under_its_label(client, staff):
    assert {"core", "members"} <= set(api_module.MOUNTED)
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/core/me" in paths
    assert "/api/v1/members/members" in paths
    for label in api_module.MOUNTED:
        assert any(p.startswith(f"/api/v1/{label}/") for p in paths), label


def test_an_api_module_without_a_router_is_a_configuration_error(monkeypatch):
    from importlib import import_module

    from django.core.exceptions import ImproperlyConfigured
    from ninja import NinjaAPI

    real = import_module
    monkeypatch.setattr(api_module, "import_module",
                        lambda name: object() if name == "xieshang.members.api" else real(name))
    with pytest.raises(ImproperlyConfigured, match="xieshang.members.api"):
        api_module.mount_app_routers(NinjaAPI(urls_namespace="probe"))


@pytest.mark.parametrize("label", api_module.MOUNTED)
def test_every_app_router_builds_its_openapi_schema(label):
    from importlib import import_module

    from ninja import NinjaAPI

    probe = NinjaAPI(urls_namespace=f"probe-{label}")
    probe.add_router("/probe/", import_module(f"xieshang.{label}.api").router)
    try:
        probe.get_openapi_schema(path_prefix="/api/v1/")
    except Exception as exc:  # noqa: BLE001 - the message below is the point of this test
        pytest.fail(
            f"xieshang/{label}/api.py breaks /api/openapi.json for every app: {exc!r:.200}. "
            "Usual cause: `from __future__ import annotations` in an api module where "
            "@paginate wraps an operation with Query[...] parameters; drop that import there "
            "(see docs/api.md).")


def test_openapi_documents_bearer_and_session_authentication(client):
    schema = client.get("/api/v1/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]
    assert {"TokenAuth", "SessionCsrfAuth"} <= set(schemes)
    assert schemes["TokenAuth"]["scheme"] == "bearer"


def test_docs_page_loads_swagger_from_this_server_not_a_cdn(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower() and "https://" not in html
    assert "/api/v1/docs/assets/swagger-ui-bundle.js" in html
    asset = client.get("/api/v1/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and asset["Content-Type"] == "text/javascript"
    assert len(b"".join(asset.streaming_content)) > 100_000


def test_docs_assets_serve_only_the_listed_files(client):
    assert client.get("/api/v1/docs/assets/..%2F..%2Fmain.py").status_code == 404
    assert client.get("/api/v1/docs/assets/favicon.png").status_code == 404


# --- authentication ----------------------------------------------------------------------------

def test_anonymous_call_is_refused_with_401_in_chinese(client):
    response = client.get("/api/v1/core/me")
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "unauthorized" and "登录" in body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_anonymous_post_gets_401_not_a_csrf_error():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/core/notifications/read-all")
    assert response.status_code == 401


def test_bearer_token_authenticates_and_records_last_use(client, staff, token_for):
    key = token_for(staff)
    response = client.get("/api/v1/core/me", headers=bearer(key))
    assert response.status_code == 200
    assert response.json()["username"] == staff.username
    assert ApiToken.objects.get(user=staff).last_used_at is not None


def test_revoked_token_is_refused(client, staff, token_for):
    key = token_for(staff)
    ApiToken.objects.filter(user=staff).update(revoked_at=timezone.now())
    assert client.get("/api/v1/core/me", headers=bearer(key)).status_code == 401


def test_token_of_a_deactivated_user_is_refused(client, staff, token_for):
    key = token_for(staff)
    staff.is_active = False
    staff.save()
    assert client.get("/api/v1/core/me", headers=bearer(key)).status_code == 401


def test_wrong_token_is_refused_even_with_a_logged_in_session(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/core/me", headers=bearer("xs_not-a-real-token"))
    assert response.status_code == 401


def test_wrong_token_on_a_write_is_401_not_a_csrf_error():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/core/notifications/read-all", headers=bearer("xs_wrong"))
    assert response.status_code == 401


def test_session_write_without_csrf_token_is_refused(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post("/api/v1/core/notifications/read-all")
    assert response.status_code == 403
    assert response.json()["code"] == "csrf"
    assert "刷新" in response.json()["message"]


def test_session_write_with_csrf_token_passes(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    client.get("/")  # sets the csrftoken cookie
    token = client.cookies["csrftoken"].value
    response = client.post("/api/v1/core/notifications/read-all", headers={"X-CSRFToken": token})
    assert response.status_code == 200


def test_token_write_needs_no_csrf_token(staff, token_for):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/core/notifications/read-all", headers=bearer(token_for(staff)))
    assert response.status_code == 200


# --- the acting committee ----------------------------------------------------------------------

@pytest.fixture
def two_committee_user(county, other_county):
    user = user_with_role(county, Role.STAFF_OFFICE)
    from tests.factories import RoleAssignmentFactory
    RoleAssignmentFactory(user=user, committee=other_county, role=Role.ADMIN)
    return user


def test_x_committee_header_chooses_the_committee(client, two_committee_user, other_county,
                                                  token_for):
    headers = {**bearer(token_for(two_committee_user)), "X-Committee": other_county.code}
    body = client.get("/api/v1/core/me", headers=headers).json()
    assert body["committee"]["code"] == other_county.code
    assert [r["code"] for r in body["roles"]] == ["admin"]
    assert {c["code"] for c in body["committees"]} == {"county-a", "county-b"}


def test_committee_query_parameter_works_like_the_header(client, two_committee_user,
                                                          other_county):
    client.force_login(two_committee_user)
    body = client.get(f"/api/v1/core/me?committee={other_county.code}").json()
    assert body["committee"]["code"] == other_county.code


def test_committee_without_a_role_is_not_found(client, staff, other_county):
    client.force_login(staff)
    response = client.get("/api/v1/core/me", headers={"X-Committee": other_county.code})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_browser_session_acts_in_the_committee_chosen_in_the_page_header(
        client, two_committee_user, other_county):
    client.force_login(two_committee_user)
    client.post("/committee/switch/", {"committee": other_county.pk})
    assert client.get("/api/v1/core/me").json()["committee"]["code"] == other_county.code


def test_user_without_any_role_acts_nowhere(client, token_for):
    from tests.factories import UserFactory

    user = UserFactory()
    response = client.get("/api/v1/core/me", headers=bearer(token_for(user)))
    assert response.status_code == 200
    assert response.json()["committee"] is None and response.json()["roles"] == []
    assert client.get("/api/v1/core/terms", headers=bearer(token_for(user, "b"))).status_code == 403


# --- errors ------------------------------------------------------------------------------------

def test_malformed_query_parameter_is_422_with_chinese_field_message(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/core/notifications?page=0")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"] == [{"field": "page", "message": "不能小于 1。"}]
    assert "page" in body["message"]


def test_malformed_json_body_is_422_not_500(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data="{not json",
                           content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.json()["code"] == "invalid"


def test_missing_body_field_names_the_field(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data={}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"][0] == {"field": "name", "message": "此项必填。"}


def test_rule_refused_by_a_service_is_400_with_its_message(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data={"name": "   "},
                           content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["errors"][0]["field"] == "name"
    assert "命名" in body["message"]


def test_permission_denied_is_403_json(client, member_user):
    client.force_login(member_user)
    response = client.post("/api/v1/members/units", data={"name": "县水利局"},
                           content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert response.json()["message"]


def test_unknown_url_under_api_is_404(client, staff):
    client.force_login(staff)
    assert client.get("/api/v1/core/no-such-thing").status_code == 404


def test_wrong_method_is_405(client, staff):
    client.force_login(staff)
    response = client.delete("/api/v1/core/me")
    assert response.status_code == 405


def test_unexpected_error_is_json_500_and_logged(client, staff, monkeypatch, caplog):
    from xieshang.core import api as core_api

    def boom(user):
        raise RuntimeError("boom")

    monkeypatch.setattr(core_api.tokens, "token_list", boom)
    client.force_login(staff)
    response = client.get("/api/v1/core/tokens")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
    assert any("API error" in r.message for r in caplog.records)


@pytest.mark.parametrize("query", [
    "page=abc", "page_size=0", "page_size=101", "page=99999999999999999999", "unread=maybe",
    "page=%00", "page=1e3",
])
def test_garbage_list_parameters_never_give_500(client, staff, query):
    client.force_login(staff)
    response = client.get(f"/api/v1/core/notifications?{query}")
    assert response.status_code == 422, response.content
    assert response.json()["message"]


@pytest.mark.parametrize("body", ['"a string"', "[]", "null", "123", '{"name": ["x"]}',
                                  '{"name": "' + "长" * 101 + '"}'])
def test_garbage_bodies_never_give_500(client, staff, body):
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data=body, content_type="application/json")
    assert response.status_code in (400, 422), response.content
    assert not ApiToken.objects.exists()


def test_english_client_gets_english_messages(client):
    response = client.get("/api/v1/core/me", headers={"Accept-Language": "en"})
    assert response.json()["message"] == "Log in first, or send a valid API token."


# --- lists -------------------------------------------------------------------------------------

def test_lists_are_paged_with_count_and_pages(client, county, staff):
    NotificationFactory.create_batch(25, committee=county, recipient=staff)
    client.force_login(staff)
    first = client.get("/api/v1/core/notifications?page_size=10").json()
    assert (first["count"], first["page"], first["page_size"], first["pages"]) == (25, 1, 10, 3)
    assert len(first["items"]) == 10
    last = client.get("/api/v1/core/notifications?page_size=10&page=3").json()
    assert len(last["items"]) == 5
    ids = [i["id"] for i in first["items"]] + [i["id"] for i in last["items"]]
    assert len(set(ids)) == 15


def test_page_past_the_end_is_empty_not_an_error(client, staff):
    client.force_login(staff)
    body = client.get("/api/v1/core/notifications?page=7").json()
    assert body["items"] == [] and body["count"] == 0 and body["pages"] == 1


def test_error_shape_is_documented_in_openapi(client):
    op = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/core/me"]["get"]
    assert {"200", "401", "403", "404"} <= set(op["responses"])
    assert json.dumps(op["responses"]["401"]).count("ErrorOut") >= 1



# --- input the database could not store --------------------------------------------------------

def test_nul_character_in_a_query_is_422_not_a_database_error(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/members/members?q=a%00b")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "q", "message": "不能包含空字符。"}]


def test_nul_character_in_a_json_body_is_422_and_nothing_is_saved(client, staff):
    from xieshang.members.models import HandlingUnit

    client.force_login(staff)
    response = client.post("/api/v1/members/units", data='{"name": "县\\u0000局"}',
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "name", "message": "不能包含空字符。"}]
    assert not HandlingUnit.objects.exists()


def test_value_the_database_refuses_is_400_not_500(client, staff, monkeypatch):
    from django.db import DataError

    from xieshang.core import api as core_api

    def refuse(**kwargs):
        raise DataError("value too long for type character varying(100)")

    monkeypatch.setattr(core_api.tokens, "token_issue", refuse)
    client.force_login(staff)
    response = client.post("/api/v1/core/tokens", data={"name": "x"},
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "无法保存" in response.json()["message"]
