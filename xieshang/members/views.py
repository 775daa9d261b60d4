from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from xieshang.core.http import XRequest
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members import permissions, selectors
from xieshang.members.models import HandlingUnit, Member, Sector


@login_required
def member_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_view_directory(actor):
        raise PermissionDenied
    qs = selectors.member_list(actor, q=request.GET.get("q", "").strip()[:50],
                               sector=request.GET.get("sector", ""))
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    template = "members/_member_rows.html" if request.htmx else "members/member_list.html"
    return render(request, template, {
        "page": page, "sectors": scoped(actor, Sector).filter(is_active=True),
        "q": request.GET.get("q", ""), "sector": request.GET.get("sector", ""),
    })


@login_required
def member_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    member = get_scoped_or_404(actor, Member, pk=pk)
    if not permissions.can_view_member(actor, member):
        raise PermissionDenied
    return render(request, "members/member_detail.html", {
        "member": member,
        "show_id": permissions.can_see_full_id_number(actor),
        "tenures": member.tenures.select_related("term", "sector"),
        "positions": member.positions.select_related("term"),
        "special_committees": member.special_committee_memberships.select_related(
            "special_committee"),
    })


@login_required
def unit_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_view_directory(actor):
        raise PermissionDenied
    qs = selectors.unit_list(actor, q=request.GET.get("q", "").strip()[:50],
                             kind=request.GET.get("kind", ""))
    return render(request, "members/unit_list.html", {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")),
        "kinds": HandlingUnit.Kind.choices, "q": request.GET.get("q", ""),
    })
