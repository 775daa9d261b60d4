from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core import clock, workflow_views
from xieshang.core.files import xlsx_response
from xieshang.core.forms import error_text
from xieshang.core.http import XRequest, as_id
from xieshang.core.lazy import lazy_import
from xieshang.core.models import Term
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.duties import engine, permissions, selectors, services
from xieshang.duties.facts import known_kinds
from xieshang.duties.forms import RuleForm, SelfReportForm, TemplateForm
from xieshang.duties.models import Rule, RuleSet, Score, SelfReport
from xieshang.duties.workflow import SELF_REPORT
from xieshang.members import selectors as member_selectors
from xieshang.members.models import Member, Sector

if TYPE_CHECKING:
    from xieshang.duties import documents
else:  # python-docx and reportlab are loaded with the first document
    documents = lazy_import("xieshang.duties.documents")


def _year(request: XRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = clock.today().year
    return min(max(year, 2000), 2100)


def _record(request: XRequest, member: Member) -> HttpResponse:
    actor = request.actor
    year = _year(request)
    facts = selectors.record_facts(member, year)
    labels = known_kinds()
    groups: dict[str, list[object]] = {}
    for fact in facts:
        groups.setdefault(selectors.kind_label(fact.kind, labels), []).append(fact)
    lines = list(selectors.lines_of(actor, member, year))
    for line in lines:  # the rule's own wording, else the kind's (never the kind's code)
        line.kind_label = (line.rule.label if line.rule is not None  # type: ignore[attr-defined]
                           else selectors.kind_label(line.kind, labels))
    return render(request, "duties/record.html", {
        "member": member, "year": year, "years": range(clock.today().year, 2019, -1),
        "groups": groups, "score": selectors.score_of(actor, member, year),
        "lines": lines,
        "warnings": member.duty_warnings.filter(resolved_at__isnull=True).select_related("rule"),
        "terms": scoped(actor, Term).filter(start_date__lte=clock.today())[:3],
        "updating": selectors.recompute_pending(member.committee_id, year),
    })


@login_required
def my_record(request: XRequest) -> HttpResponse:
    actor = request.actor
    if actor.member_id is None:
        raise PermissionDenied
    return _record(request, get_scoped_or_404(actor, Member, pk=actor.member_id))


@login_required
def member_record(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    return _record(request, get_scoped_or_404(actor, member_selectors.visible(actor), pk=pk))


def _labelled(rules: list[Any]) -> list[Any]:
    """Each rule with the wording of its kind of record (a page never shows the code)."""
    labels = known_kinds()
    for rule in rules:
        known = rule.kind in labels or rule.kind.split(":")[0] + ":*" in labels
        rule.kind_label = selectors.kind_label(rule.kind, labels) if known else rule.label
    return rules


def _distribution(scores: list[Decimal]) -> list[dict[str, object]]:
    rows = selectors.distribution(scores, width=10)
    peak = max(n for _label, n in rows) or 1
    return [{"label": label, "count": n, "height": round(100 * n / peak)} for label, n in rows]


@login_required
def ranking(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_view_all(actor):
        raise PermissionDenied
    year = _year(request)
    sector = request.GET.get("sector", "")
    rows = list(selectors.ranking(actor, year, sector=sector))
    if request.GET.get("format") == "xlsx":
        return _ranking_xlsx(rows, year)
    return render(request, "duties/ranking.html", {
        "rows": rows, "year": year, "sector": sector,
        "sectors": scoped(actor, Sector).filter(is_active=True),
        "distribution": _distribution([r.total for r in rows]),
        "warnings": selectors.open_warnings(actor) if actor.is_staff or actor.is_admin else [],
        "can_manage": permissions.can_manage(actor),
        "rule_set": scoped(actor, RuleSet).filter(year=year).first(),
    })


def _ranking_xlsx(rows: list[Score], year: int) -> HttpResponse:
    return xlsx_response(
        [["名次", "姓名", "界别", "得分", "等次"],
         *([rank, row.member.name, row.member.sector.name if row.member.sector else "",
            float(row.total), row.band] for rank, row in enumerate(rows, start=1))],
        filename=f"duty-scores-{year}.xlsx", title=f"{year}")


@login_required
def rules(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage(actor):
        raise PermissionDenied
    year = _year(request)
    rule_set = scoped(actor, RuleSet).filter(year=year).first()
    if request.method == "POST":
        assert actor.committee is not None
        try:
            if "template" in request.POST:
                form = TemplateForm(request.POST)
                if form.is_valid():
                    services.ruleset_create_from_template(
                        actor=actor, committee=actor.committee, year=year,
                        template=form.cleaned_data["template"])
                    messages.success(request, _("Rule set created; scores are being computed."))
            elif rule_set is not None:
                rule = None
                if request.POST.get("rule"):
                    rule = get_scoped_or_404(actor, Rule, pk=request.POST["rule"],
                                             rule_set=rule_set)
                if request.POST.get("delete") and rule is not None:
                    services.rule_delete(actor=actor, rule=rule)
                    messages.success(request, _("Rule deleted."))
                else:
                    rule_form = RuleForm(request.POST, instance=rule)
                    if rule_form.is_valid():
                        data = rule_form.cleaned_data
                        services.rule_save(actor=actor, rule_set=rule_set, kind=data["kind"],
                                           label=data["label"], points=data["points"],
                                           cap=data["cap"], rule=rule)
                        messages.success(request, _("Rule saved; scores are being recomputed."))
                    else:
                        for errors in rule_form.errors.values():
                            for error in errors:
                                messages.error(request, str(error))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect(f"{request.path}?year={year}")
    return render(request, "duties/rules.html", {
        "year": year, "rule_set": rule_set, "template_form": TemplateForm(),
        "rule_form": RuleForm(),
        "rules": _labelled(engine.ordered_rules(rule_set) if rule_set else []),
    })


@require_POST
@login_required
def recompute(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage(actor) or actor.committee is None:
        raise PermissionDenied
    year = _year(request)
    result = engine.recompute(actor.committee, year)
    messages.success(request, _("Recomputed %(n)s members.") % {"n": result.members})
    return redirect(reverse("duty-ranking") + "?" + urlencode({"year": year}))


@require_POST
@login_required
def check_warnings(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_manage(actor) or actor.committee is None:
        raise PermissionDenied
    raised = services.warnings_check(actor=actor, committee=actor.committee)
    messages.success(request, _("%(n)s new warnings.") % {"n": len(raised)})
    return redirect("duty-ranking")


# --- printable record ------------------------------------------------------------------------

def _print(request: XRequest, member: Member) -> HttpResponse:
    """The record as .docx (default) or PDF, for ``?year=`` or for ``?term=<id>``."""
    term_id = request.GET.get("term", "")
    if term_id:
        if as_id(term_id) is None:
            raise Http404
        term = get_scoped_or_404(request.actor, Term, pk=as_id(term_id))
        start, end, label = documents.term_period(term)
    else:
        start, end, label = documents.year_period(_year(request))
    doc = documents.build(member, start, end, label)
    if request.GET.get("format") == "pdf":
        body, kind, ext = documents.to_pdf(doc), documents.PDF, "pdf"
    else:
        body, kind, ext = documents.to_docx(doc), documents.DOCX, "docx"
    response = HttpResponse(body, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.{ext}"'
    return response


@login_required
def my_record_print(request: XRequest) -> HttpResponse:
    actor = request.actor
    if actor.member_id is None:
        raise PermissionDenied
    return _print(request, get_scoped_or_404(actor, Member, pk=actor.member_id))


@login_required
def member_record_print(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    return _print(request, get_scoped_or_404(actor, member_selectors.visible(actor), pk=pk))


# --- yearly self-reports (述职) ----------------------------------------------------------------

@login_required
def my_self_report(request: XRequest) -> HttpResponse:
    """Write, save, autosave and submit one's own report for a year, the record beside it."""
    actor = request.actor
    if actor.member_id is None:
        raise PermissionDenied
    member = get_scoped_or_404(actor, Member, pk=actor.member_id)
    year = _year(request)
    report = scoped(actor, SelfReport).filter(member=member, year=year).first()
    if request.method == "POST":
        form = SelfReportForm(request.POST)
        autosave = bool(request.POST.get("autosave"))
        if not form.is_valid():
            if autosave:
                return HttpResponse(_("Not saved: %(e)s") % {"e": " ".join(
                    str(e) for errs in form.errors.values() for e in errs)}, status=400)
            messages.error(request, error_text(ValidationError(
                [str(e) for errs in form.errors.values() for e in errs])))
        else:
            try:
                with transaction.atomic():
                    report = services.self_report_save(actor=actor, member=member, year=year,
                                                       **form.cleaned_data)
                    if request.POST.get("submit"):
                        services.self_report_submit(actor=actor, report=report,
                                                    version=report.version)
            except ValidationError as exc:
                if autosave:
                    return HttpResponse(error_text(exc), status=400)
                messages.error(request, error_text(exc))
            else:
                if autosave:
                    return HttpResponse(_("Draft saved at %(t)s.") % {
                        "t": clock.local(clock.now()).strftime("%H:%M")})
                messages.success(request, _("Self-report submitted.") if request.POST.get(
                    "submit") else _("Draft saved."))
                return redirect(f"{request.path}?year={year}")
    form = SelfReportForm(request.POST if request.method == "POST" else None, initial={
        name: getattr(report, name) for name in SelfReport.SECTIONS} if report else None)
    editable = report is None or permissions.can_edit_self_report(actor, report)
    figures = (report.figures if report is not None and not editable and report.figures
               else selectors.record_figures(member, year))
    return render(request, "duties/self_report_form.html", {
        "member": member, "year": year, "years": range(clock.today().year, 2019, -1),
        "report": report, "form": form, "editable": editable, "figures": figures,
        "events": selectors.self_report_history(report) if report else [],
    })


@login_required
def self_reports(request: XRequest) -> HttpResponse:
    """Staff: who has submitted the year's self-report and who has not; export; remind."""
    actor = request.actor
    if not permissions.can_review_self_reports(actor) or actor.committee is None:
        raise PermissionDenied
    year = _year(request)
    if request.method == "POST":
        n = services.self_reports_remind(actor=actor, committee=actor.committee, year=year)
        messages.success(request, _("Reminder sent to %(n)s members.") % {"n": n})
        return redirect(f"{request.path}?year={year}")
    done, missing = selectors.self_report_collection(actor, year)
    if request.GET.get("format") == "xlsx":
        return _missing_xlsx(missing, year)
    return render(request, "duties/self_reports.html", {
        "year": year, "done": done, "missing": missing,
        "years": range(clock.today().year, 2019, -1),
    })


def _missing_xlsx(missing: list[tuple[Member, SelfReport | None]], year: int) -> HttpResponse:
    return xlsx_response(
        [[_("Name"), _("Sector"), _("Mobile phone"), _("Status")],
         *([member.name, member.sector.name if member.sector else "", member.phone,
            report.get_status_display() if report else _("Not started")]
           for member, report in missing)],
        filename=f"self-reports-missing-{year}.xlsx", title=f"{year}")


def _self_report(request: XRequest, pk: int) -> SelfReport:
    """The fetch is the check: 404 unless the actor may open the report."""
    return get_scoped_or_404(request.actor, selectors.visible_self_reports(request.actor), pk=pk)


@login_required
def self_report_detail(request: XRequest, pk: int) -> HttpResponse:
    report = _self_report(request, pk)
    # Submitting is done on the member's own page, with the text.
    offers = [o for o in SELF_REPORT.offers(request.actor, report) if o.name != "submit"]
    return render(request, "duties/self_report_detail.html", {
        "report": report, "member": report.member, "figures": report.figures,
        "offers": offers, "events": report.events.all(),
    })


@require_POST
@login_required
def self_report_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    """The forms of ``workflow.SELF_REPORT`` post here."""
    return workflow_views.act(request, SELF_REPORT, _self_report(request, pk), action)
