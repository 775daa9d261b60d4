from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from xieshang.core.models import Committee
from xieshang.portal.models import Article, Column, Site


def site_for(code: str) -> Site:
    site = (Site.objects.select_related("committee")
            .filter(committee__code=code, committee__is_active=True, is_public=True).first())
    if site is None:
        raise Http404
    return site


def live_articles(committee: Committee, *, members: bool) -> QuerySet[Article]:
    """Published articles whose time has come; members-only ones only for members."""
    qs = Article.objects.filter(committee=committee, status=Article.Status.PUBLISHED,
                                publish_at__lte=timezone.now()).select_related("column")
    if not members:
        qs = qs.filter(audience=Article.Audience.PUBLIC)
    return qs.order_by("-publish_at", "-id")


def column_by_slug(committee: Committee, slug: str) -> Column:
    column = Column.objects.filter(committee=committee, slug=slug).first()
    if column is None:
        raise Http404
    return column


def serving_members(committee: Committee) -> int:
    from xieshang.members.models import Member

    return Member.objects.filter(committee=committee, status=Member.Status.ACTIVE).count()


def columns(committee: Committee) -> QuerySet[Column]:
    return Column.objects.filter(committee=committee).order_by("order", "id")
