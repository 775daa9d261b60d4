"""The contract of the whole API (docs/api.md), checked on every operation of the document:
one list shape with a maximum page size and a stable order, every error status with the one
error body, the committee header, binary downloads with their media types, and the version."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db.models import Count, F
from django.test import Client, override_settings
from ninja import NinjaAPI, Router, Schema

from tests.api.conftest import bearer
from tests.factories import NotificationFactory
from xieshang import api as api_module
from xieshang.core.apiutils import ERROR_STATUSES, MAX_PAGE_SIZE, stable
from xieshang.core.models import ApiToken, AuditLog, Notification

pytestmark = pytest.mark.django_db

LIST_FIELDS = {"items", "count", "more", "page", "page_size", "pages"}
PAGE_WORDS = {"total", "next", "previous", "offset", "limit", "cursor"}  # home-made pages


def _resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method.upper(), path, operation)
            for path, methods in document["paths"].items()
            for method, operation in methods.items()]


def list_contract_breaches(document: dict[str, Any]) -> list[str]:
    """Every operation answering a list must answer the one page shape with page/page_size."""
    out = []
    for method, path, operation in _operations(document):
        for status in ("200", "201"):
            content = operation["responses"].get(status, {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            body = _resolve(document, schema)
            where = f"{method} {path}"
            if body.get("type") == "array":
                out.append(f"{where}: answers a bare array (use @paged)")
                continue
            props = body.get("properties", {})
            if props.get("items", {}).get("type") != "array" or not (
                    set(props) & (LIST_FIELDS | PAGE_WORDS) - {"items"}):
                continue  # an object that holds a list (a plan and its items) is no page
            if set(body["properties"]) != LIST_FIELDS or set(body.get("required", [])) != \
                    LIST_FIELDS:
                out.append(f"{where}: a list must answer exactly {sorted(LIST_FIELDS)}")
            query = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", [])
                     if p["in"] == "query"}
            if query.get("page", {}).get("minimum") != 1:
                out.append(f"{where}: no ?page= from 1")
            if query.get("page_size", {}).get("maximum") != MAX_PAGE_SIZE:
                out.append(f"{where}: ?page_size= must stop at {MAX_PAGE_SIZE}")
            if set(query) & {"limit", "offset"}:
                out.append(f"{where}: limit/offset is not the contract (page/page_size)")
    return out


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(json.dumps(api_module.api.get_openapi_schema()))


# --- lists -------------------------------------------------------------------------------------

def test_every_list_operation_follows_the_one_list_contract(document):
    assert not list_contract_breaches(document), "\n".join(list_contract_breaches(document))
    paged = [path for _m, path, op in _operations(document)
             if "page_size" in {p["name"] for p in op.get("parameters", [])}]
    assert len(paged) >= 25  # every list of every app


class ThingOut(Schema):
    id: int


class HomeMadePage(Schema):
    items: list[ThingOut]
    total: int


def test_the_list_check_sees_a_bare_array_and_a_home_made_page():
    router = Router()

    @router.get("/bare", response=list[ThingOut])
    def bare(request: Any) -> list[ThingOut]:
        return []

    @router.get("/home-made", response=HomeMadePage)
    def home_made(request: Any, limit: int = 10, offset: int = 0) -> HomeMadePage:
        return HomeMadePage(items=[], total=0)

    toy = NinjaAPI(urls_namespace="contract-test")
    toy.add_router("/", router)
    breaches = list_contract_breaches(json.loads(json.dumps(
        toy.get_openapi_schema(path_prefix="/toy/"))))
    assert any("/bare: answers a bare array" in b for b in breaches)
    assert any("/home-made: a list must answer exactly" in b for b in breaches)
    assert any("/home-made: ?page_size=" in b for b in breaches)
    assert any("/home-made: limit/offset" in b for b in breaches)


def test_a_page_larger_than_the_maximum_is_refused_with_422(client, staff):
    client.force_login(staff)
    response = client.get(f"/api/v1/core/notifications?page_size={MAX_PAGE_SIZE + 1}")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "page_size"


def test_rows_with_equal_sort_keys_keep_one_order_from_page_to_page(client, county, staff,
                                                                   frozen_clock):
    # Notifications sort newest first; five made in one instant tie on that key.
    NotificationFactory.create_batch(5, committee=county, recipient=staff)
    Notification.objects.update(created_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    client.force_login(staff)
    walked = [client.get(f"/api/v1/core/notifications?page_size=1&page={n}").json()["items"][0]
              ["id"] for n in range(1, 6)]
    assert sorted(walked) == sorted(Notification.objects.values_list("pk", flat=True))
    assert walked == sorted(walked, reverse=True)  # the tie broken by the id, as ordered


def test_stable_adds_the_primary_key_as_the_last_sort_key():
    by_date = Notification.objects.order_by("-created_at")
    assert list(stable(by_date).query.order_by) == ["-created_at", "pk"]
    assert stable(Notification.objects.order_by("-id")).query.order_by == ("-id",)
    unordered = Notification.objects.order_by()
    assert list(stable(unordered).query.order_by) == ["pk"]
    meta = Notification._meta.ordering
    assert list(stable(Notification.objects.all()).query.order_by) == (
        [] if {"id", "-id"} & set(meta) else [*meta, "pk"])  # Meta's order, made total
    by_expression = AuditLog.objects.order_by(F("at").desc())
    assert list(stable(by_expression).query.order_by)[-1] == "pk"
    counts = Notification.objects.values("committee").annotate(n=Count("id")).order_by("n")
    assert stable(counts).query.order_by == ("n",)  # the key would change the GROUP BY


# --- errors, header, downloads -----------------------------------------------------------------

def test_every_operation_documents_every_error_status_with_the_one_body(document):
    missing = []
    for method, path, operation in _operations(document):
        secured = bool(operation.get("security"))
        wanted = {str(s) for s in ERROR_STATUSES} - {"429"}
        if not secured:
            wanted.discard("401")
        if "requestBody" not in operation:
            wanted.discard("413")
        responses = operation["responses"]
        for status in sorted(wanted):
            body = responses.get(status, {}).get("content", {}).get("application/json", {})
            if body.get("schema") != {"$ref": "#/components/schemas/ErrorOut"}:
                missing.append(f"{method} {path} {status}")
    assert not missing, missing


def test_only_operations_that_can_refuse_too_many_calls_document_429(document):
    limited = [f"{m} {p}" for m, p, op in _operations(document) if "429" in op["responses"]]
    assert limited == ["POST /api/v1/opinions/public/{code}/topics"]


def test_every_operation_with_a_login_declares_the_committee_header(document):
    for method, path, operation in _operations(document):
        headers = [p for p in operation.get("parameters", []) if p["in"] == "header"]
        if operation.get("security"):
            assert [h["name"] for h in headers] == ["X-Committee"], f"{method} {path}"
            assert headers[0]["required"] is False
        else:
            assert headers == [], f"{method} {path}: a public operation acts in no committee"


def test_the_word_download_documents_its_media_type_not_json(document):
    ok = document["paths"]["/api/v1/opinions/bulletins/{pk}/docx"]["get"]["responses"]["200"]
    assert list(ok["content"]) == [
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    assert ok["content"][
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]["schema"] == {
        "type": "string", "format": "binary"}


def test_no_answer_is_an_untyped_object(document):
    """Every object in an answer names its fields (a free-form object only where described)."""
    loose = []
    for name, schema in document["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if prop.get("type") == "object" and "properties" not in prop and \
                    prop.get("additionalProperties") in (None, True) and \
                    not prop.get("description"):
                loose.append(f"{name}.{field}")
    assert not loose, loose


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_too_large_is_413_in_the_error_shape(client, staff, token_for):
    response = client.post("/api/v1/core/notifications/read-all", "x" * 5000,
                           content_type="application/json", headers=bearer(token_for(staff)))
    # read-all takes no body and so never reads it; an operation with a body does.
    assert response.status_code == 200
    response = client.post("/api/v1/proposals/", json.dumps({"title": "长" * 3000}),
                           content_type="application/json", headers=bearer(token_for(staff)))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and response.json()["message"]


def test_a_stale_version_is_409_conflict_in_every_lifecycle(document):
    steps = [(p, op) for _m, p, op in _operations(document)
             if "version" in json.dumps(op.get("requestBody", {})) or "/actions/" in p]
    assert steps
    for path, operation in steps:
        assert "409" in operation["responses"], path


# --- versions ----------------------------------------------------------------------------------

def test_the_document_describes_version_1_only(document):
    assert document["info"]["version"] == "1"
    assert all(path.startswith("/api/v1/") for path in document["paths"])


def test_an_unversioned_path_answers_like_v1_and_says_it_is_deprecated(client, staff,
                                                                       token_for):
    key = token_for(staff)
    new = client.get("/api/v1/core/me", headers=bearer(key))
    old = client.get("/api/core/me?x=1", headers=bearer(key))
    assert old.status_code == new.status_code == 200 and old.json() == new.json()
    assert "Deprecation" not in new
    assert old["Deprecation"] == f"@{int(api_module.LEGACY_DEPRECATED.timestamp())}"
    assert old["Sunset"] == "Fri, 31 Dec 2027 00:00:00 GMT"
    assert old["Link"] == '<http://testserver/api/v1/core/me?x=1>; rel="successor-version"'


def test_an_unversioned_write_works_with_a_token_and_keeps_the_csrf_check(staff, token_for):
    NotificationFactory(committee=staff.roles.get().committee, recipient=staff)
    response = Client().post("/api/core/notifications/read-all",
                             headers=bearer(token_for(staff)))
    assert response.status_code == 200 and response.json() == {"updated": 1}
    assert response["Deprecation"]
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    refused = browser.post("/api/core/tokens", json.dumps({"name": "浏览器"}),
                           content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf"
    assert not ApiToken.objects.filter(name="浏览器").exists()


def test_unknown_paths_are_json_404_with_and_without_a_version(client, staff):
    client.force_login(staff)
    for path in ("/api/v1/nowhere", "/api/nowhere", "/api/v2/core/me", "/api/v1/core/me/x"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    assert "Deprecation" not in client.get("/api/v1/nowhere")
    assert client.get("/api/nowhere")["Deprecation"]


def test_the_unversioned_document_is_the_v1_document(client):
    assert client.get("/api/openapi.json").json() == client.get("/api/v1/openapi.json").json()
