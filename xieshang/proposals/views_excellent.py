"""The yearly excellent selection (优秀提案): nominations, the review list, the decision, the
notice and certificates, and the public list on the committee's website."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from xieshang.core import clock
from xieshang.core.forms import form_errors
from xieshang.core.http import XRequest, as_id
from xieshang.core.lazy import lazy_import
from xieshang.core.links import opens_for
from xieshang.core.selectors import public_committee
from xieshang.core.tenancy import get_scoped_or_404
from xieshang.proposals import permissions, selectors, services
from xieshang.proposals.forms import DecisionForm, NominationForm

if TYPE_CHECKING:
    from xieshang.proposals import documents
else:  # python-docx is loaded with the first document
    documents = lazy_import("xieshang.proposals.documents")


def _year(request: XRequest) -> int:
    year = as_id(request.GET.get("year") or "")
    return year if year and 2000 <= year <= clock.today().year else clock.today().year


def _known_year(year: int) -> int:
    """A year in the URL: from 2000 to this year, else not found."""
    if not 2000 <= year <= clock.today().year:
        raise Http404
    return year


def _docx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=documents.DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}.docx"
    return response


@login_required
@opens_for(permissions.can_nominate_excellent)
def excellent_list(request: XRequest) -> HttpResponse:
    """The office's review list of a year's nominations (a nominator sees its own) and the
    nomination form."""
    actor = request.actor
    year = _year(request)
    rows = selectors.visible_nominations(actor).filter(year=year)
    form = NominationForm(request.POST or None, actor=actor, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.excellent_nominate(
                actor=actor, year=data["year"], proposal=data.get("proposal"),
                unit=data.get("unit"), reason=data.get("reason") or "",
                as_body=data.get("as_body"))
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Nominated: %(t)s") % {"t": str(row)})
            return redirect(f"{reverse('proposal-excellent')}?year={row.year}")
    assert actor.committee is not None
    decided = any(r.decided_at for r in rows)
    return render(request, "proposals/excellent.html", {
        "year": year, "years": selectors.excellent_years(actor.committee), "rows": rows,
        "form": form, "decided": decided,
        "can_decide": permissions.can_manage_excellent(actor)})


@login_required
def excellent_decide(request: XRequest, year: int) -> HttpResponse:
    """Record the committee meeting's decision: which nominations are on the list, and the
    resolution's number and date."""
    actor = request.actor
    if not permissions.can_manage_excellent(actor):
        raise PermissionDenied
    nominations = selectors.visible_nominations(actor).filter(year=_known_year(year))
    first = nominations.filter(decided_at__isnull=False).first()
    initial = {"selected": [n.pk for n in nominations if n.selected],
               "resolution_no": first.resolution_no if first else "",
               "resolution_date": first.resolution_date if first else None}
    form = DecisionForm(request.POST or None, nominations=nominations, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.excellent_decide_year(
                actor=actor, year=year, selected_ids=[n.pk for n in data["selected"]],
                resolution_no=data["resolution_no"], resolution_date=data["resolution_date"])
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The decision on the excellent proposals of %(year)s is "
                                        "recorded.") % {"year": year})
            return redirect(f"{reverse('proposal-excellent')}?year={year}")
    return render(request, "proposals/excellent_decide.html", {
        "year": year, "form": form, "nominations": nominations})


@login_required
def excellent_notice(request: XRequest, year: int) -> HttpResponse:
    """The notice (通报) of the year's decided list, .docx."""
    actor = request.actor
    if not permissions.can_manage_excellent(actor):
        raise PermissionDenied
    rows = list(selectors.visible_nominations(actor).filter(year=_known_year(year), selected=True,
                                                             resolution_date__isnull=False))
    if not rows:
        messages.error(request, _("The excellent proposals of %(year)s have not been decided "
                                  "yet.") % {"year": year})
        return redirect(f"{reverse('proposal-excellent')}?year={year}")
    assert actor.committee is not None
    return _docx(documents.excellent_notice(actor.committee, year, rows), f"excellent-{year}")


@login_required
def excellent_certificate(request: XRequest, pk: int) -> HttpResponse:
    """The certificate (荣誉证书) of one selected proposal or unit, .docx."""
    actor = request.actor
    row = get_scoped_or_404(actor, selectors.visible_nominations(actor).filter(
        selected=True, resolution_date__isnull=False), pk=pk)
    return _docx(documents.excellent_certificate(row), f"certificate-{row.pk}")


def public_excellent(request: XRequest, code: str) -> HttpResponse:
    """The decided lists on the committee's website, readable without logging in."""
    committee = public_committee(code)
    by_year: dict[int, list[object]] = defaultdict(list)
    for row in selectors.public_excellent(committee):
        by_year[row.year].append(row)
    return render(request, "proposals/public_excellent.html", {
        "committee": committee, "years": sorted(by_year.items(), reverse=True)})
