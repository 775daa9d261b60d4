from __future__ import annotations

import contextlib
import datetime as dt
import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from xieshang.core.http import XRequest
from xieshang.core.models import Term
from xieshang.core.tenancy import scoped
from xieshang.reports import permissions
from xieshang.reports.draft import sentences, work_report_docx
from xieshang.reports.figures import Figure, Scope, compute


def _scope(request: XRequest) -> tuple[Scope, list[Term]]:
    actor = request.actor
    assert actor.committee is not None
    terms = list(scoped(actor, Term).order_by("-number"))
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), today
    term_id = request.GET.get("term", "")
    chosen = next((t for t in terms if str(t.pk) == term_id), None)
    if chosen is not None:
        start, end = chosen.start_date, min(chosen.end_date or today, today)
    else:
        with contextlib.suppress(ValueError):  # a bad date keeps the default
            start = dt.date.fromisoformat(request.GET.get("from", ""))
        with contextlib.suppress(ValueError):
            end = dt.date.fromisoformat(request.GET.get("to", ""))
    if end < start:
        start, end = end, start
    return Scope(
        committee=actor.committee, start=start, end=end, include_sub=request.GET.get("sub") == "1"
    ), terms


SECTION_LABELS = {
    "members": gettext_lazy("Members"),
    "activities": gettext_lazy("Meetings, consultations, research and activities"),
    "proposals": gettext_lazy("Proposals"),
    "opinions": gettext_lazy("Public-opinion reports"),
    "duties": gettext_lazy("Duty performance"),
    "attendance": gettext_lazy("Duty performance"),
}


def _sections(figures: dict[str, Figure]) -> dict[str, list[Figure]]:
    out: dict[str, list[Figure]] = {}
    for figure in figures.values():
        out.setdefault(str(SECTION_LABELS.get(figure.section, figure.section)), []).append(figure)
    return out


@login_required
def figures_page(request: XRequest) -> HttpResponse:
    if not permissions.can_view(request.actor):
        raise PermissionDenied
    scope, terms = _scope(request)
    figures = compute(scope)
    if request.GET.get("format") == "xlsx":
        return _xlsx(scope, figures)
    return render(
        request,
        "reports/figures.html",
        {
            "scope": scope,
            "terms": terms,
            "sections": _sections(figures),
            "term": request.GET.get("term", ""),
            "sub": request.GET.get("sub") == "1",
            "preview": sentences(figures),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def draft_download(request: XRequest) -> HttpResponse:
    if not permissions.can_view(request.actor):
        raise PermissionDenied
    scope, _terms = _scope(request)
    data = work_report_docx(scope, compute(scope))
    response = HttpResponse(
        data,
        content_type=("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )
    response["Content-Disposition"] = (
        f'attachment; filename="work-report-{scope.start}-{scope.end}.docx"'
    )
    return response


def _xlsx(scope: Scope, figures: dict[str, Figure]) -> HttpResponse:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["指标代码", "指标", "数值", "单位", "口径"])
    for f in figures.values():
        ws.append([f.key, f.label, f.value, f.unit, f"{scope.start}—{scope.end}"])
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type=("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    )
    response["Content-Disposition"] = (
        f'attachment; filename="figures-{scope.start}-{scope.end}.xlsx"'
    )
    return response


HEADLINE_KEYS = ["members.serving", "proposals.submitted", "proposals.filed",
                 "proposals.on_time_rate", "opinions.submitted", "opinions.adopted",
                 "activities.learning_coverage", "activities.suggestions"]


def _dashboard_context(request: XRequest) -> dict[str, object]:
    from xieshang.reports import charts
    from xieshang.reports.dashboard import panels

    scope, terms = _scope(request)
    figures = compute(scope)
    drawn = []
    for panel in panels(scope):
        svg = (charts.bar(panel.rows, title=panel.title) if panel.kind == "bar"
               else charts.donut(panel.rows, title=panel.title) if panel.kind == "donut" else "")
        drawn.append({"panel": panel, "svg": svg})
    return {"scope": scope, "terms": terms, "query": request.GET.urlencode(),
            "headline": [figures[k] for k in HEADLINE_KEYS if k in figures], "panels": drawn}


@login_required
def dashboard_page(request: XRequest) -> HttpResponse:
    if not permissions.can_view(request.actor):
        raise PermissionDenied
    return render(request, "reports/dashboard.html", _dashboard_context(request))


@login_required
def screen_page(request: XRequest) -> HttpResponse:
    """The large screen (大屏, 1920×1080): the same panels, refreshed every five minutes."""
    if not permissions.can_view(request.actor):
        raise PermissionDenied
    return render(request, "reports/screen.html", _dashboard_context(request))


@login_required
def panel_export(request: XRequest, key: str) -> HttpResponse:
    from openpyxl import Workbook

    from xieshang.reports.dashboard import panels

    if not permissions.can_view(request.actor):
        raise PermissionDenied
    scope, _terms = _scope(request)
    panel = next((p for p in panels(scope) if p.key == key), None)
    if panel is None:
        raise Http404
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append([panel.title, panel.unit])
    for label, value in panel.rows:
        ws.append([label, value])
    out = io.BytesIO()
    wb.save(out)
    response = HttpResponse(out.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{key}.xlsx"'
    return response
