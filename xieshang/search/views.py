from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from xieshang.core import searchable
from xieshang.core.forms import form_errors
from xieshang.core.http import XRequest
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.search import dictionary, permissions
from xieshang.search.forms import TermForm
from xieshang.search.models import DictionaryTerm
from xieshang.search.query import search
from xieshang.textmining import segment

PAGE = 20
MAX_PAGE = 500  # deeper pages are refused by every search engine too; refine the words
def kind_label(kind: str) -> str:
    """A tab's name: ours, else the registered model's plural name (never the kind's code)."""
    if kind in KIND_LABELS:
        return str(KIND_LABELS[kind])
    source = searchable.SOURCES.get(kind)
    return str(source.model._meta.verbose_name_plural) if source is not None else _("Other")


KIND_LABELS = {
    "proposal": _("Proposals"),
    "reply": _("Replies"),
    "opinion": _("Public-opinion reports"),
    "activity": _("Activities"),
    "topic": _("Public topics"),
    "member": pgettext("search", "Members"),
    "unit": _("Handling units"),
    "article": pgettext("search", "Website articles"),
}


@login_required
def search_page(request: XRequest) -> HttpResponse:
    actor = request.actor
    if actor.committee is None:
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")[:32]
    try:
        page = min(max(1, int(request.GET.get("page", "1")[:6])), MAX_PAGE)
    except ValueError:
        page = 1
    results = search(actor, query, kind=kind, limit=PAGE, offset=(page - 1) * PAGE)
    kinds = [{"kind": k, "label": kind_label(k), "count": n}
             for k, n in sorted(results.facets.get("kind", {}).items(), key=lambda x: -x[1])]
    template = "search/_results.html" if request.htmx else "search/search.html"
    return render(request, template, {
        "q": query, "kind": kind, "results": results, "kinds": kinds, "page": page,
        "has_next": page * PAGE < results.total,
        "kind_labels": {k: kind_label(k) for k in {*KIND_LABELS, *searchable.SOURCES}},
    })


@login_required
def dictionary_page(request: XRequest) -> HttpResponse:
    """The committee's own terms: list, add, and try the segmentation on a sample."""
    actor = request.actor
    if not permissions.can_edit_dictionary(actor):
        raise PermissionDenied
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            term = dictionary.term_add(actor=actor, word=d["word"],
                                       part_of_speech=d["part_of_speech"] or "",
                                       weight=d["weight"] or 5)
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("“%(word)s” was added.") % {"word": term.word})
            return redirect("search-dictionary")
    sample = request.GET.get("sample", "")[:500]
    segmented: list[str] = []
    if sample.strip():
        assert actor.committee is not None
        with segment.using(dictionary.dictionary_for(actor.committee.pk)):
            segmented = segment.words(sample, keep_stop=True)
    terms = scoped(actor, DictionaryTerm).order_by("word")
    status = 400 if request.method == "POST" else 200
    return render(request, "search/dictionary.html", {
        "form": form, "terms": list(terms), "sample": sample, "segmented": segmented,
    }, status=status)


@login_required
@require_POST
def dictionary_remove(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    if not permissions.can_edit_dictionary(actor):
        raise PermissionDenied
    term = get_scoped_or_404(actor, DictionaryTerm, pk=pk)
    dictionary.term_remove(actor=actor, term=term)
    messages.success(request, _("“%(word)s” was removed.") % {"word": term.word})
    return redirect("search-dictionary")
