from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core import clock
from xieshang.core.files import xlsx_response
from xieshang.core.forms import form_errors
from xieshang.core.http import XRequest
from xieshang.core.models import Committee
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members import permissions, roster, selectors, services
from xieshang.members.forms import MemberForm, MemberLeaveForm, RosterUploadForm, UnitForm
from xieshang.members.models import HandlingUnit, Member, Sector

MEMBER_STATUSES = {"active": Member.Status.ACTIVE, "left": Member.Status.LEFT, "all": ""}
# Errors shown on the preview page; the count above the table gives the full number.
SHOWN_ERRORS = 1000
SHOWN_ROWS = 300


def _office_committee(actor: Actor) -> Committee:
    """The office pages: office staff and admins of the committee the user acts in."""
    if actor.committee is None or not permissions.can_edit_organisation(actor):
        raise PermissionDenied
    return actor.committee


def _kind(value: str) -> roster.Kind:
    if value == "members":
        return "members"
    if value == "units":
        return "units"
    raise Http404


@login_required
def member_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_view_directory(actor):
        raise PermissionDenied
    can_edit = permissions.can_edit_organisation(actor)
    # Former members are listed for the office that keeps the roster; others see who serves.
    status_key = request.GET.get("status", "active") if can_edit else "active"
    status = MEMBER_STATUSES.get(status_key, Member.Status.ACTIVE)
    standing = request.GET.get("standing") == "1"
    qs = selectors.member_list(actor, q=request.GET.get("q", "").strip()[:50],
                               sector=request.GET.get("sector", ""), status=status,
                               standing=True if standing else None)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    template = "members/_member_rows.html" if request.htmx else "members/member_list.html"
    # A name links to the record only where member_detail would open it (the same selector).
    openable = set(selectors.visible(actor).filter(pk__in=[m.pk for m in page])
                   .values_list("pk", flat=True))
    return render(request, template, {
        "page": page, "openable": openable, "sectors": scoped(actor, Sector).filter(is_active=True),
        "q": request.GET.get("q", ""), "sector": request.GET.get("sector", ""),
        "status": status_key if status_key in MEMBER_STATUSES else "active",
        "can_edit": can_edit, "standing": standing,
    })


@login_required
def member_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    member = get_scoped_or_404(actor, selectors.visible(actor), pk=pk)
    return render(request, "members/member_detail.html", {
        "member": member,
        "show_id": permissions.can_see_full_id_number(actor),
        "can_edit": permissions.can_edit_organisation(actor),
        "tenures": member.tenures.select_related("term", "sector"),
        "positions": member.positions.select_related("term"),
        "special_committees": member.special_committee_memberships.select_related(
            "special_committee"),
    })


@login_required
def member_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    committee = _office_committee(actor)
    form = MemberForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(actor=actor, committee=committee,
                                            **form.member_fields())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Member %(name)s added.") % {"name": member.name})
            return redirect("member-detail", member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": None})


@login_required
def member_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    _office_committee(actor)
    member = get_scoped_or_404(actor, Member, pk=pk)
    form = MemberForm(request.POST or None, actor=actor, member=member)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_member_fields()
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return redirect("member-detail", member.pk)
        try:
            services.member_update(actor=actor, member=member, **changed)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The member's record was saved."))
            return redirect("member-detail", member.pk)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@login_required
def member_leave(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    _office_committee(actor)
    member = get_scoped_or_404(actor, Member, pk=pk)
    if member.status == Member.Status.LEFT:
        messages.info(request, _("%(name)s has already left.") % {"name": member.name})
        return redirect("member-detail", member.pk)
    form = MemberLeaveForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        services.member_leave(actor=actor, member=member, left_on=form.cleaned_data["left_on"],
                              reason=form.cleaned_data["reason"])
        messages.success(request, _("%(name)s is recorded as having left.")
                         % {"name": member.name})
        return redirect("member-detail", member.pk)
    return render(request, "members/member_leave.html", {"form": form, "member": member})


@login_required
def unit_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_view_directory(actor):
        raise PermissionDenied
    can_edit = permissions.can_edit_organisation(actor)
    show_inactive = can_edit and request.GET.get("inactive") == "1"
    qs = selectors.unit_list_for_office(actor, q=request.GET.get("q", "").strip()[:50],
                                        kind=request.GET.get("kind", ""),
                                        include_inactive=show_inactive)
    return render(request, "members/unit_list.html", {
        "page": Paginator(qs, 50).get_page(request.GET.get("page")),
        "kinds": HandlingUnit.Kind.choices, "q": request.GET.get("q", ""),
        "can_edit": can_edit, "show_inactive": show_inactive,
    })


@login_required
def unit_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    committee = _office_committee(actor)
    form = UnitForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=actor, committee=committee,
                                        **form.unit_fields())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s added.") % {"name": unit.name})
            return redirect("unit-list")
    return render(request, "members/unit_form.html", {"form": form, "unit": None})


@login_required
def unit_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    _office_committee(actor)
    unit = get_scoped_or_404(actor, HandlingUnit, pk=pk)
    form = UnitForm(request.POST or None, actor=actor, unit=unit)
    if request.method == "POST" and form.is_valid():
        changed = form.changed_unit_fields()
        if not changed:
            messages.info(request, _("Nothing was changed."))
            return redirect("unit-list")
        try:
            services.unit_update(actor=actor, unit=unit, **changed)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Unit %(name)s saved.") % {"name": unit.name})
            return redirect("unit-list")
    return render(request, "members/unit_form.html", {"form": form, "unit": unit})


# --- roster import and export ------------------------------------------------------------


def _preview(request: XRequest, result: roster.RosterResult, token: str,
             filename: str) -> HttpResponse:
    template = "members/_roster_result.html" if request.htmx else "members/roster_preview.html"
    return render(request, template, {
        "result": result, "token": token, "filename": filename,
        "errors": result.errors[:SHOWN_ERRORS], "more_errors": len(result.errors) > SHOWN_ERRORS,
        "changed_rows": [r for r in result.rows if r.action != "unchanged"][:SHOWN_ROWS],
        "shown_rows": SHOWN_ROWS,
    })


@login_required
def roster_import(request: XRequest) -> HttpResponse:
    """Upload → check everything (nothing saved) → preview with the errors or a summary."""
    actor = request.actor
    committee = _office_committee(actor)
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read(roster.MAX_FILE_BYTES + 1)
            kind = _kind(form.cleaned_data["kind"])
            create_sectors = form.cleaned_data["create_sectors"] and kind == "members"
            filename = (upload.name or "")[:200]
            result = roster.roster_import(actor=actor, committee=committee, data=data,
                                          kind=kind, create_sectors=create_sectors,
                                          dry_run=True, filename=filename)
            token = ""
            if result.ok:
                token = roster.pending_store(actor=actor, data=data, kind=kind,
                                             create_sectors=create_sectors, filename=filename)
            return _preview(request, result, token, filename)
    else:
        wanted = request.GET.get("kind", "members")
        form = RosterUploadForm(initial={"kind": wanted if wanted in roster.KINDS else "members"})
    return render(request, "members/roster_import.html", {"form": form})


@require_POST
@login_required
def roster_import_confirm(request: XRequest) -> HttpResponse:
    """Save a checked upload. The rows are checked again inside the writing transaction."""
    actor = request.actor
    committee = _office_committee(actor)
    token = request.POST.get("token", "")
    try:
        pending = roster.pending_load(actor=actor, token=token)
    except roster.PendingNotYours:
        raise Http404 from None
    if pending is None:
        messages.error(request, _("The uploaded file has expired or was already imported: "
                                  "upload it again."))
        return redirect("roster-import")
    result = roster.roster_import(actor=actor, committee=committee, data=pending.data,
                                  kind=pending.kind, create_sectors=pending.create_sectors,
                                  filename=pending.filename)
    roster.pending_discard(pending.token)
    if not result.applied:
        return _preview(request, result, "", pending.filename)
    messages.success(request, _("Roster imported: %(summary)s.") % {"summary": result.summary()})
    return redirect("member-list" if pending.kind == "members" else "unit-list")


@login_required
def roster_export(request: XRequest, kind: str) -> HttpResponse:
    actor = request.actor
    committee = _office_committee(actor)
    which = _kind(kind)
    data = roster.roster_export(actor=actor, committee=committee, kind=which)
    name = committee.short_name or committee.name
    label = _("member roster") if which == "members" else _("handling unit list")
    return xlsx_response(data, filename=f"{name}-{label}-{clock.today():%Y%m%d}.xlsx")


@login_required
def roster_template(request: XRequest, kind: str) -> HttpResponse:
    actor = request.actor
    committee = _office_committee(actor)
    which = _kind(kind)
    data = roster.roster_template(committee=committee, kind=which)
    label = _("member roster template") if which == "members" else _("unit list template")
    return xlsx_response(data, filename=f"{label}.xlsx")
