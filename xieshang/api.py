"""The JSON API under /api/v1/: one NinjaAPI that every Xieshang app plugs its router into.

An app takes part by having ``api.py`` with ``router = Router(tags=[...])``; it is mounted at
/api/v1/<app label>/ in INSTALLED_APPS order, with no change here. Every operation requires a
login (browser session with CSRF, or ``Authorization: Bearer xs_…``), and every failure comes
back as ``{"code", "message", "errors"}`` JSON with a Chinese message (core.apiutils).

The interactive reference is /api/v1/docs and the schema /api/v1/openapi.json. The Swagger UI
files are served from the installed django-ninja package, because government intranets often
cannot reach a CDN. The unversioned paths /api/… are an alias of /api/v1/… for one deprecation
period (``legacy``; docs/api.md, "Versions").
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import ninja
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import http_date
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase

from xieshang.core.apiutils import (
    AUTH,
    ERROR_STATUSES,
    StrictParser,
    Utf8JSONRenderer,
    _error,
    install_error_handlers,
)

VERSION = "1"
PREFIX = f"api/v{VERSION}/"
"""Where the API lives (urls.py mounts it there); /api/… without a version is ``legacy``."""

# The unversioned alias is deprecated since v1 came (RFC 9745 ``Deprecation``) and answers
# until the sunset date (RFC 8594 ``Sunset``); a release after that date removes it.
LEGACY_DEPRECATED = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)
LEGACY_SUNSET = dt.datetime(2027, 12, 31, tzinfo=dt.UTC)

NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}

DESCRIPTION = """\
The operations of the Xieshang pages, as JSON. The full contract is docs/api.md.

* **Version**: every path starts with `/api/v1/`. The unversioned `/api/…` paths answer the same
  until the sunset date, with `Deprecation`, `Sunset` and `Link: rel="successor-version"` headers.
* **Authentication**: the browser session (unsafe methods need the `X-CSRFToken` header), or
  `Authorization: Bearer xs_…` with a token from the "API tokens" page.
* **Committee**: a call acts in one committee, chosen by the `X-Committee: <code>` header
  (declared on every operation; `?committee=<code>` works too); without it, the committee chosen
  in the page header, else the user's first. `GET /api/v1/core/me` lists them. Rows of other
  committees answer 404.
* **Errors**: every error answers `{"code", "message", "errors": [{"field", "message"}]}` with a
  Chinese message: 400 refused by a rule, 401 not logged in, 403 not allowed, 404 not found,
  409 stale `version` (code `conflict`), 413 too large, 422 malformed input, 429 too many
  requests (where an operation says so), 500 server error.
* **Lists**: every list is `?page=1&page_size=20` (at most 100) → `{"items", "count", "page",
  "page_size", "pages"}`, in a stable order; a page past the end is empty.
* **Actions**: each step of a lifecycle is its own `POST …/actions/<step>` (or `…/<step>`) with
  its own body; the `actions` of a record list the steps the caller may take now (an enum).
"""

COMMITTEE_HEADER = {
    "name": "X-Committee", "in": "header", "required": False,
    "description": "The code of the committee this call acts in (`GET /api/v1/core/me` lists "
                   "them); without it, the user's first. A committee without a role of the "
                   "user answers 404.",
    "schema": {"type": "string", "maxLength": 50},
}


class LocalSwagger(DocsBase):
    """Swagger UI from the files inside the django-ninja package (never from a CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        assets = {name.split(".")[0].replace("-", "_"): reverse(
            f"{api.urls_namespace}:docs_asset", kwargs={"name": name}) for name in DOCS_ASSETS}
        return render(request, "core/api_docs.html", {
            "api": api, "assets": assets, "openapi_url": self.get_openapi_url(api, kwargs),
        })


class XieshangAPI(NinjaAPI):
    """The OpenAPI document tells what every operation may answer: the error statuses with the
    one error body, the ``X-Committee`` header, and short operation ids (the names of a
    generated client's functions)."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        # "proposals_create_draft" rather than "xieshang_proposals_api_create_draft".
        module = operation.view_func.__module__.split(".")
        label = module[-2] if len(module) > 1 and module[-1] == "api" else module[-1]
        return f"{label}_{operation.view_func.__name__}"

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        error = {"$ref": "#/components/schemas/ErrorOut"}
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                document_operation(operation, error)
        return schema


def document_operation(operation: dict[str, Any], error: dict[str, Any]) -> None:
    """Add what the code may answer and the committee header to one operation of the document."""
    secured = bool(operation.get("security"))
    # ninja keys responses by int, openapi_extra may add str keys: one key per status.
    responses = operation["responses"] = {str(k): v for k, v in
                                          operation.get("responses", {}).items()}
    for status, text in ERROR_STATUSES.items():
        if ((status == 401 and not secured) or (status == 413 and "requestBody" not in operation)
                or (status == 429 and str(status) not in responses)):
            responses.pop(str(status), None)
            continue
        responses[str(status)] = {"description": text,
                                  "content": {"application/json": {"schema": error}}}
    if secured:
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == COMMITTEE_HEADER["name"] for p in parameters):
            parameters.append(dict(COMMITTEE_HEADER))


api = XieshangAPI(
    title="Xieshang API",
    version=VERSION,
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTH,
    docs=LocalSwagger(),
    renderer=Utf8JSONRenderer(),
    parser=StrictParser(),
)
install_error_handlers(api)


@api.get("/docs/assets/{name}", auth=None, include_in_schema=False, url_name="docs_asset")
def docs_asset(request: HttpRequest, name: str) -> HttpResponseBase:
    if name not in DOCS_ASSETS:
        raise Http404(name)
    response = FileResponse((NINJA_STATIC / name).open("rb"), content_type=DOCS_ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response


def mount_app_routers(target: NinjaAPI) -> list[str]:
    """Mount ``<app>.api.router`` of every Xieshang app at /<label>/; return the labels."""
    mounted = []
    for config in apps.get_app_configs():
        if not config.name.startswith("xieshang."):
            continue
        module_name = f"{config.name}.api"
        if find_spec(module_name) is None:
            continue
        router = getattr(import_module(module_name), "router", None)
        if not isinstance(router, Router):
            raise ImproperlyConfigured(
                f"{module_name} must define `router = Router(...)` (django-ninja)")
        target.add_router(f"/{config.label}/", router,
                          tags=None if router.tags else [config.label])
        mounted.append(config.label)
    return mounted


MOUNTED = mount_app_routers(api)


@csrf_exempt  # it changes nothing; a POST to a mistyped path gets the JSON 404 too
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other /api/v1/ path (e.g. a negative id, which the int converter does not match) is
    a JSON 404 like the rest of the API, not the HTML page."""

    return _error(api, request, 404, "not_found", gettext("Not found."))


@csrf_exempt  # the operation it hands over to checks CSRF for browser sessions itself
def legacy(request: HttpRequest, rest: str = "") -> HttpResponseBase:
    """/api/<rest> answers as /api/v1/<rest> until the sunset date, saying so in its headers.

    An alias rather than a redirect: most HTTP clients do not follow a redirect of a POST, and
    some drop the Authorization header when they do.
    """
    successor = f"/{PREFIX}{rest}"
    try:
        match = resolve(successor)
    except Resolver404:
        response: HttpResponseBase = not_found(request, rest)
    else:
        if match.func is legacy:  # /api/v2/… of a future version, unknown to this one
            response = not_found(request, rest)
        else:
            response = match.func(request, *match.args, **match.kwargs)
    response["Deprecation"] = f"@{int(LEGACY_DEPRECATED.timestamp())}"
    response["Sunset"] = http_date(LEGACY_SUNSET.timestamp())
    query = request.META.get("QUERY_STRING", "")
    target = successor + (f"?{query}" if query else "")
    response["Link"] = f'<{request.build_absolute_uri(target)}>; rel="successor-version"'
    return response
