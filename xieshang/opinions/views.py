"""Pages of the opinions app (thin: parse, authorize, call a service, render)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core import workflow_views
from xieshang.core.files import DOCX, PDF, download, send_file, xlsx_response
from xieshang.core.forms import error_text, form_errors
from xieshang.core.http import XRequest, query_int
from xieshang.core.lazy import lazy_import
from xieshang.core.links import opens_for
from xieshang.core.lists import condition, narrowed
from xieshang.core.models import User
from xieshang.core.paging import CappedPaginator
from xieshang.core.permissions import Actor
from xieshang.core.selectors import public_committee
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members.models import Sector
from xieshang.opinions import permissions, selectors, services, workflow
from xieshang.opinions.forms import (
    BulletinForm,
    CorrespondentForm,
    EditForm,
    OutcomeForm,
    ReportForm,
    TopicForm,
    form_text,
)
from xieshang.opinions.models import (
    Bulletin,
    Category,
    Correspondent,
    OpinionAttachment,
    OpinionOutcome,
    OpinionReport,
    OpinionVersion,
    Topic,
)

if TYPE_CHECKING:
    from xieshang.opinions import documents
else:  # python-docx and reportlab are loaded with the first document
    documents = lazy_import("xieshang.opinions.documents")

INBOX_TITLES = {
    "to_edit": gettext_lazy("Reports to edit"),
    "to_sign": gettext_lazy("Reports to sign off"),
    "to_publish": gettext_lazy("Reports to publish"),
    "to_send": gettext_lazy("Published reports to send on"),
    "received": gettext_lazy("Reports received from lower committees"),
}


def _as_correspondent(actor: Actor) -> Actor:
    """An invited correspondent (who holds no core role) acts in their committee."""
    if actor.committee is None and actor.user is not None:
        corr = selectors.correspondent_for_user(actor.user)
        if corr is not None:
            return Actor(user=actor.user, committee=corr.committee, ip=actor.ip)
    return actor


def acting(request: XRequest) -> Actor:
    """The actor; an invited correspondent (who holds no core role) acts in their committee."""
    request.actor = _as_correspondent(request.actor)
    return request.actor


def _may_list_reports(actor: Actor) -> bool:
    return permissions.can_list_reports(_as_correspondent(actor))


# --- reports ------------------------------------------------------------------------

@login_required
def home(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if permissions.can_list_reports(actor):
        return redirect("opinions:report-list")
    return redirect("opinions:mine")


@login_required
def mine(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if actor.committee is None:
        raise PermissionDenied
    return render(request, "opinions/mine.html", {
        "reports": selectors.my_reports(actor), "quota": selectors.member_quota(actor),
        "can_submit": permissions.can_submit(actor),
    })


@login_required
def submit(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_submit(actor):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_submit(actor=actor, **form_text(form),
                                            attachments=request.FILES.getlist("attachments"))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your report has been submitted."))
            return redirect("opinions:report-detail", report.pk)
    return render(request, "opinions/submit.html", {"form": form})


def _list_context(request: XRequest, actor: Actor) -> dict[str, object]:
    filters = selectors.ReportFilters.from_query(request.GET)
    qs = selectors.report_list(actor, filters)
    conditions = []  # what a figure's link added beyond the form's fields
    if filters.fact:
        fact = selectors.FACTS.get(filters.fact)
        conditions.append(condition(fact[0] if fact else None))
        if filters.fact == "reported_up":
            conditions[-1] += f"（{_('dates are those of sending up')}）"
    return {"page": CappedPaginator(qs, 30).get_page(request.GET.get("page")), "filters": filters,
            "narrowed": narrowed(request, conditions, ("fact",)),
            "statuses": OpinionReport.Status.choices, "categories": Category.choices,
            "sectors": scoped(actor, Sector).filter(is_active=True)}


@login_required
@opens_for(_may_list_reports)
def report_list(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_list_reports(actor):
        raise PermissionDenied
    if request.GET.get("export") == "xlsx":
        qs = selectors.report_list(actor, selectors.ReportFilters.from_query(request.GET))
        return xlsx_response(documents.reports_xlsx(qs[:5000]), filename="opinions.xlsx")
    return render(request, "opinions/report_list.html", _list_context(request, actor))


@login_required
@opens_for(permissions.can_open_inbox, with_url_kwargs=True)
def inbox(request: XRequest, name: str) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_open_inbox(actor, name):
        raise PermissionDenied
    return render(request, "opinions/inbox.html", {
        "reports": selectors.inbox(actor, name), "name": name,
        "title": str(INBOX_TITLES[name]),
        "can_bulletin": name == "to_publish" and permissions.can_manage_bulletins(actor),
        "bulletin_form": BulletinForm(),
    })


def _report_or_404(actor: Actor, pk: int) -> OpinionReport:
    return selectors.report_for_page(actor, pk)


@login_required
def report_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    report = _report_or_404(actor, pk)
    outcomes = selectors.outcomes_visible_on(report)
    return render(request, "opinions/report_detail.html", {
        "report": report, "events": selectors.events_of(report),
        "versions": selectors.versions_of(report), "outcomes": outcomes,
        "chain": selectors.upward_chain(report),
        "attachments": report.attachments.all(),
        "offers": workflow.REPORT.offers(actor, report),
        "can_edit": permissions.can_edit_text(actor, report),
        "can_outcome": permissions.can_record_outcome(actor, report),
        "outcome_form": OutcomeForm(),
        "instructions": [o for o in outcomes
                         if o.kind == OpinionOutcome.Kind.INSTRUCTION and o.report_id == report.pk],
    })


@login_required
def report_edit(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    report = _report_or_404(actor, pk)
    if not permissions.can_edit_text(actor, report):
        raise PermissionDenied
    initial = {k: getattr(report, k) for k in
               ("title", "category", "situation", "analysis", "suggestion", "body")}
    form = EditForm(request.POST or None, initial={**initial, "version": report.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_edit(actor=actor, report=report,
                                 expected_version=form.cleaned_data["version"],
                                 note=form.cleaned_data["note"], **form_text(form))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("opinions:report-detail", report.pk)
    return render(request, "opinions/edit.html", {"form": form, "report": report})


@login_required
@require_POST
def report_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    """Every step's form posts here: ``action`` names the step of ``workflow.REPORT``."""
    actor = acting(request)
    return workflow_views.act(request, workflow.REPORT, _report_or_404(actor, pk), action)


@login_required
@require_POST
def report_attach(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    report = _report_or_404(actor, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a file."))
    else:
        try:
            services.attachment_add(actor=actor, report=report, upload=upload)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    return redirect("opinions:report-detail", report.pk)


@login_required
def attachment_download(request: XRequest, pk: int) -> FileResponse:
    actor = acting(request)
    row = get_scoped_or_404(actor, scoped(actor, OpinionAttachment).filter(
        report__in=selectors.visible(actor).values("pk")), pk=pk)
    return send_file(row.file, filename=row.name)


@login_required
@require_POST
def report_outcome(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    report = _report_or_404(actor, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the outcome form."))
        return redirect("opinions:report-detail", report.pk)
    data = form.cleaned_data
    instruction = None
    if request.POST.get("instruction", "").isdigit():
        instruction = scoped(actor, OpinionOutcome).filter(
            pk=request.POST["instruction"]).first()
    try:
        services.outcome_record(actor=actor, report=report, kind=data["kind"], date=data["date"],
                                publication=data["publication"], person=data["person"],
                                person_level=data["person_level"], text=data["text"],
                                department=data["department"], reply=data["reply"],
                                instruction=instruction)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Outcome recorded."))
    return redirect("opinions:report-detail", report.pk)


@login_required
def report_diff(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    report = _report_or_404(actor, pk)
    try:
        a = query_int(request.GET, "a", 1, low=1, high=100_000)
        b = query_int(request.GET, "b", 0, low=0, high=100_000)
        if b == 0:
            b = report.versions.count()
        va, vb, segments = selectors.version_diff(report, a, b)
    except (ValueError, OpinionVersion.DoesNotExist) as exc:
        raise Http404(_("Not found.")) from exc
    return render(request, "opinions/diff.html", {
        "report": report, "a": va, "b": vb, "segments": segments,
        "versions": selectors.versions_of(report)})


# --- bulletins ----------------------------------------------------------------------

@login_required
def bulletin_list(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_view_bulletins(actor):
        raise PermissionDenied
    return render(request, "opinions/bulletin_list.html", {
        "bulletins": selectors.bulletin_list(actor),
        "can_manage": permissions.can_manage_bulletins(actor)})


@login_required
@require_POST
def bulletin_create(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_manage_bulletins(actor):
        raise PermissionDenied
    form = BulletinForm(request.POST)
    ids = [i for i in request.POST.getlist("reports") if i.isdigit()]
    reports = list(scoped(actor, OpinionReport).filter(pk__in=ids).order_by("id"))
    if not form.is_valid():
        messages.error(request, _("Choose single or digest."))
        return redirect("opinions:inbox-to_publish")
    try:
        bulletin = services.bulletin_create(
            actor=actor, kind=form.cleaned_data["kind"], reports=reports,
            recipients=form.cleaned_data["recipients"] or None)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("opinions:inbox-to_publish")
    return redirect("opinions:bulletin-detail", bulletin.pk)


@login_required
def bulletin_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_view_bulletins(actor):
        raise PermissionDenied
    bulletin = get_scoped_or_404(actor, selectors.visible_bulletins(actor), pk=pk)
    return render(request, "opinions/bulletin_detail.html", {
        "bulletin": bulletin, "reports": selectors.bulletin_reports(bulletin),
        "can_manage": permissions.can_manage_bulletins(actor),
    })


@login_required
@require_POST
def bulletin_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    actor = acting(request)
    bulletin = get_scoped_or_404(actor, Bulletin, pk=pk)
    funcs = {"publish": services.bulletin_publish, "send": services.bulletin_send,
             "delete": services.bulletin_delete}
    if action not in funcs:
        raise Http404(_("Not found."))
    try:
        funcs[action](actor=actor, bulletin=bulletin)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Done."))
        if action == "delete":
            return redirect("opinions:bulletin-list")
    return redirect("opinions:bulletin-detail", bulletin.pk)


@login_required
def bulletin_file(request: XRequest, pk: int, fmt: str) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_view_bulletins(actor):
        raise PermissionDenied
    bulletin = get_scoped_or_404(actor, selectors.visible_bulletins(actor).select_related(
        "committee"), pk=pk)
    reports = selectors.bulletin_reports(bulletin)
    name = f"社情民意{bulletin.year}年第{bulletin.number}期"
    if fmt == "pdf":
        return download(documents.bulletin_pdf(bulletin, reports), f"{name}.pdf", PDF)
    return download(documents.bulletin_docx(bulletin, reports), f"{name}.docx", DOCX)


# --- quotas and correspondents ------------------------------------------------------

@login_required
def quota(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_view_quota(actor):
        raise PermissionDenied
    year = query_int(request.GET, "year", 0, low=2000, high=2100)
    rows = selectors.quota_progress(actor, year or None)
    return render(request, "opinions/quota.html", {
        "rows": rows, "year": year or None, "met": sum(1 for r in rows if r.met)})


@login_required
@opens_for(permissions.can_manage_correspondents)
def correspondents(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_manage_correspondents(actor):
        raise PermissionDenied
    form = CorrespondentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ident = form.cleaned_data["username"].strip()
        user = User.objects.filter(Q(username=ident) | Q(phone=ident)).first()
        if user is None:
            form.add_error("username", _("No account with this username or phone."))
        else:
            try:
                services.correspondent_create(actor=actor, user=user,
                                              name=form.cleaned_data["name"],
                                              organisation=form.cleaned_data["organisation"])
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("opinions:correspondents")
    return render(request, "opinions/correspondents.html", {
        "form": form, "rows": scoped(actor, Correspondent).select_related("user")})


@login_required
@require_POST
def correspondent_toggle(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    row = get_scoped_or_404(actor, Correspondent, pk=pk)
    services.correspondent_set_active(actor=actor, correspondent=row, active=not row.is_active)
    return redirect("opinions:correspondents")


# --- topics (staff) ----------------------------------------------------------------

@login_required
def topic_list(request: XRequest) -> HttpResponse:
    actor = acting(request)
    if not permissions.can_screen_topics(actor):
        raise PermissionDenied
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()[:50]
    return render(request, "opinions/topic_list.html", {
        "page": Paginator(selectors.topic_list(actor, status=status, q=q), 30).get_page(
            request.GET.get("page")),
        "statuses": Topic.Status.choices, "status": status, "q": q})


@login_required
def topic_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = acting(request)
    topic = _topic_or_404(actor, pk)
    return render(request, "opinions/topic_detail.html", {
        "topic": topic, "offers": workflow.TOPIC.offers(actor, topic),
        "events": topic.events.select_related("actor"), "consultation": topic.consultation})


@login_required
@require_POST
def topic_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    """Every step's form posts here: ``action`` names the step of ``workflow.TOPIC``."""
    actor = acting(request)
    return workflow_views.act(request, workflow.TOPIC, _topic_or_404(actor, pk), action)


def _topic_or_404(actor: Actor, pk: int) -> Topic:
    if not permissions.can_screen_topics(actor):
        raise PermissionDenied
    return get_scoped_or_404(actor, selectors.visible_topics(actor).select_related("merged_into"),
                             pk=pk)


# --- topics (public, no login) -------------------------------------------------------

def public_topics(request: XRequest, code: str) -> HttpResponse:
    committee = public_committee(code)
    form = TopicForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.topic_raise(
                committee=committee, title=data["title"], description=data["description"],
                place=data["place"], name=data["name"], phone=data["phone"],
                ip=request.actor.ip)
        except ValidationError as exc:
            form_errors(form, exc)
            status = 429 if exc.code == "rate_limited" else 200
        else:
            return render(request, "opinions/public_thanks.html",
                          {"committee": committee, "topic": topic})
    return render(request, "opinions/public_topics.html", {
        "committee": committee, "form": form,
        "results": selectors.public_topics(committee)[:20]}, status=status)


def public_track(request: XRequest, code: str) -> HttpResponse:
    committee = public_committee(code)
    tracking = request.GET.get("code", "")
    topic = selectors.topic_by_code(committee, tracking) if tracking else None
    return render(request, "opinions/public_track.html", {
        "committee": committee, "topic": topic, "tracking": tracking,
        "not_found": bool(tracking) and topic is None})
