from __future__ import annotations

from django.urls import reverse

from xieshang.portal.models import Article
from xieshang.portal.sanitize import plain_text
from xieshang.search.index import Document, register
from xieshang.search.models import SearchEntry


def article_document(article: Article) -> Document | None:
    if article.status != Article.Status.PUBLISHED:
        return None
    return Document(
        title=article.title, body=plain_text(article.body),
        url=reverse("portal-article", args=[article.committee.code, article.pk]),
        date=article.publish_at, facets={"column": article.column.slug},
        visibility=(SearchEntry.Visibility.PUBLIC if article.audience == Article.Audience.PUBLIC
                    else SearchEntry.Visibility.COMMITTEE),
    )


def register_source() -> None:
    register("article", Article, article_document,
             queryset=lambda: Article.objects.select_related("committee", "column"))
