"""The JSON API under /api/: one NinjaAPI that every Xieshang app plugs its router into.

An app takes part by having ``api.py`` with ``router = Router(tags=[...])``; it is mounted at
/api/<app label>/ in INSTALLED_APPS order, with no change here. Every operation requires a
login (browser session with CSRF, or ``Authorization: Bearer xs_…``), and every failure comes
back as ``{"code", "message", "errors"}`` JSON with a Chinese message (core.apiutils).

The interactive reference is /api/docs and the schema /api/openapi.json. The Swagger UI files
are served from the installed django-ninja package, because government intranets often cannot
reach a CDN.
"""

from __future__ import annotations

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
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase

from xieshang.core.apiutils import (
    AUTH,
    StrictParser,
    Utf8JSONRenderer,
    _error,
    install_error_handlers,
)

NINJA_STATIC = Path(ninja.__file__).resolve().parent / "static" / "ninja"
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-init.js": "text/javascript",
    "favicon.svg": "image/svg+xml",
}

DESCRIPTION = """\
The operations of the Xieshang pages, as JSON.

* **Authentication**: the browser session (unsafe methods need the `X-CSRFToken` header), or
  `Authorization: Bearer xs_…` with a token from the "API tokens" page.
* **Committee**: a call acts in one committee, chosen by the `X-Committee: <code>` header (or
  `?committee=<code>`); without it, the committee chosen in the page header, else the user's
  first. `GET /api/core/me` lists them. Rows of other committees answer 404.
* **Errors**: `{"code", "message", "errors": [{"field", "message"}]}` with a Chinese message;
  401 not logged in, 403 not allowed, 404 not found, 400 refused by a rule, 422 malformed input.
* **Lists**: `?page=1&page_size=20` (at most 100) → `{"items", "count", "page", "page_size",
  "pages"}`.
"""


class LocalSwagger(DocsBase):
    """Swagger UI from the files inside the django-ninja package (never from a CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        assets = {name.split(".")[0].replace("-", "_"): reverse(
            f"{api.urls_namespace}:docs_asset", kwargs={"name": name}) for name in DOCS_ASSETS}
        return render(request, "core/api_docs.html", {
            "api": api, "assets": assets, "openapi_url": self.get_openapi_url(api, kwargs),
        })


ERROR_BODY = {
    "type": "object", "required": ["code", "message", "errors"],
    "properties": {
        "code": {"type": "string"}, "message": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}},
    },
}
ERROR_STATUSES = {"400": "Refused by a rule", "401": "Not logged in", "403": "Not allowed",
                  "404": "Not found", "409": "Conflict", "422": "Malformed input"}


class XieshangAPI(NinjaAPI):
    """The schema documents the error answers every operation may give (see DESCRIPTION)."""

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        components = schema.get("components", {}).get("schemas", {})
        body = {"$ref": "#/components/schemas/ErrorOut"} if "ErrorOut" in components \
            else ERROR_BODY
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, text in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": text, "content": {
                        "application/json": {"schema": body}}})
        return schema


api = XieshangAPI(
    title="Xieshang API",
    version="1",
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
    """Any other /api/ path (e.g. a negative id, which the int converter does not match) is a
    JSON 404 like the rest of the API, not the HTML page."""

    return _error(api, request, 404, "not_found", gettext("Not found."))
