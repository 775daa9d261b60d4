"""The installable app (PWA): the web manifest, the service worker and the offline page.

The service worker is served by Django at ``/sw.js`` (not from /static/) so that its scope is the
whole site; it caches the static files (all served by this install: no CDN, it works on a closed
intranet), the offline page, and the pages that hold a draft form, so that a member can open them
and write without a network. The drafts themselves are kept by ``static/xieshang/pwa.js`` in the
browser's storage and sent when the network is back (docs/architecture.md, "Installable app").
"""

from __future__ import annotations

import hashlib
import json
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Files every page needs, cached when the app is installed.
SHELL_STATIC = [
    "xieshang/app.css", "xieshang/app.js", "xieshang/pwa.js",
    "django_htmx/htmx-2.min.js",
    "xieshang/icons/icon-192.png", "xieshang/icons/icon-512.png",
    "xieshang/icons/maskable-512.png", "xieshang/icons/favicon-32.png",
]
# Pages kept for offline use after each visit (regular expressions on the path): the forms that
# keep offline drafts. Other pages are never stored on the device.
DRAFT_PAGES = [
    r"^/proposals/new/$", r"^/proposals/\d+/edit/$", r"^/opinions/submit/$",
    r"^/activities/\d+/$",
]


@cache
def _shell_version() -> str:
    """Changes whenever a shell file changes, so that installed apps fetch the new files."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        digest.update(name.encode())
        if isinstance(path, str):
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return digest.hexdigest()[:12]


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> JsonResponse:
    icons = [
        {"src": static("xieshang/icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
        {"src": static("xieshang/icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        {"src": static("xieshang/icons/maskable-192.png"), "sizes": "192x192",
         "type": "image/png", "purpose": "maskable"},
        {"src": static("xieshang/icons/maskable-512.png"), "sizes": "512x512",
         "type": "image/png", "purpose": "maskable"},
    ]
    data = {
        "name": _("CPPCC duty platform"), "short_name": _("Duty platform"),
        "description": _("Proposals, public-opinion reports, activities and duty records of "
                         "CPPCC members."),
        "lang": "zh-CN", "dir": "ltr", "id": "/", "start_url": "/?source=app", "scope": "/",
        "display": "standalone", "orientation": "portrait",
        "background_color": "#ffffff", "theme_color": "#a61b1b", "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    config = {
        "version": _shell_version(),
        "shell": [static(name) for name in SHELL_STATIC],
        "offline": "/offline/",
        "staticPrefix": settings.STATIC_URL,
        "draftPages": DRAFT_PAGES,
    }
    response = render(request, "core/sw.js", {"config": json.dumps(config)},
                      content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker at each visit; the worker may control the whole site.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker when a page is asked for without a network. It is cached once
    for every user, so it shows nothing of the user's."""
    return render(request, "core/offline.html")
