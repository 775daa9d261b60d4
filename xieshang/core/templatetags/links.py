"""``{% may_open "app:name" [arg …] as ok %}``: show a link only to whom its view opens
(``xieshang.core.links``)."""

from __future__ import annotations

from typing import Any

from django import template

from xieshang.core import links

register = template.Library()


@register.simple_tag(takes_context=True)
def may_open(context: template.Context, name: str, *args: Any) -> bool:
    return links.may_open(context.get("actor"), name, *args)
