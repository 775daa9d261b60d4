"""Finding 13 (issue #18): no query parameter of any page or API operation answers 500.

Pages: every route without a path parameter (found by walking the URL resolver), with the
query keys its module reads (``request.GET.get("…")`` and the like) plus the common ones,
filled by hypothesis with hostile values: huge and negative numbers, impossible dates and
months, years 1 and 9999, text, NUL, markup. API: every GET operation of the OpenAPI schema,
each query parameter filled the same way. The user holds every role in a committee full of
records. Each example visits every route once; XS_FUZZ_EXAMPLES sets how many (CI: 2).
"""

from __future__ import annotations

import inspect
import os
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.world import attacker, build_victim
from xieshang.core.models import ApiToken

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("XS_FUZZ_EXAMPLES", "2"))
SKIP = ("admin/", "api/", "logout", "static/", "media/", "sitemap", "c/", "login/verify")
COMMON = ("page", "q", "year", "month", "from", "to", "status", "kind", "type", "sector", "term",
          "sub", "worklist", "list", "start", "end", "unit", "category", "session", "a", "b",
          "next", "committee", "page_size", "offset", "limit")
HOSTILE = st.one_of(
    st.sampled_from([
        "", "0", "-1", "1e20", "99999999999999999999", "-99999999999", "9999-12", "1-1",
        "0000-00", "2026-13-40", "2026-02-30", "9999-12-31", "0001-01-01", "1900-01-01",
        "x" * 300, "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "１２", "NaN", "inf",
        "%", "[]", "1.5", "-0", "true", "None", "../../etc/passwd", "2026-W05"]),
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
READS = re.compile(r"""GET(?:\.get|\.getlist|)\s*[\(\[]\s*["']([A-Za-z_][\w-]*)["']""")


def _walk(resolver: URLResolver, prefix: str = ""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def page_routes() -> list[tuple[str, tuple[str, ...]]]:
    """(path, query keys) of every page without a path parameter."""
    out = {}
    for template, pattern in _walk(get_resolver()):
        if "<" in template or template.startswith("^") or template.startswith(SKIP):
            continue
        view = inspect.unwrap(pattern.callback)
        view = getattr(view, "view_class", view)
        try:
            source = Path(inspect.getsourcefile(view) or "").read_text()
        except (TypeError, OSError):
            source = ""
        keys = tuple(sorted(set(READS.findall(source)) | set(COMMON)))
        out["/" + template] = keys
    return sorted(out.items())


@pytest.fixture
def fuzz_world(county):
    build_victim(county)
    return attacker(county)


@settings(max_examples=EXAMPLES, deadline=None, derandomize=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_finding_13_no_page_parameter_answers_500(client, fuzz_world, data):
    client.force_login(fuzz_world)
    routes = page_routes()
    assert len(routes) > 40
    for path, keys in routes:
        chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4,
                                    unique=True), label=f"keys {path}")
        params = {k: data.draw(HOSTILE, label=k) for k in chosen}
        response = client.get(f"{path}?{urlencode(params)}")
        assert response.status_code < 500, (path, params, response.status_code)


def api_operations(client, key: str) -> list[tuple[str, list[dict]]]:
    schema = client.get("/api/openapi.json").json()
    out = []
    for path, item in schema["paths"].items():
        op = item.get("get")
        if op is None:
            continue
        out.append((path, op.get("parameters", [])))
    return out


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_finding_13_no_api_parameter_answers_500(client, fuzz_world, data):
    _token, key = ApiToken.issue(fuzz_world, "fuzz")
    headers = {"Authorization": f"Bearer {key}"}
    operations = api_operations(client, key)
    assert len(operations) > 30
    for path, parameters in operations:
        url = path
        query = {}
        for p in parameters:
            value = data.draw(HOSTILE, label=f"{path} {p['name']}")
            if p["in"] == "path":
                schema = p.get("schema", {})
                value = "1" if schema.get("type") == "integer" and not value.lstrip(
                    "-").isdigit() else value
                url = url.replace("{" + p["name"] + "}", value.replace("/", "") or "1")
            elif p["in"] == "query" and data.draw(st.booleans(), label="send"):
                query[p["name"]] = value
        response = client.get(f"{url}?{urlencode(query)}", headers=headers)
        assert response.status_code < 500, (url, query, response.status_code)


@pytest.mark.parametrize("url", [
    "/search/?q=%E9%A5%AE%E6%B0%B4&page=1e20", "/search/?q=x&page=99999999999999999999",
    "/activities/?month=1-1", "/activities/?month=9999-12", "/activities/?from=9999-12-31",
    "/opinions/quota/?year=99999999999", "/reports/?from=9999-12-31&to=0001-01-01",
    "/api/core/calendar/deadline?start=9999-12-01&months=120",
    "/api/core/calendar/deadline?start=0001-01-01&working_days=-1000",
])
def test_finding_13_the_pentests_500s_are_gone(client, county, url):
    client.force_login(attacker(county))  # every role: every page below opens
    response = client.get(url)
    assert response.status_code < 500, response.status_code


def test_finding_13_an_api_body_over_20_mb_is_413(client, staff):
    client.force_login(staff)
    body = b'{"name": "' + b"x" * (21 * 1024 * 1024) + b'"}'
    response = client.post("/api/members/members", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
