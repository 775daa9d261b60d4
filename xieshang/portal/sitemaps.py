from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from xieshang.core import clock
from xieshang.participation import selectors as participation
from xieshang.participation.models import Room, Survey
from xieshang.portal.models import Article, Site


class SiteSitemap(Sitemap[Site]):
    changefreq = "daily"

    def items(self) -> QuerySet[Site]:
        return Site.objects.filter(is_public=True).select_related("committee")

    def location(self, item: Site) -> str:
        return reverse("portal-home", args=[item.committee.code])


class ArticleSitemap(Sitemap[Article]):
    changefreq = "weekly"
    limit = 5000

    def items(self) -> QuerySet[Article]:
        return (Article.objects.filter(status=Article.Status.PUBLISHED,
                                       audience=Article.Audience.PUBLIC,
                                       publish_at__lte=clock.now())
                .select_related("committee").order_by("-publish_at"))

    def lastmod(self, item: Article) -> dt.datetime:
        return item.updated_at


def _public_sites() -> QuerySet[Site]:
    return Site.objects.filter(is_public=True, committee__is_active=True)


class RoomSitemap(Sitemap[Room]):
    """Rooms open to residents, on the website of a committee whose site is public."""

    changefreq = "daily"

    def items(self) -> QuerySet[Room]:
        return participation.public_rooms().filter(
            committee__in=_public_sites().values("committee"))

    def location(self, item: Room) -> str:
        return reverse("portal-room", args=[item.committee.code, item.pk])


class SurveySitemap(Sitemap[Survey]):
    """Public surveys open now (the anonymous answer page)."""

    changefreq = "daily"

    def items(self) -> QuerySet[Survey]:
        return participation.open_public_surveys().filter(
            committee__in=_public_sites().values("committee"))

    def location(self, item: Survey) -> str:
        return reverse("participation:public-survey", args=[item.pk])


SITEMAPS = {"sites": SiteSitemap, "articles": ArticleSitemap, "rooms": RoomSitemap,
            "surveys": SurveySitemap}
