"""One place decides whether a link is shown: the same check the target view runs.

A view states who may open it with ``@opens_for(check)`` (``check(actor) -> bool``, usually a
function of the app's ``permissions.py``); the decorator refuses everyone else with 403 and
keeps the check on the view. A template asks ``{% may_open "app:name" as ok %}`` and a view
``may_open(actor, "app:name")``: both resolve the URL to the view and run its check, so a page
never shows a link its target would refuse. Views without a declared check answer ``True``
(their own object-level rules decide; pages show those links through the app's selectors).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from xieshang.core.permissions import Actor


def opens_for(check: Callable[..., bool], *, with_url_kwargs: bool = False,
              ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Refuse whoever ``check(actor)`` refuses; with ``with_url_kwargs`` the check also gets
    the URL's keyword arguments (``check(actor, name="to_edit")``)."""
    def bound(actor: Actor, kwargs: dict[str, Any]) -> bool:
        return bool(check(actor, **kwargs) if with_url_kwargs else check(actor))

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not bound(request.actor, kwargs):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded.link_check = bound  # type: ignore[attr-defined]
        return guarded

    return decorator


def may_open_path(actor: Actor | None, url: str) -> bool:
    """Whether ``actor`` may open the page at ``url`` (a path with its query, as figures link
    to their lists): the same check, found from the path."""
    if actor is None:
        return False
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    check: Callable[[Actor, dict[str, Any]], bool] | None = getattr(
        match.func, "link_check", None)
    return True if check is None else check(actor, dict(match.kwargs))


def may_open(actor: Actor | None, name: str, *args: Any) -> bool:
    """Whether ``actor`` may open the page named ``name`` (with ``args``)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return False
    return may_open_path(actor, url)
