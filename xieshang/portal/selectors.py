from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from xieshang.activities.models import ReadingRecord
from xieshang.core import clock, fulltext
from xieshang.core.figures import Scope, compute
from xieshang.core.models import Committee, Role
from xieshang.core.permissions import Actor
from xieshang.members.models import Member
from xieshang.portal.models import Article, Column, Image, Site


def public_sites() -> list[Site]:
    """Every public website, the most senior committee first (province, city, county)."""
    sites = Site.objects.select_related("committee").filter(committee__is_active=True,
                                                             is_public=True)
    order = Committee.LEVEL_ORDER
    return sorted(sites, key=lambda s: (order.index(s.committee.level)
                                        if s.committee.level in order else len(order),
                                        s.committee.name))


def public_site_links() -> list[tuple[str, str]]:
    # Named by the committee (set by the platform), not by the title its editors choose.
    return [(site.committee.name, reverse("portal-home", args=[site.committee.code]))
            for site in public_sites()]


def site_for(code: str) -> Site:
    site = (Site.objects.select_related("committee")
            .filter(committee__code=code, committee__is_active=True, is_public=True).first())
    if site is None:
        raise Http404
    return site


def visible(actor: Actor) -> QuerySet[Article]:
    """Articles the actor may read (the website's article page, the inside search): published
    ones whose time has come; the members-only ones for those holding a role in the committee.
    Drafts, scheduled and withdrawn articles are for the editors' pages, which check
    ``permissions.can_edit`` instead."""
    if actor.committee is None:
        return Article.objects.none()
    return live_articles(actor.committee, members=actor.insider)


def live_articles(committee: Committee, *, members: bool) -> QuerySet[Article]:
    """Published articles whose time has come; members-only ones only for members."""
    qs = Article.objects.filter(committee=committee, status=Article.Status.PUBLISHED,
                                publish_at__lte=clock.now()).select_related("column", "cover")
    if not members:
        qs = qs.filter(audience=Article.Audience.PUBLIC)
    return qs.order_by("-publish_at", "-id")


def column_by_slug(committee: Committee, slug: str) -> Column:
    column = Column.objects.filter(committee=committee, slug=slug).first()
    if column is None:
        raise Http404
    return column


def serving_members(committee: Committee) -> int:
    return Member.objects.filter(committee=committee, status=Member.Status.ACTIVE).count()


def columns(committee: Committee) -> QuerySet[Column]:
    return Column.objects.filter(committee=committee).order_by("order", "id")


def image_for(committee: Committee, pk: int) -> Image:
    image = Image.objects.filter(committee=committee, pk=pk).first()
    if image is None:
        raise Http404
    return image


def reading_state(committee: Committee, member_id: int,
                  articles: Iterable[Article]) -> dict[int, str]:
    """Article id → "read" (marked as read) or "opened", for a member's learning library."""
    by_material = {a.learning_material_id: a.pk for a in articles if a.learning_material_id}
    if not by_material:
        return {}
    rows = ReadingRecord.objects.filter(committee=committee, member_id=member_id,
                                        material_id__in=list(by_material)).values_list(
        "material_id", "marked_read")
    return {by_material[m]: ("read" if marked else "opened") for m, marked in rows}


def reading_of(committee: Committee, member_id: int, article: Article) -> ReadingRecord | None:
    if article.learning_material_id is None:
        return None
    return ReadingRecord.objects.filter(committee=committee, member_id=member_id,
                                        material_id=article.learning_material_id).first()


FIGURE_KEYS = ("members.serving", "proposals.submitted", "proposals.filed",
               "opinions.submitted", "opinions.adopted", "activities.inspections")
FIGURES_SECONDS = 600


def year_figures(committee: Committee, language: str) -> list[tuple[str, str]]:
    """Key figures of this year so far (label, value), from the areas' registered figures
    (core.figures), cached."""
    key = f"portal:figures:{committee.pk}:{language}"
    cached = cache.get(key)
    if cached is not None:
        return list(cached)
    today = clock.today()
    figures = compute(Scope(committee=committee, start=dt.date(today.year, 1, 1), end=today))
    out = []
    for name in FIGURE_KEYS:
        figure = figures.get(name)
        # A zero says nothing to a visitor (and may only mean the area is not used here).
        if figure is not None and figure.value:
            value = figure.value
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            out.append((str(figure.label), shown))
    cache.set(key, out, FIGURES_SECONDS)
    return out


HOST_SECONDS = 60


def _host_key(host: str) -> str:
    return f"portal:host:{host.lower().rstrip('.')}"


def forget_host(*hosts: str) -> None:
    cache.delete_many([_host_key(h) for h in hosts if h])


def site_code_for_host(host: str) -> str | None:
    """The committee code of the public site that answers at ``host`` (cached a minute)."""
    host = host.lower().rstrip(".")
    if not host:
        return None
    key = _host_key(host)
    code = cache.get(key)
    if code is None:
        site = (Site.objects.filter(host_name=host, is_public=True, committee__is_active=True)
                .select_related("committee").first())
        code = site.committee.code if site is not None else ""
        cache.set(key, code, HOST_SECONDS)
    return code or None


def search_articles(site: Site, query: str, *, members: bool, limit: int = 50) -> list[Article]:
    """The platform's Chinese search over the site's live articles, best match first.

    Members of the committee also find members-only items; scheduled items appear once due.
    Without the search app installed, the titles and texts are scanned (newest first).
    """
    articles = live_articles(site.committee, members=members)
    index = fulltext.engine()
    if index is None:
        return list(articles.filter(Q(title__contains=query) | Q(body__contains=query))[:limit])
    # The search shows only what ``visible`` gives this reader: public articles to visitors.
    actor = Actor(user=None, committee=site.committee,
                  roles=frozenset({Role.MEMBER}) if members else frozenset())
    ids = index.search_ids(actor, query, kind="article", limit=limit)
    live = {a.pk: a for a in articles.filter(pk__in=ids)}
    return [live[i] for i in ids if i in live]
