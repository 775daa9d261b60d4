from typing import Any

from django import template

register = template.Library()


@register.filter
def attr(obj: Any, name: str) -> Any:
    """A column of a table row by name (the unit ranking lists its columns once)."""
    return getattr(obj, name, "")
