"""URLs: core at the root; every other Xieshang app that has ``urls.py`` is mounted at /<label>/,
and every app that has ``api.py`` with a ``router`` is mounted under /api/v1/ (see xieshang.api)."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path, re_path
from django.views.i18n import set_language

from xieshang.portal.sitemaps import SITEMAPS


def app_urls() -> list[URLPattern | URLResolver]:
    out: list[URLPattern | URLResolver] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("xieshang.") or config.label == "core":
            continue
        module = f"{config.name}.urls"
        if find_spec(module) is not None:
            out.append(path(f"{config.label}/", include(module)))
    return out


urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("c/", include("xieshang.portal.public_urls")),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS},
         name="django.contrib.sitemaps.views.sitemap"),
    path("i18n/setlang/", set_language, name="set_language"),
    *app_urls(),
    path("", include("xieshang.core.urls")),
]

if find_spec("xieshang.api") is not None:
    # /api/v1/… is the API; any other /api/v1/ path is its JSON 404; /api/… without a version
    # answers as /api/v1/… for one deprecation period (docs/api.md, "Versions").
    _api = import_module("xieshang.api")
    urlpatterns[0:0] = [
        path(_api.PREFIX, _api.api.urls),
        re_path(rf"^{_api.PREFIX}(?P<rest>.*)$", _api.not_found),
        re_path(r"^api/(?P<rest>.*)$", _api.legacy),
    ]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
