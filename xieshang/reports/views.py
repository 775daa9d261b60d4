from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from xieshang.core import clock, links
from xieshang.core.figures import Figure, Scope, compute
from xieshang.core.files import xlsx_response
from xieshang.core.http import XRequest, query_date
from xieshang.core.models import Term
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members.models import HandlingUnit
from xieshang.proposals import selectors as proposal_selectors
from xieshang.proposals.models import Assignment
from xieshang.reports import charts, permissions, precompute
from xieshang.reports.dashboard import panels
from xieshang.reports.draft import DRAFTS, draft_docx, sentences
from xieshang.reports.units import SORTS, UnitLine, unit_lines


def _scope(request: XRequest) -> tuple[Scope, list[Term]]:
    actor = request.actor
    assert actor.committee is not None
    terms = list(scoped(actor, Term).order_by("-number"))
    today = clock.today()
    start, end = dt.date(today.year, 1, 1), today
    term_id = request.GET.get("term", "")
    chosen = next((t for t in terms if str(t.pk) == term_id), None)
    if chosen is not None:
        start, end = chosen.start_date, min(chosen.end_date or today, today)
    else:
        # A bad or far-off date keeps the default.
        start = query_date(request.GET, "from") or start
        end = query_date(request.GET, "to") or end
    if end < start:
        start, end = end, start
    return Scope(
        committee=actor.committee, start=start, end=end, include_sub=request.GET.get("sub") == "1"
    ), terms


SECTION_LABELS = {
    "members": pgettext_lazy("reports", "Members"),
    "activities": gettext_lazy("Meetings, consultations, research and activities"),
    "proposals": gettext_lazy("Proposals"),
    "opinions": gettext_lazy("Public-opinion reports"),
    "duties": gettext_lazy("Duty performance"),
    "attendance": gettext_lazy("Duty performance"),
    "units": gettext_lazy("Handling units"),
    "participation": gettext_lazy("Online consultation, surveys and members' studios"),
    "clues": gettext_lazy("Proposal clues"),
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
    if request.GET.get("format") == "xlsx":
        return _xlsx(scope, compute(scope))
    figures = _openable(request.actor, _cached("figures", scope, lambda: compute(scope)))
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
            "proposal_preview": sentences(figures, "proposals"),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def draft_download(request: XRequest) -> HttpResponse:
    if not permissions.can_view(request.actor):
        raise PermissionDenied
    scope, _terms = _scope(request)
    kind = request.GET.get("kind", "work")
    if kind not in DRAFTS:
        kind = "work"
    data = draft_docx(kind, scope, compute(scope))
    response = HttpResponse(
        data,
        content_type=("application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{DRAFTS[kind].filename}-{scope.start}-{scope.end}.docx"'
    )
    return response


def _xlsx(scope: Scope, figures: dict[str, Figure]) -> HttpResponse:
    return xlsx_response(
        [["指标代码", "指标", "数值", "单位", "口径", "统计定义"],
         *([f.key, f.label, f.note or f.value, "" if f.note else f.unit,
            f"{scope.start}—{scope.end}", f.definition]
           for f in figures.values())],
        filename=f"figures-{scope.start}-{scope.end}.xlsx")


HEADLINE_KEYS = ["members.serving", "proposals.submitted", "proposals.filed",
                 "proposals.on_time_rate", "opinions.submitted", "opinions.adopted",
                 "activities.learning_coverage", "activities.suggestions"]


def _cached(kind: str, scope: Scope, build: Callable[[], Any]) -> Any:
    """Figures and panels for a page (not a download): computed ahead by the worker where it
    can (``reports.precompute``), else kept a minute; they are read from a replica when one
    is configured anyway, and a province's figures cost a second of database work."""
    return precompute.read(kind, scope, build)


def _openable(actor: Actor, figures: dict[str, Figure]) -> dict[str, Figure]:
    """The figures with a link only where its list opens for ``actor`` (the list's own check,
    ``core.links``): a figure never leads to a page that refuses its reader."""
    allowed: dict[str, bool] = {}

    def keep(link: str) -> bool:
        path = link.split("?", 1)[0]
        if path not in allowed:
            allowed[path] = links.may_open_path(actor, link)
        return allowed[path]

    return {k: f if not f.link or keep(f.link) else replace(f, link="")
            for k, f in figures.items()}


def _dashboard_context(request: XRequest) -> dict[str, object]:
    scope, terms = _scope(request)
    figures = _openable(request.actor, _cached("figures", scope, lambda: compute(scope)))
    drawn = []
    for panel in _cached("panels", scope, lambda: panels(scope)):
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
    if not permissions.can_view(request.actor):
        raise PermissionDenied
    scope, _terms = _scope(request)
    panel = next((p for p in panels(scope) if p.key == key), None)
    if panel is None:
        raise Http404
    return xlsx_response([[panel.title, panel.unit], *panel.rows], filename=f"{key}.xlsx")


UNIT_COLUMNS = [
    ("assigned", gettext_lazy("Parts assigned")),
    ("signed_on_time", gettext_lazy("Signed for on time")),
    ("replied", gettext_lazy("Replied")),
    ("replied_on_time", gettext_lazy("Replied on time")),
    ("overdue_now", gettext_lazy("Overdue now")),
    ("extensions", gettext_lazy("Extensions")),
    ("class_a", gettext_lazy("Class A")),
    ("class_b", gettext_lazy("Class B")),
    ("class_c", gettext_lazy("Class C")),
    ("satisfied", gettext_lazy("Satisfied")),
    ("basically", gettext_lazy("Basically satisfied")),
    ("dissatisfied", gettext_lazy("Dissatisfied")),
    ("rehandled", gettext_lazy("Re-handled")),
    ("replied_on_time_rate", gettext_lazy("On-time reply rate (%)")),
    ("satisfied_rate", gettext_lazy("Satisfaction rate (%)")),
    ("score", gettext_lazy("Score")),
]


def _unit_scope(request: XRequest) -> tuple[Scope, list[Term], frozenset[int] | None]:
    visible = permissions.units_visible(request.actor)
    if visible is not None and not visible:
        raise PermissionDenied
    scope, terms = _scope(request)
    if visible is not None and scope.include_sub:  # a unit sees its own committee only
        scope = Scope(scope.committee, scope.start, scope.end)
    return scope, terms, visible


@login_required
def units_page(request: XRequest) -> HttpResponse:
    """承办单位办理情况: every unit's line for the period, sortable, exportable."""
    scope, terms, visible = _unit_scope(request)
    sort = request.GET.get("sort", "score")
    sort = sort if sort in SORTS else "score"
    descending = request.GET.get("dir", "desc") != "asc"
    lines = unit_lines(scope, unit_ids=set(visible) if visible is not None else None,
                       sort=sort, descending=descending)
    if request.GET.get("format") == "xlsx":
        return _units_xlsx(scope, lines)
    params = request.GET.copy()
    for name in ("sort", "dir", "format"):
        params.pop(name, None)
    own = request.actor.committee.pk if request.actor.committee else None
    return render(request, "reports/units.html", {
        "scope": scope, "terms": terms, "term": request.GET.get("term", ""),
        "sub": scope.include_sub, "lines": lines, "columns": UNIT_COLUMNS, "sort": sort,
        "descending": descending, "base_query": params.urlencode(),
        "query": request.GET.urlencode(), "own_committee": own,
        "all_units": visible is None})


def _units_xlsx(scope: Scope, lines: list[UnitLine]) -> HttpResponse:
    return xlsx_response(
        [["名次", "承办单位", *[str(label) for _key, label in UNIT_COLUMNS]],
         *([rank, line.name, *[getattr(line, key) for key, _l in UNIT_COLUMNS]]
           for rank, line in enumerate(lines, start=1)),
         [],
         ["口径", f"{scope.committee.name} {scope.start}—{scope.end}（按交办日期）"]],
        filename=f"units-{scope.start}-{scope.end}.xlsx", title="承办单位")


@login_required
def unit_detail(request: XRequest, unit_id: int) -> HttpResponse:
    """One unit's line and the proposals behind it."""
    scope, _terms, visible = _unit_scope(request)
    if visible is not None and unit_id not in visible:
        raise PermissionDenied
    unit = get_scoped_or_404(request.actor, HandlingUnit, pk=unit_id)
    scope = Scope(scope.committee, scope.start, scope.end)
    lines = unit_lines(scope, unit_ids={unit.pk})
    line = lines[0] if lines else None
    lo = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1),
                                                 dt.time.min))
    parts = list(scoped(request.actor, Assignment)
                 .filter(unit=unit, assigned_at__gte=lo, assigned_at__lt=hi)
                 .exclude(state=Assignment.State.WITHDRAWN)
                 .select_related("proposal").order_by("proposal__serial_number", "id"))
    # A title links to the proposal only where the proposal page opens for this user.
    openable = set(proposal_selectors.visible(request.actor)
                   .filter(pk__in=[a.proposal_id for a in parts]).values_list("pk", flat=True))
    return render(request, "reports/unit_detail.html", {
        "scope": scope, "unit": unit, "line": line, "parts": parts, "openable": openable,
        "columns": UNIT_COLUMNS, "query": request.GET.urlencode()})
