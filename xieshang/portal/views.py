"""The public site per committee (/c/<code>/) and the office's pages to write it (/portal/)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from xieshang.activities import reading
from xieshang.activities import services as activities_services
from xieshang.core import clock, workflow_views
from xieshang.core.forms import error_text, form_errors
from xieshang.core.http import XRequest
from xieshang.core.permissions import Actor, actor_for, committees_for_user
from xieshang.core.tenancy import get_scoped_or_404, scoped
from xieshang.participation import selectors as participation
from xieshang.portal import selectors, services, workflow
from xieshang.portal.forms import ArticleForm, ImageForm, SiteForm
from xieshang.portal.models import Article, Column, Image, Site
from xieshang.portal.permissions import can_edit
from xieshang.portal.sanitize import plain_text

PUBLIC_CACHE_SECONDS = 60
GENERATION_KEY = services.GENERATION_KEY


def public_cache(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Cache pages for anonymous visitors only (members may see members-only items)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.user.is_authenticated or request.method != "GET":
            return view(request, *args, **kwargs)
        generation = cache.get(GENERATION_KEY, 0)
        key = (f"portal:{generation}:{request.get_full_path()}:"
               f"{getattr(request, 'LANGUAGE_CODE', '')}")
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


def _member_actor(request: HttpRequest, site: Site) -> Actor | None:
    """The visitor as a member of this site's committee (whatever committee they are acting
    in elsewhere), or None: only members keep reading records."""
    user = request.user
    if not user.is_authenticated:
        return None
    actor = actor_for(user, site.committee)
    return actor if actor.member_id is not None else None


def _figures(request: HttpRequest, site: Site) -> list[tuple[str, str]]:
    figures = selectors.year_figures(site.committee, getattr(request, "LANGUAGE_CODE", ""))
    return figures or [
        (pgettext("portal", "Members"), str(selectors.serving_members(site.committee)))
    ]


@public_cache
def site_index(request: HttpRequest) -> HttpResponse:
    """``/c/``: the committees' public websites."""
    return render(request, "portal/index.html", {"sites": selectors.public_sites()})


@public_cache
def home(request: HttpRequest, code: str) -> HttpResponse:
    site = selectors.site_for(code)
    members = _is_member_of(request, site)
    live = selectors.live_articles(site.committee, members=members)
    news = list(live.filter(column__kind=Column.Kind.NEWS)[:7])
    lead = next((a for a in news if a.cover_id), None)
    return render(request, "portal/home.html", {
        "site": site, "columns": selectors.columns(site.committee),
        "lead": lead, "news": [a for a in news if a is not lead][:6],
        "notices": live.filter(column__kind=Column.Kind.NOTICE)[:6],
        "publications": live.filter(column__kind=Column.Kind.PUBLICATION)[:4],
        "learning": live.filter(column__kind=Column.Kind.LEARNING)[:4],
        "learning_column": next((c for c in selectors.columns(site.committee)
                                 if c.kind == Column.Kind.LEARNING), None),
        "figures": _figures(request, site),
        "surveys": participation.open_public_surveys(site.committee)[:3],
    })


@public_cache
def column(request: HttpRequest, code: str, slug: str) -> HttpResponse:
    site = selectors.site_for(code)
    col = selectors.column_by_slug(site.committee, slug)
    qs = selectors.live_articles(site.committee, members=_is_member_of(request, site)).filter(
        column=col)
    page = Paginator(qs, 15).get_page(request.GET.get("page"))
    states: dict[int, str] = {}
    member = _member_actor(request, site) if col.kind == Column.Kind.LEARNING else None
    if member is not None and member.member_id is not None:
        states = selectors.reading_state(site.committee, member.member_id, page.object_list)
        for a in page.object_list:
            a.reading_state = states.get(a.pk, "")  # type: ignore[attr-defined]
    return render(request, "portal/column.html", {
        "site": site, "column": col, "page": page,
        "is_member": member is not None, "columns": selectors.columns(site.committee)})


@public_cache
def article(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    site = selectors.site_for(code)
    item = selectors.live_articles(site.committee, members=_is_member_of(request, site)).filter(
        pk=pk).first()
    if item is None:
        raise Http404
    context: dict[str, object] = {"site": site, "article": item,
                                  "columns": selectors.columns(site.committee)}
    member = _member_actor(request, site) if item.is_learning else None
    if member is not None and member.member_id is not None:
        material = item.learning_material or services.learning_material_sync(
            actor=Actor.for_system(site.committee), article=item)
        if material is not None:
            record = activities_services.reading_record(actor=member, material=material)
            context["record"], context["minutes"] = record, record.seconds // 60
            context["reading_token"] = reading.token_for(material.pk, member.member_id)
    return render(request, "portal/article.html", context)


@public_cache
def take_part(request: HttpRequest, code: str) -> HttpResponse:
    """网络议政 and 问卷调查 on the website: rooms open to residents (read-only) and the public
    surveys open now, each answered on the anonymous survey page."""
    site = selectors.site_for(code)
    return render(request, "portal/participation.html", {
        "site": site, "columns": selectors.columns(site.committee), "section": "participation",
        "rooms": participation.public_rooms(site.committee)[:30],
        "surveys": participation.open_public_surveys(site.committee), "now": clock.now()})


def room(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A public room, read-only: its topic, period and the posts that are not hidden (taking
    part needs a login of the committee, on the room's own page). Not cached: a post hidden
    by the moderator must leave the public page at once."""
    site = selectors.site_for(code)
    item = participation.public_rooms(site.committee).filter(pk=pk).first()
    if item is None:
        raise Http404
    return render(request, "portal/room.html", {
        "site": site, "columns": selectors.columns(site.committee), "section": "participation",
        "room": item, "thread": participation.public_thread(item)})


@require_POST
def article_reading(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Time on a learning article (the page's script, on leaving) or "mark as read" (a form).

    Only a member of this site's committee holding the token of their own opening of this
    article adds anything; everyone else gets 204 (a beacon has nobody to show an error to)
    or, for the form, a redirect back to the article.
    """
    site = selectors.site_for(code)
    back = reverse("portal-article", args=[site.committee.code, pk])
    mark = request.POST.get("read") == "1"
    done = redirect(back) if mark else HttpResponse(status=204)
    member = _member_actor(request, site)
    if member is None or member.member_id is None:
        return done
    item = selectors.live_articles(site.committee, members=True).filter(pk=pk).first()
    if item is None or not item.is_learning or item.learning_material is None:
        return done
    # The script reports the seconds the page was visible; a form sent without it (no
    # JavaScript) claims nothing, and is credited the time since opening.
    claimed: int | None = None
    if "seconds" in request.POST:
        try:
            claimed = int(request.POST["seconds"][:12])
        except ValueError:
            claimed = 0
    # One service for the website, the learning page and the API: the token's opening is
    # credited once, and the member's time on a material is capped (activities.reading).
    activities_services.reading_report(actor=member, material=item.learning_material,
                                       token=request.POST.get("token", ""), seconds=claimed,
                                       marked_read=mark)
    return done


def image(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """A picture of the site. Pictures are public (like any website's); the file never
    changes for an id, so browsers and proxies may keep it."""
    site = selectors.site_for(code)
    row = selectors.image_for(site.committee, pk)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = "image/png" if (row.file.name or "").endswith(".png") else "image/jpeg"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "public, max-age=2592000, immutable"
    return response


def attachment(request: HttpRequest, code: str, pk: int) -> FileResponse:
    """An article's attachment, only for those who may read the article (members-only
    articles' files are not public)."""
    site = selectors.site_for(code)
    item = selectors.live_articles(site.committee, members=_is_member_of(request, site)).filter(
        pk=pk).first()
    if item is None or not item.attachment:
        raise Http404
    try:
        handle = item.attachment.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True,
                            filename=Path(item.attachment.name or "file").name)
    if item.audience != Article.Audience.PUBLIC:
        response["Cache-Control"] = "private, no-store"
    return response


def site_search(request: HttpRequest, code: str) -> HttpResponse:
    site = selectors.site_for(code)
    query = request.GET.get("q", "").strip()[:50]
    members = _is_member_of(request, site)
    results = selectors.search_articles(site, query, members=members) if query else []
    rooms = surveys = None
    if query:  # a committee has few: a plain scan of the titles and topics
        rooms = participation.public_rooms(site.committee).filter(
            Q(title__icontains=query) | Q(topic__icontains=query))[:20]
        surveys = participation.open_public_surveys(site.committee).filter(
            Q(title__icontains=query) | Q(intro__icontains=query))[:20]
    return render(request, "portal/search.html", {"site": site, "q": query, "results": results,
                                                  "rooms": rooms, "surveys": surveys,
                                                  "columns": selectors.columns(site.committee)})


class NewsFeed(Feed[Article, Site]):
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

    def item_pubdate(self, item: Article) -> dt.datetime | None:
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
        form = ArticleForm(request.POST, request.FILES, committee=actor.committee,
                           has_cover=bool(item and item.cover_id))
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.article_save(
                    actor=actor, committee=actor.committee, column=data["column"],
                    title=data["title"], body=data["body"], summary=data["summary"],
                    audience=data["audience"], publish_at=data["publish_at"],
                    attachment=data["attachment"], cover=data["cover"],
                    cover_alt=data["cover_alt"], remove_cover=data.get("remove_cover", False),
                    article=item, version=data["version"])
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("portal-edit", pk=item.pk)
    else:
        initial: dict[str, object] = {"audience": Article.Audience.PUBLIC}
        if item is not None:
            initial = {"column": item.column_id, "title": item.title, "summary": item.summary,
                       "body": item.body, "audience": item.audience,
                       "publish_at": item.publish_at, "version": item.version,
                       "cover_alt": item.cover.alt if item.cover else ""}
        form = ArticleForm(initial=initial, committee=actor.committee,
                           has_cover=bool(item and item.cover_id))
    return render(request, "portal/edit.html", {
        "form": form, "article": item, "image_form": ImageForm(prefix="img"),
        "images": scoped(actor, Image).select_related("committee")[:12],
        "offers": workflow.ARTICLE.offers(actor, item) if item else [],
        "events": item.events.select_related("actor") if item else [],
    })


@require_POST
@login_required
def act(request: XRequest, pk: int, action: str) -> HttpResponse:
    """The forms of ``workflow.ARTICLE`` post here (public pages change once it commits)."""
    item = get_scoped_or_404(request.actor, Article, pk=pk)
    return workflow_views.act(request, workflow.ARTICLE, item, action,
                              next_url=reverse("portal-edit", args=[item.pk]))


def _back_to(request: XRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("portal-new")


@require_POST
@login_required
def image_upload(request: XRequest) -> HttpResponse:
    """Upload a picture for the text: JSON for the editor's script, else back to the form."""
    _editor(request)
    actor = request.actor
    assert actor.committee is not None
    wants_json = "application/json" in request.headers.get("Accept", "")
    form = ImageForm(request.POST, request.FILES, prefix="img")
    error = ""
    row = None
    if form.is_valid():
        try:
            row = services.image_upload(actor=actor, committee=actor.committee,
                                        upload=form.cleaned_data["file"],
                                        alt=form.cleaned_data["alt"])
        except ValidationError as exc:
            error = error_text(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if wants_json:
        if row is None:
            return JsonResponse({"error": error}, status=400)
        return JsonResponse({"url": row.public_url(), "alt": row.alt, "width": row.width,
                             "height": row.height})
    if row is None:
        messages.error(request, error)
    else:
        messages.success(request, _("Picture uploaded: copy its code from the list of "
                                    "pictures into the text."))
    return redirect(_back_to(request))


@login_required
def site_settings(request: XRequest) -> HttpResponse:
    _editor(request)
    actor = request.actor
    assert actor.committee is not None
    site = services.site_ensure(actor=actor, committee=actor.committee)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        site = services.site_update(actor=actor, site=site, host_name=site.host_name, **{
            name: form.cleaned_data[name] for name in SiteForm.Meta.fields})
        services.public_pages_changed()
        messages.success(request, _("Saved."))
        return redirect("portal-manage")
    return render(request, "portal/site_settings.html", {"form": form, "site": site})
