"""其他履职事项: awards, outside duties, volunteer service and penalties the office records by
hand (ManualItem). The office adds, corrects (with a reason) and voids them; a member sees
their own; every change is in the audit log and queues the year's recomputation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from xieshang.core import clock
from xieshang.core.files import send_file
from xieshang.core.forms import form_errors
from xieshang.core.http import XRequest
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.duties import permissions, selectors, services
from xieshang.duties.forms import ManualItemForm, VoidForm
from xieshang.members.models import Member


@require_safe
@login_required
def manual_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not (permissions.can_manage(actor) or actor.member_id is not None):
        raise PermissionDenied
    today = clock.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    year = min(max(year, 2000), today.year + 1)
    rows = selectors.manual_items_visible(actor).filter(date__year=year)
    q = request.GET.get("q", "").strip()[:50]
    if q:
        rows = rows.filter(Q(member__name__contains=q) | Q(description__contains=q))
    return render(request, "duties/manual_list.html", {
        "rows": rows.order_by("-date", "-id")[:500], "year": year, "q": q,
        "years": range(today.year, today.year - 6, -1),
        "can_manage": permissions.can_manage(actor)})


def _members(actor: Actor) -> QuerySet[Member]:
    return scoped(actor, Member).order_by("name")


@require_http_methods(["GET", "POST"])
@login_required
def manual_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage(actor):
        raise PermissionDenied
    form = ManualItemForm(request.POST or None, request.FILES or None, members=_members(actor),
                          initial={"date": clock.today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.manual_item_add(actor=actor, member=data["member"], date=data["date"],
                                     code=data["code"], description=data["description"],
                                     evidence=data["evidence"] or None)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Recorded; the member's score is being updated."))
            return redirect(f"{reverse('duty-manual')}?year={data['date'].year}")
    return render(request, "duties/manual_form.html", {"form": form, "item": None})


@require_http_methods(["GET", "POST"])
@login_required
def manual_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage(actor):
        raise PermissionDenied
    item = get_scoped_or_404(actor, selectors.manual_items_visible(actor), pk=pk)
    if item.voided_at is not None:
        messages.warning(request, _("A voided item cannot be changed."))
        return redirect("duty-manual")
    form = ManualItemForm(request.POST or None, request.FILES or None, members=_members(actor),
                          editing=True, initial={
                              "member": item.member, "date": item.date, "code": item.code,
                              "description": item.description})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.manual_item_update(actor=actor, item=item, date=data["date"],
                                        code=data["code"], description=data["description"],
                                        evidence=data["evidence"] or None,
                                        reason=data["reason"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved; the member's score is being updated."))
            return redirect("duty-manual")
    return render(request, "duties/manual_form.html", {"form": form, "item": item})


@require_http_methods(["GET", "POST"])
@login_required
def manual_void(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage(actor):
        raise PermissionDenied
    item = get_scoped_or_404(actor, selectors.manual_items_visible(actor), pk=pk)
    form = VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.manual_item_void(actor=actor, item=item,
                                      reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Withdrawn; it no longer counts."))
            return redirect("duty-manual")
    return render(request, "duties/manual_void.html", {"form": form, "item": item})


@require_safe
@login_required
def manual_evidence(request: XRequest, pk: int) -> HttpResponseBase:
    item = get_scoped_or_404(request.actor, selectors.manual_items_visible(request.actor), pk=pk)
    return send_file(item.evidence)
