from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.clues import permissions, selectors, services, workflow
from xieshang.clues.forms import ClueForm, PublicClueForm
from xieshang.clues.models import Clue
from xieshang.core.forms import error_text, form_errors
from xieshang.core.http import XRequest, query_date
from xieshang.core.links import opens_for
from xieshang.core.lists import condition, narrowed
from xieshang.core.selectors import public_committee
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.core.workflow_views import act as workflow_act


def _clue(request: XRequest, pk: int) -> Clue:
    """The fetch is the check: 404 unless the clue is in ``selectors.visible``."""
    return get_scoped_or_404(request.actor, selectors.visible(request.actor), pk=pk)


def _version(request: XRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


@login_required
@opens_for(permissions.can_browse)
def clue_list(request: XRequest) -> HttpResponse:
    actor = request.actor
    from xieshang.proposals.models import ProposalCategory

    status = request.GET.get("status", "")
    g = request.GET
    source = g.get("source", "")[:10]
    start, end = query_date(g, "from"), query_date(g, "to")
    qs = selectors.clue_list(actor, status=status, category=g.get("category", ""),
                             q=g.get("q", ""), source=source, start=start, end=end)
    conditions = []  # what a figure's link added beyond the form's fields
    if start or end:
        conditions.append((_("adopted %(start)s to %(end)s") if status == Clue.Status.ADOPTED
                           else _("received %(start)s to %(end)s"))
                          % {"start": start or "…", "end": end or "…"})
    if source:
        conditions.append(condition(dict(Clue.Source.choices).get(source)))
    return render(request, "clues/list.html", {
        "page": Paginator(qs, 30).get_page(request.GET.get("page")),
        "statuses": Clue.Status.choices, "status": status,
        "categories": scoped(actor, ProposalCategory).filter(is_active=True),
        "category": request.GET.get("category", ""), "q": request.GET.get("q", ""),
        "can_send": permissions.can_send(actor), "staff": permissions.can_read_all(actor),
        "narrowed": narrowed(request, conditions, ("source", "from", "to")), "f": g})


@login_required
def clue_new(request: XRequest) -> HttpResponse:
    actor = request.actor
    if not permissions.can_send(actor):
        raise PermissionDenied
    form = ClueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.clue_send(actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Your clue has been sent to the proposal office."))
            return redirect(clue.get_absolute_url())
    return render(request, "clues/form.html", {"form": form})


@login_required
def clue_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    clue = _clue(request, pk)
    screen = permissions.can_screen(actor, clue)
    from xieshang.proposals.models import ProposalCategory

    return render(request, "clues/detail.html", {
        "clue": clue, "offers": workflow.CLUE.offers(actor, clue),
        "similar": selectors.similar(actor, clue) if screen and clue.status in (
            Clue.Status.NEW, Clue.Status.ACCEPTED) else [],
        "categories": scoped(actor, ProposalCategory).filter(is_active=True),
        "can_screen": screen,
        "can_adopt": clue.status == Clue.Status.ACCEPTED and permissions.can_adopt(actor, clue),
        "events": clue.events.all() if permissions.can_read_all(actor) else []})


@require_POST
@login_required
def clue_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    return workflow_act(request, workflow.CLUE, _clue(request, pk), action)


@require_POST
@login_required
def clue_merge(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    clue = _clue(request, pk)
    if not permissions.can_screen(actor, clue):
        raise PermissionDenied
    into_id = request.POST.get("into", "")
    into = get_scoped_or_404(actor, selectors.visible(actor),
                             pk=int(into_id) if into_id.isdigit() else 0)
    try:
        services.clue_merge(actor=actor, clue=clue, into=into, version=_version(request))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(clue.get_absolute_url())
    messages.success(request, _("The clue was merged."))
    return redirect(into.get_absolute_url())


@require_POST
@login_required
def clue_adopt(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    clue = _clue(request, pk)
    try:
        adopted = services.clue_adopt(actor=actor, clue=clue, version=_version(request))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(clue.get_absolute_url())
    messages.success(request, _("A proposal draft was made from the clue: complete it and "
                                "submit it."))
    assert adopted.proposal is not None
    return redirect("proposal-edit", adopted.proposal.pk)


# --- the public page (no login) ------------------------------------------------------------

def public_form(request: XRequest, code: str) -> HttpResponse:
    committee = public_committee(code)
    form = PublicClueForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            clue = services.clue_send_public(committee=committee, title=d["title"],
                                             body=d["body"], name=d["name"], phone=d["phone"],
                                             ip=request.actor.ip)
        except ValidationError as exc:
            form_errors(form, exc)
            status = 429 if exc.code == "rate_limited" else 200
        else:
            return render(request, "clues/public_thanks.html",
                          {"committee": committee, "clue": clue})
    return render(request, "clues/public.html", {"committee": committee, "form": form},
                  status=status)
