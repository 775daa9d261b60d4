"""Pages of the proposals work: worklists, the submission form, the proposal page and its
actions, documents, the Excel export and the public record. Thin: parse, authorize, call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_POST

from xieshang.core import clock, workflow_views
from xieshang.core.files import download, send_file, xlsx_response
from xieshang.core.forms import error_text, form_errors
from xieshang.core.http import XRequest
from xieshang.core.lazy import lazy_import
from xieshang.core.links import opens_for
from xieshang.core.lists import Narrowed, condition, narrowed
from xieshang.core.models import Committee, Session
from xieshang.core.paging import CappedPaginator
from xieshang.core.permissions import Actor
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.members.models import CollectiveBody, HandlingUnit, Sector
from xieshang.proposals import permissions, policies, routing, selectors, services
from xieshang.proposals import similar as similar_models
from xieshang.proposals.forms import ProposalForm, SupervisionForm
from xieshang.proposals.models import (
    Proposal,
    ProposalAttachment,
    ProposalCategory,
    Rating,
    ResultClass,
    Status,
)
from xieshang.proposals.workflow import PROPOSAL, conversion_link

if TYPE_CHECKING:
    from xieshang.proposals import documents
else:  # python-docx and reportlab are loaded with the first document
    documents = lazy_import("xieshang.proposals.documents")


def _params(request: XRequest) -> dict[str, str]:
    return {k: request.GET.get(k, "").strip()[:50] for k in selectors.FILTERS}


def _may_open_list(actor: Actor, worklist: str | None = None) -> bool:
    """The proposal list, or one of the work lists (each says who it serves)."""
    wl = selectors.WORKLISTS.get(worklist or "")
    return permissions.can_use_proposals(actor) and (wl is None or wl.allowed(actor))


@login_required
@opens_for(_may_open_list, with_url_kwargs=True)
def proposal_list(request: XRequest, worklist: str | None = None) -> HttpResponse:
    actor = request.actor
    wl = selectors.WORKLISTS.get(worklist or "")
    params = _params(request)
    qs = selectors.proposal_list(actor, worklist, params)
    page = CappedPaginator(qs, 30).get_page(request.GET.get("page"))
    template = "proposals/_rows.html" if request.htmx else "proposals/list.html"
    return render(request, template, {
        "page": page, "params": params, "worklist": wl,
        "worklists": [{"name": w.name, "label": w.label,
                       "url": reverse(f"proposals-{w.name.replace('_', '-')}")}
                      for w in selectors.WORKLISTS.values() if w.allowed(actor)],
        "sessions": scoped(actor, Session).select_related("term"),
        "categories": scoped(actor, ProposalCategory),
        "units": scoped(actor, HandlingUnit).filter(is_active=True),
        "sectors": scoped(actor, Sector), "statuses": Status.choices,
        "classes": ResultClass.choices, "ratings": Rating.choices, "kinds": Proposal.Kind.choices,
        "can_submit": permissions.can_submit(actor), "can_export": permissions.can_export(actor),
        "today": clock.today(), "narrowed": _narrowed(request, params),
    })


# The conditions a figure's link adds beyond the form's own fields (hidden in the form).
NARROWING = ("submitted_from", "submitted_to", "fact", "body_kind")


def _narrowed(request: XRequest, params: dict[str, str]) -> Narrowed | None:
    """What a figure's link narrowed the list to, beyond the form's own fields (the period,
    the fact counted, the collective proposer's kind): shown above the list with a way out."""
    out = []
    if params["submitted_from"] or params["submitted_to"]:
        out.append(_("submitted %(start)s to %(end)s") % {
            "start": params["submitted_from"] or "…", "end": params["submitted_to"] or "…"})
    if params["fact"]:
        fact = selectors.FACTS.get(params["fact"])
        out.append(condition(fact[0] if fact else None))
    if params["body_kind"]:
        out.append(condition(dict(CollectiveBody.Kind.choices).get(params["body_kind"])))
    return narrowed(request, out, NARROWING)


@login_required
def proposal_export(request: XRequest, worklist: str | None = None) -> HttpResponse:
    actor = request.actor
    if not permissions.can_export(actor):
        raise PermissionDenied
    qs = selectors.proposal_list(actor, request.GET.get("list") or None, _params(request))
    return xlsx_response(documents.export_xlsx(qs), filename="proposals.xlsx")


def _form_initial(p: Proposal) -> dict[str, Any]:
    return {"title": p.title, "category": p.category_id, "body": p.body,
            "suggested_units": list(p.suggested_units.values_list("pk", flat=True)),
            "co_proposers": list(p.co_proposers.values_list("member_id", flat=True)),
            "consent_disclosure": p.consent_disclosure,
            "nondisclosure_reason": p.nondisclosure_reason}


def _save(request: XRequest, form: ProposalForm, proposal: Proposal | None) -> Proposal:
    d = form.cleaned_data
    # One transaction for the draft and its attachment: a file that cannot be stored (a full
    # disk) must not leave a new draft saved behind the error the form shows.
    with transaction.atomic():
        p = services.proposal_save_draft(
            actor=request.actor, proposal=proposal, title=d["title"] or "",
            category=d["category"], body=d["body"] or "",
            consent_disclosure=bool(d["consent_disclosure"]),
            nondisclosure_reason=d["nondisclosure_reason"] or "",
            suggested_unit_ids=[u.pk for u in d["suggested_units"]],
            co_proposer_ids=[m.pk for m in d.get("co_proposers") or []])
        if d.get("attachment"):
            services.attachment_add(actor=request.actor, proposal=p, upload=d["attachment"])
    return p


def _stale(request: XRequest, proposal: Proposal) -> bool:
    """The form was filled in against an older version of the draft (``base_version``: the
    version the form showed; an offline copy from a phone keeps the one it started from)."""
    base = request.POST.get("base_version", "")
    if not base:
        return False
    return not base.isdigit() or int(base) != proposal.version


def _conflict(request: XRequest, proposal: Proposal) -> HttpResponse:
    """Nothing is saved: the draft changed since this copy was begun. The form comes back with
    the copy's text and the current version, so saving again (after a look) replaces it."""
    if request.POST.get("autosave"):
        return render(request, "proposals/_autosave.html",
                      {"proposal": proposal, "conflict": True})
    if request.POST.get("offline_sync"):
        return HttpResponse(_("The draft was changed on the server since this copy was begun."),
                            status=409, content_type="text/plain; charset=utf-8")
    form = ProposalForm(request.POST, actor=request.actor)
    form.is_valid()
    form.add_error(None, _("This draft was changed elsewhere since you opened it: your text is "
                           "shown below and nothing was saved. Compare it with the saved draft "
                           "and save again to replace it."))
    return render(request, "proposals/form.html", {"form": form, "proposal": proposal},
                  status=409)


@login_required
def proposal_edit(request: XRequest, pk: int | None = None) -> HttpResponse:
    """The submission form; htmx autosaves the draft (``autosave`` in the POST)."""
    actor = request.actor
    proposal = get_scoped_or_404(actor, Proposal, pk=pk) if pk else None
    if proposal is None:
        if not permissions.can_submit(actor):
            raise PermissionDenied
    elif not permissions.can_edit_draft(actor, proposal):
        raise PermissionDenied
    if request.method == "POST" and proposal is not None and _stale(request, proposal):
        return _conflict(request, proposal)
    if request.method == "POST":
        form = ProposalForm(request.POST, request.FILES, actor=actor)
        if form.is_valid():
            try:
                proposal = _save(request, form, proposal)
                if request.POST.get("autosave"):
                    return render(request, "proposals/_autosave.html",
                                  {"proposal": proposal, "now": clock.now()})
                if request.POST.get("submit"):
                    services.proposal_submit(actor=actor, proposal=proposal,
                                             version=proposal.version)
                    messages.success(request, _("The proposal was submitted."))
                    return redirect("proposal-detail", proposal.pk)
                messages.success(request, _("The draft was saved."))
                return redirect("proposal-edit", proposal.pk)
            except ValidationError as exc:
                form_errors(form, exc)
        if request.POST.get("autosave"):
            return render(request, "proposals/_autosave.html",
                          {"proposal": proposal, "form": form}, status=200)
    else:
        form = ProposalForm(initial=_form_initial(proposal) if proposal else None, actor=actor)
    return render(request, "proposals/form.html", {"form": form, "proposal": proposal})


@require_POST
@login_required
def attachment_delete(request: XRequest, pk: int, att: int) -> HttpResponse:
    row = get_scoped_or_404(request.actor, ProposalAttachment, pk=att, proposal_id=pk)
    services.attachment_delete(actor=request.actor, attachment=row)
    return redirect("proposal-edit", pk)


@login_required
def attachment_download(request: XRequest, pk: int, att: int) -> FileResponse:
    """An attachment, only for those who may see its proposal (never straight from /media/)."""
    proposal = _viewable(request, pk)
    row = get_object_or_404(proposal.attachments.all(), pk=att)
    return send_file(row.file, filename=row.name)


def _viewable(request: XRequest, pk: int) -> Proposal:
    """The fetch is the check: 404 unless the proposal is in ``selectors.visible``."""
    return selectors.proposal_detail(request.actor, pk)


SIMILAR_TEXT_LIMIT = 3000  # characters of title + text compared; the rest adds little


@login_required
def proposal_similar(request: XRequest) -> HttpResponse:
    """Earlier proposals like the one being typed (the form asks, debounced, through htmx);
    only proposals the member may open are listed."""
    # Loaded here on purpose: textmining.similarity brings scikit-learn.
    from xieshang.textmining.similarity import shared_phrases

    actor = request.actor
    if not permissions.can_submit(actor):
        raise PermissionDenied
    text = f"{request.GET.get('title', '')}\n{request.GET.get('body', '')}"[:SIMILAR_TEXT_LIMIT]
    exclude = request.GET.get("exclude", "")
    similar = selectors.similar_proposals(
        actor, text if len(text.strip()) >= 4 else "", limit=5,
        exclude_pk=int(exclude) if exclude.isdigit() and len(exclude) < 12 else None,
        visible_only=True)
    rows = [(p, score, shared_phrases(text, f"{p.title}\n{p.body}", top=3))
            for p, score in similar]
    return render(request, "proposals/_similar.html", {"rows": rows, "typed": text.strip()})


@login_required
def proposal_detail(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    proposal = _viewable(request, pk)
    committee = proposal.committee
    similar = []
    similar_pending = False
    if permissions.is_staff(actor) and proposal.status in (Status.SUBMITTED, Status.UNDER_REVIEW):
        similar = selectors.similar_proposals(actor, f"{proposal.title} {proposal.body[:300]}",
                                              limit=5, exclude_pk=proposal.pk)
        if not similar:
            similar_pending = similar_models.pending(committee.pk)
    routing_suggestions: list[routing.Suggestion] = []
    if permissions.is_staff(actor) and proposal.status == Status.FILED:
        routing_suggestions = routing.suggest_units(proposal)
    assignments = list(proposal.assignments.all())
    return render(request, "proposals/detail.html", {
        "p": proposal, "offers": PROPOSAL.offers(actor, proposal),
        "replies": selectors.replies_for_page(actor, proposal),
        "assignments": assignments, "similar": similar,
        "notice_ids": {a.pk for a in assignments if permissions.can_read_notice(actor, a)},
        "similar_pending": similar_pending, "routing_suggestions": routing_suggestions,
        "class_labels": policies.class_labels(committee),
        "show_proposer": True,
        "can_cosign": permissions.can_cosign(actor, proposal),
        "can_edit": permissions.can_edit_draft(actor, proposal),
        "can_supervise": permissions.can_supervise(actor, proposal),
        "is_staff": permissions.is_staff(actor), "today": clock.today(),
        "converted_url": conversion_link(actor, proposal),
    })


@require_POST
@login_required
def proposal_act(request: XRequest, pk: int, action: str) -> HttpResponse:
    """Every step's form posts here: ``action`` names the step of ``workflow.PROPOSAL``."""
    return workflow_views.act(request, PROPOSAL, _viewable(request, pk), action)


@require_POST
@login_required
def proposal_cosign(request: XRequest, pk: int) -> HttpResponse:
    proposal = _viewable(request, pk)
    try:
        services.proposal_cosign(actor=request.actor, proposal=proposal,
                                 accept=request.POST.get("accept") == "1")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(proposal)


@require_POST
@login_required
def proposal_supervise(request: XRequest, pk: int) -> HttpResponse:
    proposal = _viewable(request, pk)
    form = SupervisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(ValidationError(form.errors)))
        return redirect(proposal)
    try:
        services.supervision_record(actor=request.actor, proposal=proposal,
                                    kind=form.cleaned_data["kind"],
                                    date=form.cleaned_data["date"] or clock.today(),
                                    notes=form.cleaned_data["notes"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return redirect(proposal)


# --- documents --------------------------------------------------------------------------------

def _docx(data: bytes, name: str) -> HttpResponse:
    return download(data, f"{name}.docx", documents.DOCX)


# What a download is called: 第247号提案答复函.docx (a draft has no number yet).
DOCUMENT_NAMES = {
    "form": pgettext_lazy("document name", "%(number)sProposal"),
    "feedback": pgettext_lazy("document name", "%(number)sProposal feedback form"),
    "notice": pgettext_lazy("document name", "%(number)sProposal assignment notice"),
    "reply": pgettext_lazy("document name", "%(number)sProposal reply letter"),
}


def _name(proposal: Proposal, kind: str) -> str:
    return str(DOCUMENT_NAMES[kind]) % {"number": proposal.number}


@login_required
def document(request: XRequest, pk: int, kind: str, sub: int | None = None) -> HttpResponse:
    actor = request.actor
    proposal = _viewable(request, pk)
    if kind == "form":
        return _docx(documents.proposal_form(proposal), _name(proposal, "form"))
    if kind == "feedback":
        return _docx(documents.feedback_form(proposal), _name(proposal, "feedback"))
    if kind == "notice":
        a = get_object_or_404(proposal.assignments.all(), pk=sub)
        if not permissions.can_read_notice(actor, a):
            raise PermissionDenied
        return _docx(documents.assignment_notice(a), _name(proposal, "notice"))
    if kind == "reply":
        r = get_object_or_404(selectors.replies_for_page(actor, proposal), pk=sub)
        return _docx(documents.reply_letter(r), _name(proposal, "reply"))
    raise Http404


@login_required
def compilation(request: XRequest, session: int) -> HttpResponse:
    actor = request.actor
    if not permissions.can_export(actor):
        raise PermissionDenied
    s = get_scoped_or_404(actor, scoped(actor, Session).select_related("term"), pk=session)
    return _docx(documents.compilation(actor, s),
                 str(pgettext_lazy("document name", "%(session)s proposals")) % {"session": s})


# --- public record ----------------------------------------------------------------------------

def public_list(request: XRequest, code: str) -> HttpResponse:
    """Disclosed replies, readable without logging in."""
    committee = get_object_or_404(Committee, code=code, is_active=True)
    qs = selectors.public_proposals(committee)
    page = CappedPaginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "proposals/public.html", {"committee": committee, "page": page,
                                                     "class_labels":
                                                         policies.class_labels(committee)})
