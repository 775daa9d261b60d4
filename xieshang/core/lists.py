"""What a list page says when a figure's link narrowed it: one line above the rows naming each
condition the figure counted by, and a link back to the list without them
(``includes/narrowed.html``). Each list's view names its own conditions and the query
parameters that carry them; the line, its words and the way out are the same on every list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Narrowed:
    conditions: tuple[str, ...]  # in words, as the figure's definition says them
    show_all: str  # the same list without the narrowing parameters (other filters kept)


def narrowed(request: HttpRequest, conditions: Sequence[str | Promise],
             params: Iterable[str]) -> Narrowed | None:
    """The line for a list narrowed by ``conditions`` (None when there are none); ``params``
    are the query parameters that carry them, which "show all" drops along with the page."""
    if not conditions:
        return None
    rest = request.GET.copy()
    for name in (*params, "page"):
        rest.pop(name, None)
    query = rest.urlencode()
    return Narrowed(tuple(str(c) for c in conditions),
                    f"{request.path}?{query}" if query else request.path)


def condition(label: str | Promise | None) -> str:
    """A condition's words; a value the list does not know (a hand-edited link) says so rather
    than showing the value."""
    return str(label) if label else _("unknown condition")
