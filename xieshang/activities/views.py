"""Pages of the activities app. Thin: parse, authorize, call a service or selector, render."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.activities import permissions, reading, selectors, services, workflow
from xieshang.activities.forms import (
    ADOPTION_CHOICES,
    ActivityForm,
    FileForm,
    InviteForm,
    MaterialForm,
    SuggestionForm,
)
from xieshang.activities.models import (
    Activity,
    ActivityFile,
    ActivityType,
    AnnualPlan,
    Invitation,
    PlanItem,
    Suggestion,
)
from xieshang.core import clock, workflow_views
from xieshang.core.files import send_file, xlsx_response
from xieshang.core.forms import error_text, form_errors, run_service
from xieshang.core.http import XRequest, query_date, query_month
from xieshang.core.lazy import lazy_import
from xieshang.core.links import opens_for
from xieshang.core.lists import Narrowed, condition, narrowed
from xieshang.core.paging import CappedPaginator
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members.models import ActivityGroup, HandlingUnit, Member, SpecialCommittee
from xieshang.members.services import current_term

if TYPE_CHECKING:
    from xieshang.activities import documents
else:  # python-docx and reportlab are loaded with the first document
    documents = lazy_import("xieshang.activities.documents")



def _activity(request: XRequest, pk: int) -> Activity:
    """The fetch is the check: 404 unless the activity is in ``selectors.visible``."""
    return get_scoped_or_404(request.actor,
                             selectors.visible(request.actor).select_related("type"), pk=pk)


@login_required
def activity_file(request: XRequest, pk: int) -> FileResponse:
    """A file of an activity, only for those who may see the activity (not from /media/)."""
    actor = request.actor
    row = get_scoped_or_404(actor, scoped(actor, ActivityFile).filter(
        activity__in=selectors.visible(actor).values("pk")), pk=pk)
    return send_file(row.file)


@login_required
def material_file(request: XRequest, pk: int) -> FileResponse:
    material = get_scoped_or_404(request.actor, selectors.visible_materials(request.actor),
                                 pk=pk)
    return send_file(material.file)


def _editable(request: XRequest, pk: int) -> Activity:
    activity = get_scoped_or_404(request.actor,
                                 scoped(request.actor, Activity).select_related("type"), pk=pk)
    if not permissions.can_edit_activity(request.actor, activity):
        raise PermissionDenied
    return activity


def _date(value: str) -> dt.date | None:
    return query_date({"d": value}, "d")


def _filters(request: XRequest) -> dict[str, Any]:
    g = request.GET
    return {"type_code": g.get("type", "")[:200], "start": query_date(g, "from"),
            "end": query_date(g, "to"), "organiser": g.get("organiser", "")[:30],
            "q": g.get("q", "").strip()[:50], "status": g.get("status", "")[:12]}


# --- list, calendar, export ----------------------------------------------------------------


@login_required
def activity_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    if actor.committee is None:
        raise PermissionDenied
    services.activity_types_ensure(actor.committee)
    filters = _filters(request)
    today = clock.today()
    year, month = query_month(request.GET, "month") or (today.year, today.month)
    cal_filters = {k: v for k, v in filters.items() if k not in ("start", "end")}
    weeks = selectors.month_calendar(actor, year, month, **cal_filters)
    prev_month = (dt.date(year, month, 1) - dt.timedelta(days=1)).strftime("%Y-%m")
    next_month = (dt.date(year, month, 28) + dt.timedelta(days=4)).strftime("%Y-%m")
    page = CappedPaginator(selectors.activity_list(actor, **filters), 30).get_page(
        request.GET.get("page"))
    return render(request, "activities/activity_list.html", {
        "weeks": weeks, "year": year, "month": month, "prev_month": prev_month,
        "next_month": next_month, "today": today, "page": page, "f": request.GET,
        "types": scoped(actor, ActivityType).filter(is_active=True),
        "special_committees": scoped(actor, SpecialCommittee),
        "groups": scoped(actor, ActivityGroup),
        "can_manage": permissions.can_manage_activities(actor),
        "query": request.GET.urlencode(), "narrowed": _narrowed(request, filters["status"]),
    })


def _narrowed(request: XRequest, status: str) -> Narrowed | None:
    """The status a figure's link narrowed the list to (a field the form does not show)."""
    if not status:
        return None
    label = (_("activities held (not planned or cancelled)") if status == Activity.Status.HELD
             else dict(Activity.Status.choices).get(status))
    return narrowed(request, [condition(label)], ("status",))


@login_required
def activity_export(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_view_all(actor):
        raise PermissionDenied
    data = documents.activities_xlsx(selectors.activity_list(actor, **_filters(request))[:5000])
    return xlsx_response(data, filename="activities.xlsx")


# --- create, edit, status ------------------------------------------------------------------


@login_required
def activity_create(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage_activities(actor) or actor.committee is None:
        raise PermissionDenied
    services.activity_types_ensure(actor.committee)
    form = ActivityForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=actor, committee=actor.committee, units=list(form.cleaned_data["units"]),
                materials=list(form.cleaned_data["materials"]), **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The activity has been created."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": None})


def _form_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form_errors(form, exc)


@login_required
def activity_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    activity = _editable(request, pk)
    form = ActivityForm(actor, request.POST or None, initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=actor, activity=activity,
                                     units=list(form.cleaned_data["units"]),
                                     materials=list(form.cleaned_data["materials"]),
                                     **form.service_kwargs())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:detail", activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


@require_POST
@login_required
def activity_status(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    run_service(request, lambda: services.activity_set_status(
        actor=request.actor, activity=activity, status=request.POST.get("status", "")),
        _("Status changed."))
    return redirect("activities:detail", pk)


# --- the activity page ---------------------------------------------------------------------


@login_required
def activity_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    activity = selectors.activity_for_page(actor, pk)
    can_edit = permissions.can_edit_activity(actor, activity)
    invitations = list(activity.invitations.all())
    mine = next((i for i in invitations if i.member_id == actor.member_id), None)
    return render(request, "activities/activity_detail.html", {
        "a": activity, "can_edit": can_edit, "invitations": invitations if can_edit or
        permissions.can_view_all(actor) else [], "mine": mine,
        "my_offers": workflow.INVITATION.offers(actor, mine) if mine else [],
        "stats": selectors.attendance_by_activity(activity),
        "leave_pending": [(i, workflow.INVITATION.offers(actor, i)) for i in invitations
                          if i.status == Invitation.Status.LEAVE_REQUESTED],
        "step_next": request.get_full_path(),
        "speeches": list(activity.speeches.all()) if can_edit or permissions.can_view_all(actor)
        else [s for s in activity.speeches.all() if s.member_id == actor.member_id],
        "suggestions": list(activity.suggestions.all()),
        "attendance_choices": Invitation.Attendance.choices,
        "file_form": FileForm() if can_edit else None,
        "suggestion_form": SuggestionForm(actor, activity) if can_edit else None,
        "statuses": Activity.Status.choices,
        "photos": [f for f in activity.files.all() if f.kind == ActivityFile.Kind.PHOTO],
        "docs": [f for f in activity.files.all() if f.kind != ActivityFile.Kind.PHOTO],
        "can_speak": mine is not None and activity.status == Activity.Status.PLANNED
        and activity.start > clock.now(),
    })


@login_required
def activity_invite(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    activity = _editable(request, pk)
    form = InviteForm(actor, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rows = services.invitations_send(
                actor=actor, activity=activity, members=list(d["members"]),
                sector_ids=[s.pk for s in d["sectors"]],
                special_committee_ids=[s.pk for s in d["special_committees"]],
                group_ids=[g.pk for g in d["groups"]], everyone=d["everyone"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("%(n)s members invited.") % {"n": len(rows)})
            return redirect("activities:detail", pk)
    return render(request, "activities/invite.html", {"form": form, "a": activity})


@require_POST
@login_required
def activity_attendance(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    values: dict[int, str] = {}
    for key in request.POST:
        if key.startswith("att_") and key[4:].isdigit():
            values[int(key[4:])] = request.POST.get(key, "")
    run_service(request, lambda: services.bulk_attendance(
        actor=request.actor, activity=activity, values=values), _("Attendance saved."))
    return redirect(reverse("activities:detail", args=[pk]) + "#participants")


@require_POST
@login_required
def attendance_import(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an Excel file."))
    else:
        run_service(request, lambda: services.attendance_import(
            actor=request.actor, activity=activity, fh=upload), _("Attendance imported."))
    return redirect("activities:detail", pk)


@require_POST
@login_required
def activity_file_add(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a kind and a file."))
    else:
        d = form.cleaned_data
        run_service(request, lambda: services.activity_file_add(
            actor=request.actor, activity=activity, kind=d["kind"], title=d["title"],
            upload=d["upload"]), _("File added."))
    return redirect("activities:detail", pk)


@require_POST
@login_required
def speech_submit(request: XRequest, pk: int) -> HttpResponse:
    activity = _activity(request, pk)
    done = run_service(request, lambda: services.speech_submit(
        actor=request.actor, activity=activity, title=request.POST.get("title", ""),
        text=request.POST.get("text", "")), _("Your speech has been submitted."))
    if not done and request.POST.get("offline_sync"):
        # A copy written offline and sent by pwa.js: not a redirect, so the page keeps it.
        return HttpResponse(status=400)
    return redirect("activities:detail", pk)


@require_POST
@login_required
def suggestion_add(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    activity = _editable(request, pk)
    form = SuggestionForm(actor, activity, request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the suggestion."))
    else:
        d = form.cleaned_data
        run_service(request, lambda: services.suggestion_record(
            actor=actor, activity=activity, text=d["text"], recipient_unit=d["recipient_unit"],
            recipient_body=d["recipient_body"], document=d["document"]),
            _("Added to the suggestion ledger."))
    return redirect(reverse("activities:detail", args=[pk]) + "#suggestions")


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
def notice_docx(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    response = HttpResponse(documents.notice_docx(activity), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="notice-{pk}.docx"'
    return response


@login_required
def sign_in_sheet_docx(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    response = HttpResponse(documents.sign_in_sheet_docx(activity), content_type=DOCX)
    response["Content-Disposition"] = f'attachment; filename="sign-in-{pk}.docx"'
    return response


# --- QR sign-in ----------------------------------------------------------------------------


def _qr_context(request: XRequest, activity: Activity) -> dict[str, Any]:
    window, token = services.qr_window_open(actor=request.actor, activity=activity)
    url = request.build_absolute_uri(reverse("activities:qr-sign-in", args=[token]))
    return {"a": activity, "svg": documents.qr_svg(url), "url": url, "window": window,
            "stats": selectors.attendance_by_activity(activity)}


@login_required
def qr_display(request: XRequest, pk: int) -> HttpResponse:
    """The page shown on the screen at the venue; the code is replaced every minute."""
    activity = _editable(request, pk)
    try:
        context = _qr_context(request, activity)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("activities:detail", pk)
    return render(request, "activities/qr_display.html", context)


@login_required
def qr_code(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    try:
        context = _qr_context(request, activity)
    except ValidationError as exc:
        return HttpResponse(error_text(exc), status=400)
    return render(request, "activities/_qr_code.html", context)


@require_POST
@login_required
def qr_close(request: XRequest, pk: int) -> HttpResponse:
    activity = _editable(request, pk)
    services.qr_windows_close(actor=request.actor, activity=activity)
    messages.success(request, _("Sign-in closed."))
    return redirect("activities:detail", pk)


@login_required
def qr_sign_in(request: XRequest, token: str) -> HttpResponse:
    """GET shows what the member is signing in to; POST signs in. A member who is signed in
    already (a second scan, a double tap, the link opened again later) is told when, calmly,
    and nothing is written."""
    actor = request.actor
    context: dict[str, Any] = {"token": token}
    named = services.qr_activity(token)
    if named is not None and (already := selectors.signed_in_already(actor, named)):
        context["a"], context["already"] = named, already
        return render(request, "activities/qr_sign_in.html", context)
    try:
        context["a"] = services.qr_peek(token)
        if request.method == "POST":
            context["done"] = services.qr_sign_in(actor=actor, token=token)
    except services.QrRefused as exc:
        # Two taps at once: the second meets the first one's use of the code.
        if exc.reason == "reused" and named is not None and (
                already := selectors.signed_in_already(actor, named)):
            context["already"] = already
            return render(request, "activities/qr_sign_in.html", context)
        context["refused"] = error_text(exc)
        context["reason"] = exc.reason
        return render(request, "activities/qr_sign_in.html", context, status=403)
    return render(request, "activities/qr_sign_in.html", context)


# --- member's invitations ------------------------------------------------------------------


@login_required
def my_invitations(request: XRequest) -> HttpResponse:
    actor = request.actor
    rows = list(selectors.my_invitations(actor)[:100])
    return render(request, "activities/my_invitations.html", {
        "rows": [(i, workflow.INVITATION.offers(actor, i)) for i in rows], "now": clock.now(),
        "step_next": request.get_full_path()})


@require_POST
@login_required
def invitation_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    """The forms of ``workflow.INVITATION`` (reply, leave, the decision on leave) post here."""
    actor = request.actor
    invitation = get_scoped_or_404(actor, scoped(actor, Invitation).select_related(
        "activity", "member"), pk=pk)
    return workflow_views.act(request, workflow.INVITATION, invitation, action,
                              next_url=reverse("activities:my-invitations"))


@login_required
def leave_requests(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage_activities(actor):
        raise PermissionDenied
    return render(request, "activities/leave_requests.html", {
        "rows": [(i, workflow.INVITATION.offers(actor, i))
                 for i in selectors.leave_requests(actor)],
        "step_next": request.get_full_path()})


# --- ledger --------------------------------------------------------------------------------


def _ledger_filters(g: Any) -> dict[str, Any]:
    """The ledger page's filters (the page and its export read the same ones)."""
    return {"status": g.get("status", "")[:12], "overdue": g.get("overdue") == "1",
            "type_code": g.get("type", "")[:200], "unit": g.get("unit", "")[:10],
            "held_from": query_date(g, "from"), "held_to": query_date(g, "to")}


@login_required
@opens_for(permissions.can_view_ledger)
def ledger(request: XRequest) -> HttpResponse:
    actor = request.actor
    g = request.GET
    qs = selectors.ledger(actor, **_ledger_filters(g))
    page = Paginator(qs, 30).get_page(g.get("page"))
    # A department's clerk sees the items sent to it, not always the activity they came from.
    open_activities = set(selectors.visible(actor).filter(
        pk__in={s.activity_id for s in page}).values_list("pk", flat=True))
    return render(request, "activities/ledger.html", {
        "page": page, "rows": [(s, workflow.SUGGESTION.offers(actor, s)) for s in page],
        "open_activities": open_activities,
        "f": g, "step_next": request.get_full_path(),
        "statuses": Suggestion.Status.choices, "types": scoped(actor, ActivityType),
        "units": scoped(actor, HandlingUnit).filter(is_active=True),
        "adoption_choices": ADOPTION_CHOICES, "today": clock.today(),
        "can_keep": permissions.can_keep_ledger(actor), "query": g.urlencode(),
    })


@login_required
def ledger_export(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_view_ledger(actor):
        raise PermissionDenied
    g = request.GET
    data = documents.ledger_xlsx(selectors.ledger(actor, **_ledger_filters(g))[:5000])
    return xlsx_response(data, filename="ledger.xlsx")


@require_POST
@login_required
def suggestion_action(request: XRequest, pk: int, action: str) -> HttpResponse:
    """The steps of ``workflow.SUGGESTION``, and the follow-up and reminder of an item."""
    actor = request.actor
    s = get_scoped_or_404(actor, scoped(actor, Suggestion).select_related("activity__committee"),
                          pk=pk)
    ledger = reverse("activities:ledger") + "?" + request.POST.get("query", "")
    if action in workflow.SUGGESTION.steps:
        return workflow_views.act(request, workflow.SUGGESTION, s, action, next_url=ledger)
    calls: dict[str, Callable[[], Any]] = {
        "follow_up": lambda: services.suggestion_follow_up(
            actor=actor, suggestion=s, follow_up=request.POST.get("follow_up", "")),
        "remind": lambda: services.suggestion_remind(actor=actor, suggestion=s),
    }
    if action not in calls:
        raise PermissionDenied
    run_service(request, calls[action], _("Saved."))
    return redirect(ledger)


# --- annual plan ---------------------------------------------------------------------------


@login_required
@opens_for(permissions.can_view_all)
def plan_page(request: XRequest) -> HttpResponse:
    actor = request.actor
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or
                   clock.today().year)
    except ValueError:
        year = clock.today().year
    if not 2000 <= year <= 2100:  # noqa: PLR2004 - a year the database and calendar can hold
        year = clock.today().year
    if request.method == "POST":
        if not permissions.can_manage_plan(actor):
            raise PermissionDenied
        # Control characters cannot be stored (PostgreSQL refuses NUL): drop them.
        title = "".join(ch for ch in request.POST.get("title", "")
                        if ch >= " " or ch in "\t")
        run_service(request, lambda: services.plan_create(
            actor=actor, committee=actor.committee,  # type: ignore[arg-type]
            year=year, title=title or
            _("%(y)s annual consultation plan") % {"y": year}), _("Plan created."))
        return redirect(reverse("activities:plan") + f"?year={year}")
    plan = scoped(actor, AnnualPlan).filter(year=year).first()
    services.activity_types_ensure(actor.committee)  # type: ignore[arg-type]  # checked by can_view_all
    return render(request, "activities/plan.html", {
        "plan": plan, "year": year, "progress": selectors.plan_with_progress(actor, plan)
        if plan else None,
        "years": sorted(set(scoped(actor, AnnualPlan).values_list("year", flat=True)) | {year}),
        "types": scoped(actor, ActivityType).filter(is_active=True),
        "special_committees": scoped(actor, SpecialCommittee),
        "units": scoped(actor, HandlingUnit).filter(is_active=True),
        "leaders": scoped(actor, Member).filter(positions__end_date__isnull=True,
                                                positions__kind__in=["chair", "vice_chair"])
        .distinct(),
        "activities": scoped(actor, Activity).filter(start__year=year).order_by("start")
        .select_related("type"),
        "chair_meetings": scoped(actor, Activity).filter(type__code="chair_meeting",
                                                         start__year__in=[year - 1, year]),
        "can_manage": permissions.can_manage_plan(actor),
        "can_approve": permissions.can_approve_plan(actor), "months": range(1, 13),
    })


@require_POST
@login_required
def plan_item_add(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = get_scoped_or_404(actor, AnnualPlan, pk=pk)
    if not permissions.can_manage_plan(actor):
        raise PermissionDenied
    p = request.POST

    def call() -> Any:
        try:
            month = int(p.get("planned_month", ""))
        except ValueError as exc:
            raise ValidationError(_("Enter a month from 1 to 12.")) from exc
        sc = p.get("lead_special_committee")
        lead = p.get("lead")
        return services.plan_item_add(
            actor=actor, plan=plan, type=get_scoped_or_404(actor, ActivityType,
                                                           pk=p.get("type", "")),
            topic=p.get("topic", ""), planned_month=month,
            lead_special_committee=get_scoped_or_404(actor, SpecialCommittee, pk=sc)
            if sc else None,
            lead=get_scoped_or_404(actor, Member, pk=lead) if lead else None,
            units=list(scoped(actor, HandlingUnit).filter(pk__in=[
                u for u in p.getlist("units") if u.isdigit()])))
    run_service(request, call, _("Item added."))
    return redirect(reverse("activities:plan") + f"?year={plan.year}")


@require_POST
@login_required
def plan_approve(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    plan = get_scoped_or_404(actor, AnnualPlan, pk=pk)
    if not permissions.can_approve_plan(actor):
        raise PermissionDenied
    meeting_id = request.POST.get("meeting")
    run_service(request, lambda: services.plan_approve(
        actor=actor, plan=plan, approved_on=_date(request.POST.get("approved_on", "")) or
        clock.today(),
        meeting=get_scoped_or_404(actor, Activity, pk=meeting_id) if meeting_id else None),
        _("The plan is approved."))
    return redirect(reverse("activities:plan") + f"?year={plan.year}")


@require_POST
@login_required
def plan_item_action(request: XRequest, pk: int, action: str) -> HttpResponse:
    actor = request.actor
    item = get_scoped_or_404(actor, scoped(actor, PlanItem).select_related("plan"), pk=pk)
    if not permissions.can_manage_plan(actor):
        raise PermissionDenied
    p = request.POST
    if action == "link":
        run_service(request, lambda: services.plan_item_link(
            actor=actor, item=item, activity=get_scoped_or_404(actor, Activity,
                                                               pk=p.get("activity", ""))),
            _("Linked."))
    elif action == "move":
        month = p.get("to_month", "")
        run_service(request, lambda: services.plan_item_move(
            actor=actor, item=item, to_month=int(month) if month.isdigit() else None,
            note=p.get("note", "")), _("Item moved."))
    else:
        raise PermissionDenied
    return redirect(reverse("activities:plan") + f"?year={item.plan.year}")


# --- learning ------------------------------------------------------------------------------


@login_required
def learning(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_read_materials(actor) or actor.committee is None:
        raise PermissionDenied
    can_manage = permissions.can_manage_activities(actor)
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.material_create(actor=actor, committee=actor.committee,
                                         title=d["title"], url=d["url"], text=d["text"],
                                         upload=d["upload"], audience=d["audience"])
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Material published."))
                return redirect("activities:learning")
    today = clock.today()
    mine = set()
    if actor.member_id:
        mine = set(selectors.visible_materials(actor).filter(
            readings__member_id=actor.member_id, readings__marked_read=True)
            .values_list("pk", flat=True))
    context: dict[str, Any] = {
        "materials": selectors.materials_for(actor)[:100], "mine": mine, "form": form,
        "can_manage": can_manage}
    if can_manage or permissions.can_view_all(actor):
        term = services_current_term(actor)
        context["coverage_year"] = selectors.learning_coverage_for_year(actor.committee,
                                                                        today.year)
        context["coverage_term"] = selectors.learning_coverage_for_term(term, today) \
            if term else None
        context["term"] = term
        context["year"] = today.year
    return render(request, "activities/learning.html", context)


def services_current_term(actor: Any) -> Any:
    return current_term(actor.committee) if actor.committee else None


@login_required
def material_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    material = get_scoped_or_404(actor, selectors.visible_materials(actor), pk=pk)
    record = None
    token = ""
    if actor.member_id is not None:
        record = services.reading_record(actor=actor, material=material)
        token = reading.token_for(material.pk, actor.member_id)
    readers = None
    if permissions.can_view_all(actor):
        readers = material.readings.select_related("member").order_by("-opened_at")[:500]
    return render(request, "activities/material.html", {
        "m": material, "record": record, "readers": readers, "opened": token})


@require_POST
@login_required
def material_read(request: XRequest, pk: int) -> HttpResponse:
    """"Mark as read" (the time since this opening is credited, once)."""
    actor = request.actor
    material = get_scoped_or_404(actor, selectors.visible_materials(actor), pk=pk)
    services.reading_report(actor=actor, material=material,
                            token=request.POST.get("opened", ""), marked_read=True)
    messages.success(request, _("Marked as read."))
    return redirect("activities:learning")
