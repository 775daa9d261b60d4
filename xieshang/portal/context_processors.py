"""Public pages of other apps (有事好商量, disclosed replies) sit inside the website's layout:
for a request to one of them this gives the committee's site, its columns and the layout to
extend (``{% extends public_layout|default:"base.html" %}``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xieshang.participation import selectors as participation
from xieshang.portal import selectors
from xieshang.portal.models import Site

# url names (namespaced) of public pages outside the portal app that take a committee code
PUBLIC_PAGES = frozenset({"opinions:public-topics", "opinions:public-track", "proposal-public"})
SURVEY_PAGE = "participation:public-survey"


def public_site(request: HttpRequest) -> dict[str, Any]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    sites = Site.objects.select_related("committee").filter(committee__is_active=True,
                                                            is_public=True)
    if match.view_name == SURVEY_PAGE and "pk" in match.kwargs:
        # The anonymous survey page is addressed by the survey: its committee's site.
        sites = sites.filter(committee__in=participation.public_surveys().filter(
            pk=match.kwargs["pk"]).values("committee"))
    elif match.view_name in PUBLIC_PAGES and "code" in match.kwargs:
        sites = sites.filter(committee__code=match.kwargs["code"])
    else:
        return {}
    site = sites.first()
    if site is None:
        return {}
    return {"site": site, "columns": selectors.columns(site.committee),
            "public_layout": "portal/public_base.html"}
