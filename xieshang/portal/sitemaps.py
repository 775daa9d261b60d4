from __future__ import annotations

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from xieshang.core import clock
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


SITEMAPS = {"sites": SiteSitemap, "articles": ArticleSitemap}
