"""Published articles in the search (registered in PortalConfig.ready); who finds one is
decided by ``selectors.visible`` (live articles; members-only ones for the committee)."""

from __future__ import annotations

from django.urls import reverse

from xieshang.core.searchable import Document, register
from xieshang.portal import selectors
from xieshang.portal.models import Article
from xieshang.portal.sanitize import plain_text


def article_document(article: Article) -> Document | None:
    if article.status != Article.Status.PUBLISHED:
        return None
    return Document(
        title=article.title, body=plain_text(article.body),
        url=reverse("portal-article", args=[article.committee.code, article.pk]),
        date=article.publish_at, facets={"column": article.column.slug},
    )


def register_source() -> None:
    register("article", Article, article_document, visible=selectors.visible,
             queryset=lambda: Article.objects.select_related("committee", "column"))
