"""The public site per committee (/c/<code>/) and the office's pages to write it (/portal/)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.http import XRequest
from xieshang.core.permissions import committees_for_user
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.portal import selectors, services, workflow
from xieshang.portal.forms import ArticleForm, SiteForm
from xieshang.portal.models import Article, Column, Site
from xieshang.portal.permissions import can_edit
from xieshang.portal.sanitize import plain_text

PUBLIC_CACHE_SECONDS = 60


def public_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache pages for anonymous visitors only (members may see members-only items)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated or request.method != "GET":
            return view(request, *args, **kwargs)
        key = f"portal:{request.get_full_path()}:{getattr(request, 'LANGUAGE_CODE', '')}"
        hit = cache.get(key)
        if hit is not None:
            response = HttpResponse(hit[0], content_type=hit[1])
            response["X-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            cache.set(key, (response.content, response["Content-Type"]), PUBLIC_CACHE_SECONDS)
        return response

    return wrapper


def _is_member_of(request: HttpRequest, site: Site) -> bool:
    user = request.user
    return user.is_authenticated and any(
        c.id == site.committee_id for c in committees_for_user(user))


def _figures(site: Site) -> list[tuple[str, int]]:
    return [(_("Members"), selectors.serving_members(site.committee))]


@public_cache
def home(request: HttpRequest, code: str) -> HttpResponse:
    site = selectors.site_for(code)
    members = _is_member_of(request, site)
    live = selectors.live_articles(site.committee, members=members)
    return render(request, "portal/home.html", {
        "site": site, "columns": selectors.columns(site.committee),
        "news": live.filter(column__kind=Column.Kind.NEWS)[:6],
        "notices": live.filter(column__kind=Column.Kind.NOTICE)[:6],
        "publications": live.filter(column__kind=Column.Kind.PUBLICATION)[:4],
        "figures": _figures(site),
    })


@public_cache
def column(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    site = selectors.site_for(code)
    col = selectors.column_by_slug(site.committee, slug)
    qs = selectors.live_articles(site.committee, members=_is_member_of(request, site)).filter(
        column=col)
    page = Paginator(qs, 15).get_page(request.GET.get("page"))
    return render(request, "portal/column.html", {"site": site, "column": col, "page": page,
                                                  "columns": selectors.columns(site.committee)})


@public_cache
def article(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    site = selectors.site_for(code)
    item = selectors.live_articles(site.committee, members=_is_member_of(request, site)).filter(
        pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "portal/article.html", {"site": site, "article": item,
                                                   "columns": selectors.columns(site.committee)})


def site_search(request: HttpRequest, code: str) -> HttpResponse:
    site = selectors.site_for(code)
    query = request.GET.get("q", "").strip()[:50]
    qs = selectors.live_articles(site.committee, members=_is_member_of(request, site))
    results = qs.filter(title__icontains=query)[:50] if query else qs.none()
    if query and not results:
        results = qs.filter(body__icontains=query)[:50]
    return render(request, "portal/search.html", {"site": site, "q": query, "results": results,
                                                  "columns": selectors.columns(site.committee)})


class NewsFeed(Feed):
    def get_object(self, request: HttpRequest, code: str) -> Site:
        return selectors.site_for(code)

    def title(self, site: Site) -> str:
        return site.title

    def link(self, site: Site) -> str:
        return reverse("portal-home", args=[site.committee.code])

    def description(self, site: Site) -> str:
        return site.banner_text or site.title

    def items(self, site: Site) -> list[Article]:
        return list(selectors.live_articles(site.committee, members=False)[:20])

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary or plain_text(item.body)[:200]

    def item_link(self, item: Article) -> str:
        return reverse("portal-article", args=[item.committee.code, item.pk])

    def item_pubdate(self, item: Article):
        return item.publish_at


# --- the office's pages ---------------------------------------------------

def _editor(request: XRequest) -> None:
    if not can_edit(request.actor) or request.actor.committee is None:
        raise PermissionDenied


@login_required
def manage(request: XRequest) -> HttpResponse:
    _editor(request)
    actor = request.actor
    assert actor.committee is not None
    site = services.site_ensure(actor=actor, committee=actor.committee)
    status = request.GET.get("status", "")
    qs = scoped(actor, Article).select_related("column").order_by("-updated_at")
    if status in Article.Status.values:
        qs = qs.filter(status=status)
    return render(request, "portal/manage.html", {
        "site": site, "page": Paginator(qs, 30).get_page(request.GET.get("page")),
        "status": status, "statuses": Article.Status.choices,
    })


@login_required
def edit(request: XRequest, pk: int | None = None) -> HttpResponse:
    _editor(request)
    actor = request.actor
    assert actor.committee is not None
    services.site_ensure(actor=actor, committee=actor.committee)
    item = get_scoped_or_404(actor, Article, pk=pk) if pk else None
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES, committee=actor.committee)
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.article_save(
                    actor=actor, committee=actor.committee, column=data["column"],
                    title=data["title"], body=data["body"], summary=data["summary"],
                    audience=data["audience"], publish_at=data["publish_at"],
                    attachment=data["attachment"], article=item, version=data["version"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("portal-edit", pk=item.pk)
    else:
        initial: dict[str, object] = {"audience": Article.Audience.PUBLIC}
        if item is not None:
            initial = {"column": item.column_id, "title": item.title, "summary": item.summary,
                       "body": item.body, "audience": item.audience,
                       "publish_at": item.publish_at, "version": item.version}
        form = ArticleForm(initial=initial, committee=actor.committee)
    return render(request, "portal/edit.html", {
        "form": form, "article": item,
        "actions": [(a, workflow.LABELS[a]) for a in workflow.allowed_actions(actor, item)]
        if item else [],
        "events": item.events.select_related("actor") if item else [],
    })


@require_POST
@login_required
def act(request: XRequest, pk: int) -> HttpResponse:
    actor = request.actor
    item = get_scoped_or_404(actor, Article, pk=pk)
    try:
        version = int(request.POST.get("version", "-1"))
    except ValueError:
        version = -1
    try:
        workflow.transition(actor=actor, article=item, action=request.POST.get("action", ""),
                            version=version, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        cache.clear()  # public pages show the change at once
        messages.success(request, _("Done."))
    return redirect("portal-edit", pk=pk)


@login_required
def site_settings(request: XRequest) -> HttpResponse:
    _editor(request)
    actor = request.actor
    assert actor.committee is not None
    site = services.site_ensure(actor=actor, committee=actor.committee)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        form.save()
        from xieshang.core import audit

        audit.record(actor, "site.update", site)
        messages.success(request, _("Saved."))
        return redirect("portal-manage")
    return render(request, "portal/site_settings.html", {"form": form, "site": site})
