"""Public pages of other apps (有事好商量, disclosed replies) sit inside the website's layout:
for a request to one of them this gives the committee's site, its columns and the layout to
extend (``{% extends public_layout|default:"base.html" %}``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xieshang.portal import selectors
from xieshang.portal.models import Site

# url names (namespaced) of public pages outside the portal app that take a committee code
PUBLIC_PAGES = frozenset({"opinions:public-topics", "opinions:public-track", "proposal-public"})


def public_site(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in PUBLIC_PAGES or "code" not in match.kwargs:
        return {}
    site = (Site.objects.select_related("committee")
            .filter(committee__code=match.kwargs["code"], committee__is_active=True,
                    is_public=True).first())
    if site is None:
        return {}
    return {"site": site, "columns": selectors.columns(site.committee),
            "public_layout": "portal/public_base.html"}
