"""The public site's two jobs that come before the rest of the request handling.

1. A committee's site at its own host name: ``/`` on a host that a public site names
   (Site.host_name) is rewritten to ``/c/<code>/``. Every other host, and every other path on
   that host (the site's own links are /c/<code>/…, logins, static files), goes on unchanged.
2. The site's pictures (``/c/<code>/img/<pk>/``) are answered here, before the session and
   login layers: they are public, and a page full of pictures should not read and write the
   visitor's session once per picture (sessions are saved on every request).

Placed right after WhiteNoise in MIDDLEWARE, so the security headers still apply.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.core.exceptions import DisallowedHost
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotFound,
)
from django.http.request import split_domain_port

from xieshang.portal import selectors
from xieshang.portal.models import normalise_host, platform_hosts
from xieshang.portal.views import image

IMAGE_PATH = re.compile(r"^/c/(?P<code>[-a-zA-Z0-9_]+)/img/(?P<pk>[0-9]+)/$")


class SiteHostMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if path == "/":
            try:
                host, _port = split_domain_port(request.get_host())
            except DisallowedHost:
                host = ""
            # The platform's own hosts always serve the platform (a committee's site can never
            # take over its root, whatever a stored host name says).
            code = (selectors.site_code_for_host(host)
                    if host and normalise_host(host) not in platform_hosts() else None)
            if code is not None:
                request.path_info = f"/c/{code}/"
                request.path = f"{request.META.get('SCRIPT_NAME', '').rstrip('/')}/c/{code}/"
        elif request.method in ("GET", "HEAD") and (match := IMAGE_PATH.match(path)):
            try:
                return image(request, match["code"], int(match["pk"]))
            except Http404:
                return HttpResponseNotFound()
        return self.get_response(request)
