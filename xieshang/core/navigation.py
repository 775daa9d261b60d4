"""Role-aware navigation. Each app adds its entries with ``register``; the shell shows those the
actor's roles allow, so a later app needs no change to the base template."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xieshang.core.permissions import Actor


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    allowed: Callable[[Actor], bool]
    order: int = 100
    icon: str = ""


REGISTRY: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(i.url_name != item.url_name for i in REGISTRY):
        REGISTRY.append(item)


def navigation_for(actor: Actor) -> list[dict[str, str]]:
    out = []
    for item in sorted(REGISTRY, key=lambda i: i.order):
        if actor.committee is None or not item.allowed(actor):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        out.append({"label": str(item.label), "url": url, "icon": item.icon,
                    "name": item.url_name})
    return out


register(NavItem(_("My work"), "home", lambda a: True, order=0, icon="home"))
