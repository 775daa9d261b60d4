from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xieshang.core.http import XRequest
from xieshang.search.query import search

PAGE = 20
KIND_LABELS = {
    "proposal": _("Proposals"), "reply": _("Replies"), "opinion": _("Public-opinion reports"),
    "activity": _("Activities"), "topic": _("Public topics"), "member": _("Members"),
    "unit": _("Handling units"),
}


@login_required
def search_page(request: XRequest) -> HttpResponse:
    actor = request.actor
    if actor.committee is None:
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")[:32]
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    results = search(actor, query, kind=kind, limit=PAGE, offset=(page - 1) * PAGE)
    kinds = [{"kind": k, "label": str(KIND_LABELS.get(k, k)), "count": n}
             for k, n in sorted(results.facets.get("kind", {}).items(), key=lambda x: -x[1])]
    template = "search/_results.html" if request.htmx else "search/search.html"
    return render(request, template, {
        "q": query, "kind": kind, "results": results, "kinds": kinds, "page": page,
        "has_next": page * PAGE < results.total, "kind_labels": KIND_LABELS,
    })
