"""Every URL pattern of the project, found by walking the resolver (nothing listed by hand)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter

PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
# Pages that are public on purpose (the website, residents' topics, QR sign-in, login).
PUBLIC_PREFIXES = ("c/", "proposals/public/", "opinions/public/", "api/v1/opinions/public/",
                   "activities/sign-in/", "participation/s/", "sitemap.xml", "api/v1/docs")
SKIP_PREFIXES = ("admin/",)  # Django's admin is for site superusers only and has its own tests


@dataclass(frozen=True)
class Route:
    template: str  # e.g. "proposals/<int:pk>/act/<slug:action>/"
    params: tuple[tuple[str, str], ...]  # (name, converter)
    name: str

    @property
    def is_api(self) -> bool:
        return self.template.startswith("api/")

    @property
    def is_public(self) -> bool:
        return self.template.startswith(PUBLIC_PREFIXES)

    def url(self, values: dict[str, object]) -> str:
        def sub(m: re.Match[str]) -> str:
            return str(values[m.group("name")])
        return "/" + PARAM.sub(sub, self.template)


def _walk(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def routes_with_ids() -> list[Route]:
    seen: dict[str, Route] = {}
    for template, pattern in _walk(get_resolver()):
        if template.startswith(SKIP_PREFIXES) or template.startswith("^") or "<" not in template:
            continue
        params = tuple((m.group("name"), m.group("conv") or "str")
                       for m in PARAM.finditer(template))
        seen.setdefault(template, Route(template, params, pattern.name or ""))
    return sorted(seen.values(), key=lambda r: r.template)


def is_int(conv: str) -> bool:
    return conv == "int" or isinstance(get_resolver().pattern.converters.get(conv), IntConverter)


def model_for_table(table: str) -> type[models.Model] | None:
    for model in apps.get_models():
        if model._meta.db_table == table:
            return model
    return None
